"""Exit codes, mapped from errors in one place.

0 ok · 1 failure (bad input, not found, conflict, held) · 2 usage or configuration ·
3 external dependency (database unavailable, schema not migrated).
"""

from __future__ import annotations

from enum import IntEnum

from nigehban.errors import ConfigError, DependencyError, NigehbanError, UsageError


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    DEPENDENCY = 3


def exit_code_for(error: NigehbanError) -> ExitCode:
    if isinstance(error, ConfigError | UsageError):
        return ExitCode.USAGE
    if isinstance(error, DependencyError):
        return ExitCode.DEPENDENCY
    return ExitCode.FAILURE
