"""Policy: versioned files that turn detectors' signals into decisions with reasons and grounds.

:mod:`~nigehban.policy.model` holds the validated policy, :mod:`~nigehban.policy.loader` reads
and checks the files, :mod:`~nigehban.policy.engine` decides. The shipped policies
(``platform-tos``, ``pk``, ``eu``) are in ``data/``; ``docs/policy.md`` describes the format.
"""

from nigehban.policy.engine import decide
from nigehban.policy.loader import (
    PolicyHolder,
    default_policy_dir,
    find_policy,
    load_policies,
    load_policy,
)
from nigehban.policy.model import Policy
from nigehban.policy.verdict import DecisionContext, RuleFired, Verdict

__all__ = [
    "DecisionContext",
    "Policy",
    "PolicyHolder",
    "RuleFired",
    "Verdict",
    "decide",
    "default_policy_dir",
    "find_policy",
    "load_policies",
    "load_policy",
]
