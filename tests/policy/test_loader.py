"""Policy files: the shipped ones load; typos, wrong types and contradictory rules are refused
with the file, the line and the key; the holder keeps the previous policies in force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nigehban.errors import ConfigError, InputError, NotFoundError
from nigehban.model.decisions import Action
from nigehban.model.refs import Surface
from nigehban.model.taxonomy import VIOLATING, Category, Language
from nigehban.policy import (
    PolicyHolder,
    default_policy_dir,
    find_policy,
    load_policies,
    load_policy,
)
from nigehban.policy.model import Policy
from tests.policy.builders import POLICY_DIR, SHIPPED

PK = (POLICY_DIR / "pk.yaml").read_text(encoding="utf-8")
EU = (POLICY_DIR / "eu.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first ``needle`` (after the first ``after``, when given)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_policy(write(tmp_path, text))
    return str(caught.value)


# -- the shipped policies ---------------------------------------------------------------------


def test_every_shipped_policy_loads() -> None:
    policies = load_policies(POLICY_DIR)
    assert tuple(sorted(policies)) == tuple(sorted(SHIPPED))
    for name, policy in policies.items():
        assert policy.name == name and policy.schema_version == 1
        assert set(policy.categories) == set(VIOLATING)
        assert policy.escalate is not None and policy.escalate.notify_authorities
        assert len(policy.digest) == 64
        # every ground cited by a rule exists, and each surface has one for every category
        for category, rule in policy.categories.items():
            for surface in Surface:
                ids = rule.ground_ids_for(surface)
                assert policy.grounds_for(ids, surface, category), (name, category, surface)
    assert len({p.digest for p in policies.values()}) == 3
    assert default_policy_dir().samefile(POLICY_DIR)


def test_shipped_policies_cite_the_provisions() -> None:
    pk = load_policy(POLICY_DIR / "pk.yaml")
    eu = load_policy(POLICY_DIR / "eu.yaml")
    pk_citations = " ".join(g.citation for g in pk.grounds.values())
    for provision in ("s.37(1)", "s.11-W", "s.9", "s.10", "s.12", "First Schedule"):
        assert provision in pk_citations, provision
    eu_citations = " ".join(g.citation for g in eu.grounds.values())
    for provision in ("Art. 2(7)(a)", "Art. 2(7)(d)", "Art. 2(7)(e)", "Art. 3", "Art. 14(5)"):
        assert provision in eu_citations, provision
    for ground in eu.grounds.values():
        if ground.is_tco:
            assert Surface.PRIVATE not in ground.surfaces
    assert {Action.RESTRICT, Action.REMOVE} <= set(eu.review.required_for)


def test_digest_ignores_comments_and_layout_but_not_values(tmp_path: Path) -> None:
    original = load_policy(POLICY_DIR / "pk.yaml")
    commented = "# a new comment\n" + PK.replace("\n\n", "\n\n# another\n")
    assert load_policy(write(tmp_path, commented)).digest == original.digest
    changed = edit(PK, "remove: 0.8}", "remove: 0.81}")
    assert load_policy(write(tmp_path, changed)).digest != original.digest


def test_language_and_surface_overrides_resolve_in_order() -> None:
    pk = load_policy(POLICY_DIR / "pk.yaml")
    rule = pk.categories[Category.GLORIFICATION]
    assert rule.thresholds_for(Language.EN, Surface.PUBLIC)[Action.REMOVE] == 0.8
    assert rule.thresholds_for(Language.PS, Surface.PUBLIC)[Action.REMOVE] == 0.9
    private = rule.thresholds_for(Language.PS, Surface.PRIVATE)
    assert private[Action.REMOVE] is None and private[Action.REVIEW] == 0.2


# -- errors with file:line --------------------------------------------------------------------


def test_typo_in_a_nested_key_names_it_and_suggests_the_right_one(tmp_path: Path) -> None:
    text = edit(PK, "remove: 0.8}", "remvoe: 0.8}")
    line = line_of(text, "remvoe")
    message = refused(tmp_path, text)
    assert message.startswith(f"bad.yaml:{line}: categories.incitement.thresholds.remvoe: ")
    assert "unknown key 'remvoe'; did you mean 'remove'?" in message


def test_typo_in_a_top_level_key(tmp_path: Path) -> None:
    text = edit(PK, "\nescalate:\n", "\nescalte:\n")
    message = refused(tmp_path, text)
    assert message == (
        f"bad.yaml:{line_of(text, 'escalte:')}: escalte: unknown key 'escalte'; "
        "did you mean 'escalate'?"
    )


def test_misspelt_category_key(tmp_path: Path) -> None:
    text = edit(PK, "  glorification:\n    grounds", "  glorificaton:\n    grounds")
    message = refused(tmp_path, text)
    assert message.startswith(
        f"bad.yaml:{line_of(text, 'glorificaton:')}: categories.glorificaton:"
    )
    assert "did you mean 'glorification'?" in message


def test_wrong_type_names_the_value(tmp_path: Path) -> None:
    text = edit(PK, "review: 0.2, restrict: 0.5", "review: high, restrict: 0.5")
    message = refused(tmp_path, text)
    line = line_of(text, "review: high")
    assert message.startswith(f"bad.yaml:{line}: categories.incitement.thresholds.review: 'high'")
    assert "valid number" in message


def test_score_out_of_range(tmp_path: Path) -> None:
    text = edit(PK, "remove: 0.8}", "remove: 8}")
    assert "thresholds.remove: 8:" in refused(tmp_path, text)


def test_unquoted_version_is_refused_with_a_hint(tmp_path: Path) -> None:
    text = edit(PK, 'version: "1.1"', "version: 1.1")
    message = refused(tmp_path, text)
    assert message.startswith(f"bad.yaml:{line_of(text, 'version: 1.1')}: version: 1.1:")
    assert "write it in quotes" in message


def test_unknown_action_suggests_one(tmp_path: Path) -> None:
    text = edit(PK, "abstention:\n  action: review\n", "abstention:\n  action: reveiw\n")
    message = refused(tmp_path, text)
    assert f"bad.yaml:{line_of(text, 'action: reveiw')}: abstention.action: 'reveiw'" in message
    assert "did you mean 'review'?" in message


def test_missing_required_key(tmp_path: Path) -> None:
    text = edit(PK, "jurisdiction: PK\n", "")
    assert refused(tmp_path, text) == "bad.yaml:1: jurisdiction: required key is missing"


def test_unsupported_schema_version(tmp_path: Path) -> None:
    text = edit(PK, "schema_version: 1", "schema_version: 2")
    message = refused(tmp_path, text)
    assert message.startswith(f"bad.yaml:{line_of(text, 'schema_version')}: schema_version: 2")


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    text = edit(PK, "name: pk", "name: [pk")
    assert refused(tmp_path, text).startswith("bad.yaml:")


# -- contradictory rules ----------------------------------------------------------------------


def test_unordered_thresholds_in_the_base(tmp_path: Path) -> None:
    text = edit(
        PK, "review: 0.2, restrict: 0.5, remove: 0.8}", "review: 0.6, restrict: 0.5, remove: 0.8}"
    )
    message = refused(tmp_path, text)
    line = line_of(text, "review: 0.6")
    assert message.startswith(f"bad.yaml:{line}: categories.incitement.thresholds.restrict: ")
    assert "restrict threshold 0.5 is below the review threshold 0.6" in message
    assert "label ≤ review ≤ restrict ≤ remove" in message


def test_unordered_thresholds_from_an_override_point_at_the_override(tmp_path: Path) -> None:
    text = edit(PK, "      ps: {remove: 0.9}", "      ps: {remove: 0.3}")
    message = refused(tmp_path, text)
    assert message.startswith(
        f"bad.yaml:{line_of(text, 'ps: {remove: 0.3}')}: categories.incitement.languages.ps.remove: "
    )
    assert "for language ps" in message


def test_a_rule_for_a_protected_category_is_refused(tmp_path: Path) -> None:
    text = edit(
        PK,
        "categories:\n",
        "categories:\n  news:\n    grounds: [pk-terms]\n    thresholds: {remove: 0.9}\n",
    )
    message = refused(tmp_path, text)
    assert message.startswith(f"bad.yaml:{line_of(text, '  news:')}: categories.news: ")
    assert "protected category" in message


def test_a_missing_category_rule_is_refused(tmp_path: Path) -> None:
    start = PK.index("  financing:\n")
    end = PK.index("\n# Known content")
    message = refused(tmp_path, PK[:start] + PK[end:])
    assert "categories: no rule for financing" in message


@pytest.mark.parametrize(
    "citation",
    [
        "Regulation (EU) 2021/784 Art. 2(7)(a)",  # as shipped
        "Regulation (EU) 2021\u2013784 Art. 2(7)(a)",
        "Regulation (EU) No. 784/2021 Art. 2(7)(a)",
        "Regulation (EU) \uff12\uff10\uff12\uff11/\uff17\uff18\uff14 Art. 2(7)(a)",
        "TCO Regulation Art. 2(7)(a)",
        "Regulation on addressing the dissemination of terrorist content online, Art. 2(7)(a)",
    ],
)
def test_an_eu_2021_784_ground_for_private_messages_is_refused_however_cited(
    tmp_path: Path, citation: str
) -> None:
    old = "    applies_to: [incitement, glorification]\n"
    text = edit(
        EU,
        "    surfaces: [public, channel, group]\n" + old,
        "    surfaces: [public, channel, group, private]\n" + old,
    ).replace("Regulation (EU) 2021/784 Art. 2(7)(a)", citation, 1)
    message = refused(tmp_path, text)
    line = line_of(text, "surfaces: [public, channel, group, private]")
    assert message.startswith(f"bad.yaml:{line}: grounds.tco-art-2-7-a.surfaces[3]: ")
    assert "does not apply to private messages" in message


def test_escalation_grounds_that_miss_a_surface_are_refused(tmp_path: Path) -> None:
    # with only the TCO's Art. 14(5), an imminent threat in a private message would be capped
    # at review by invariant.no-ground-on-surface and never reach the authorities
    text = edit(
        EU,
        "  grounds: [tco-art-14-5, eu-terms-threat-to-life]\n",
        "  grounds: [tco-art-14-5]\n",
    )
    message = refused(tmp_path, text)
    line = line_of(text, "grounds: [tco-art-14-5]", after="escalate:")
    assert message.startswith(f"bad.yaml:{line}: escalate.grounds: ")
    assert "private surface" in message


def test_a_ground_cited_on_a_surface_it_excludes_is_refused(tmp_path: Path) -> None:
    text = edit(
        EU,
        "      private: {label: null, restrict: null, remove: null}\n  glorification:",
        "      private: {grounds: [tco-art-2-7-a], review: 0.3}\n  glorification:",
    )
    message = refused(tmp_path, text)
    line = line_of(text, "grounds: [tco-art-2-7-a], review")
    assert message.startswith(
        f"bad.yaml:{line}: categories.incitement.surfaces.private.grounds[0]: "
    )
    assert "excludes the private surface" in message


def test_removal_without_a_ground_on_a_surface_is_refused(tmp_path: Path) -> None:
    text = edit(EU, "    grounds: [tco-art-2-7-a, eu-terms]\n", "    grounds: [tco-art-2-7-a]\n")
    text = edit(
        text,
        "      private: {label: null, restrict: null, remove: null}\n",
        "      private: {review: 0.3}\n",
    )
    message = refused(tmp_path, text)
    assert "categories.incitement.grounds: label is possible on the private surface" in message


def test_a_ground_that_does_not_apply_to_the_category(tmp_path: Path) -> None:
    text = edit(
        PK,
        "    grounds: [peca-s12, pk-terms]\n    thresholds: {label: 0.05, review: 0.15",
        "    grounds: [peca-s10, pk-terms]\n    thresholds: {label: 0.05, review: 0.15",
    )
    message = refused(tmp_path, text)
    assert (
        "categories.instruction.grounds[0]: ground 'peca-s10' does not apply to instruction"
        in message
    )


def test_an_unknown_ground_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = edit(
        PK, "grounds: [peca-s10, ata-s11w, pk-terms]", "grounds: [peca-s100, ata-s11w, pk-terms]"
    )
    message = refused(tmp_path, text)
    assert message.startswith(
        f"bad.yaml:{line_of(text, 'peca-s100')}: categories.incitement.grounds[0]: 'peca-s100'"
    )
    assert "did you mean 'peca-s10'?" in message


def test_removal_on_a_group_mention_alone_is_refused(tmp_path: Path) -> None:
    text = edit(PK, "mention_action: allow", "mention_action: remove")
    message = refused(tmp_path, text)
    assert message.startswith(
        f"bad.yaml:{line_of(text, 'mention_action')}: groups.mention_action: 'remove'"
    )
    assert "a group mention alone never grounds a restriction or removal" in message


def test_a_bank_rule_on_a_protected_category_is_refused(tmp_path: Path) -> None:
    text = edit(PK, "  - id: known-content\n", "  - id: known-content\n    entry_category: news\n")
    message = refused(tmp_path, text)
    assert "banks[0].entry_category: 'news' is a protected category" in message


def test_duplicate_bank_rule_ids(tmp_path: Path) -> None:
    text = edit(PK, "  - id: near-known-content", "  - id: known-content")
    assert "banks[1].id: 'known-content' is already the id of banks[0]" in refused(tmp_path, text)


def test_escalation_without_notification_is_refused(tmp_path: Path) -> None:
    text = edit(PK, "notify_authorities: true", "notify_authorities: false")
    assert "escalate.notify_authorities: escalation is for an imminent threat" in refused(
        tmp_path, text
    )


def test_escalation_grounds_that_do_not_cover_its_categories_are_refused(
    tmp_path: Path,
) -> None:
    """PECA s.12 covers recruitment, financing and instruction: cited alone, an imminent
    threat would find no ground, be capped below escalation and never reach the authorities."""
    text = edit(PK, "grounds: [peca-s10, pk-terms-threat-to-life]", "grounds: [peca-s12]")
    message = refused(tmp_path, text)
    assert message.startswith(f"bad.yaml:{line_of(text, 'grounds: [peca-s12]')}: ")
    assert "escalate.grounds: none of the grounds peca-s12 applies to threat" in message


def _bank_rule_citing_peca_s12(category: str) -> str:
    rule = "  - id: known-content\n"
    return edit(PK, rule, f"{rule}    category: {category}\n    grounds: [peca-s12]\n")


def test_bank_rule_grounds_that_do_not_cover_its_category_are_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, _bank_rule_citing_peca_s12("propaganda"))
    assert "banks[0].grounds: none of the grounds peca-s12 applies to propaganda" in message
    load_policy(write(tmp_path, _bank_rule_citing_peca_s12("recruitment")))  # it covers this


def test_a_schema_version_of_true_is_refused(tmp_path: Path) -> None:
    """YAML's ``true`` equals 1 in Python; it is not a version."""
    text = edit(PK, "schema_version: 1", "schema_version: true")
    assert "schema_version: True is not a supported schema_version" in refused(tmp_path, text)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "see the gazette"])
def test_a_ground_s_reference_url_must_be_a_web_address(tmp_path: Path, url: str) -> None:
    text = edit(
        PK, "    law_or_terms: law\n", f"    law_or_terms: law\n    reference_url: {url!r}\n"
    )
    message = refused(tmp_path, text)
    assert "reference_url" in message and "https?://" in message
    good = edit(
        PK,
        "    law_or_terms: law\n",
        "    law_or_terms: law\n    reference_url: https://www.pakistancode.gov.pk/\n",
    )
    load_policy(write(tmp_path, good))


def test_required_detectors_must_be_detectors(tmp_path: Path) -> None:
    text = edit(PK, "  required_for: [suspend, escalate]\n",
                "  required_for: [suspend, escalate]\n  detectors_required: [stance, bankz]\n")  # fmt: skip
    message = refused(tmp_path, text)
    assert f".yaml:{line_of(text, 'detectors_required')}: " in message
    assert "review.detectors_required[1]: 'bankz' is not a detector" in message
    assert "did you mean 'banks'?" in message
    load_policy(write(tmp_path, text.replace("bankz", "banks")))


def test_association_categories_cannot_be_emptied(tmp_path: Path) -> None:
    text = edit(PK, "association_categories: [propaganda, recruitment, financing]",
                "association_categories: []")  # fmt: skip
    assert "groups.association_categories: an empty list would let" in refused(tmp_path, text)


def test_an_inherited_threshold_and_a_switched_off_one_hash_apart(tmp_path: Path) -> None:
    """In an override, a threshold left out is inherited and ``null`` switches it off: the two
    policies act differently, so they hash differently, and each reads back from its canonical
    JSON (the policy archive) with the same hash and the same thresholds."""
    off = edit(PK, "      ps: {remove: 0.9}\n",
               "      ps: {label: null, review: null, restrict: null, remove: 0.9}\n")  # fmt: skip
    inherits, switched = load_policy(write(tmp_path, PK)), load_policy(write(tmp_path, off))
    assert inherits.digest != switched.digest
    assert inherits.legacy_digest == switched.legacy_digest  # the 0.1 rendering confused them
    for policy in (inherits, switched):
        back = Policy.model_validate(json.loads(policy.canonical_json()))
        assert back.digest == policy.digest and policy.made(policy.legacy_digest)
        for category, rule in policy.categories.items():
            for language in Language:
                for surface in Surface:
                    assert back.categories[category].thresholds_for(language, surface) == (
                        rule.thresholds_for(language, surface)
                    )
    rule = switched.categories[Category.INCITEMENT]
    assert rule.thresholds_for(Language.PS, Surface.PUBLIC)[Action.REVIEW] is None
    assert (
        inherits.categories[Category.INCITEMENT].thresholds_for(Language.PS, Surface.PUBLIC)[
            Action.REVIEW
        ]
        == 0.2
    )


def test_a_policy_citing_law_names_its_jurisdiction_by_code(tmp_path: Path) -> None:
    message = refused(tmp_path, edit(PK, "jurisdiction: PK", "jurisdiction: Pakistan"))
    assert "jurisdiction: 'Pakistan': a policy that cites law" in message
    assert "jurisdiction: is blank" in refused(
        tmp_path, edit(PK, "jurisdiction: PK", "jurisdiction: ' '")
    )
    lower = refused(tmp_path, edit(PK, "jurisdiction: PK", "jurisdiction: pk"))
    assert "jurisdiction: 'pk': a policy that cites law" in lower and "in capitals" in lower


@pytest.mark.parametrize("value", ["1", "'true'", "0.5"])
def test_notify_authorities_must_be_written_as_a_boolean(tmp_path: Path, value: str) -> None:
    message = refused(
        tmp_path, edit(PK, "notify_authorities: true", f"notify_authorities: {value}")
    )
    assert "escalate.notify_authorities: " in message


def test_review_is_required_only_before_actions_that_take_effect(tmp_path: Path) -> None:
    text = edit(PK, "required_for: [suspend, escalate]", "required_for: [allow, suspend]")
    assert "review.required_for[0]: 'allow' restricts nothing" in refused(tmp_path, text)


def test_account_rules_read_only_account_signals(tmp_path: Path) -> None:
    text = edit(PK, "accounts:\n  review: 0.6", "accounts:\n  signals: [stance]\n  review: 0.6")
    assert "accounts.signals[0]: 'stance' is not an account signal" in refused(tmp_path, text)


def test_escalation_grounds_cover_what_a_near_time_escalates(tmp_path: Path) -> None:
    """With threat_any_min, a violating post naming a designated group with a near time
    escalates whatever its category: the grounds must cover every violating category."""
    text = edit(PK, "grounds: [peca-s10, pk-terms-threat-to-life]", "grounds: [peca-s10]")
    message = refused(tmp_path, text)
    assert "escalate.grounds: none of the grounds peca-s10 applies to" in message
    without = edit(text, "  threat_any_min: 0.9\n", "  threat_any_min: null\n")
    # peca-s10 covers threat and incitement but not private messages, where an escalation
    # would be capped at review and never reach the authorities
    assert "may be cited for threat on the private surface" in refused(tmp_path, without)
    both = edit(without, "grounds: [peca-s10]", "grounds: [peca-s10, pk-terms-threat-to-life]")
    load_policy(write(tmp_path, both))


def test_an_abstention_cannot_remove(tmp_path: Path) -> None:
    text = edit(PK, "abstention:\n  action: review\n", "abstention:\n  action: remove\n")
    assert "abstention.action: 'remove': a classifier abstention never grounds" in refused(
        tmp_path, text
    )


def test_a_share_cannot_escalate(tmp_path: Path) -> None:
    text = edit(PK, "escalate: remove}", "escalate: escalate}")
    assert (
        "shares.origin_actions.escalate: 'escalate': sharing an origin leads at most to remove"
        in refused(tmp_path, text)
    )


# -- many files, names, reload ----------------------------------------------------------------


def test_unknown_policy_name_lists_the_known_ones() -> None:
    policies = load_policies(POLICY_DIR)
    with pytest.raises(NotFoundError) as caught:
        find_policy(policies, "pakistan")
    assert (
        str(caught.value) == "policy not found: 'pakistan' (known policies: eu, pk, platform-tos)"
    )


def test_two_files_with_one_name_are_refused(tmp_path: Path) -> None:
    write(tmp_path, PK, "a.yaml")
    write(tmp_path, PK, "b.yaml")
    with pytest.raises(
        InputError, match=r"^b\.yaml:\d+: name: policy name 'pk' is already used by a\.yaml$"
    ):
        load_policies(tmp_path)


def test_empty_or_missing_directory(tmp_path: Path) -> None:
    """A configuration error (the setting policy_dir): exit 2 on the CLI."""
    with pytest.raises(ConfigError, match=r"setting policy_dir: .*no policy files"):
        load_policies(tmp_path)
    with pytest.raises(ConfigError, match=r"setting policy_dir: .*nowhere.*does not exist"):
        load_policies(tmp_path / "nowhere")


def test_holder_keeps_the_previous_policies_when_a_file_is_invalid(tmp_path: Path) -> None:
    for name in SHIPPED:
        shutil.copy(POLICY_DIR / f"{name}.yaml", tmp_path / f"{name}.yaml")
    holder = PolicyHolder(tmp_path)
    before = holder.get("pk")
    assert holder.names() == sorted(SHIPPED)

    (tmp_path / "pk.yaml").write_text(edit(PK, "remove: 0.8}", "remvoe: 0.8}"), encoding="utf-8")
    with pytest.raises(InputError, match="did you mean 'remove'"):
        holder.reload()
    assert holder.get("pk") is before

    (tmp_path / "pk.yaml").write_text(
        edit(PK, 'version: "1.1"', 'version: "1.2"'), encoding="utf-8"
    )
    holder.reload()
    assert holder.get("pk").version == "1.2"
    assert holder.get("pk").digest != before.digest
    with pytest.raises(NotFoundError, match="known policies: eu, pk, platform-tos"):
        holder.get("uk")


def test_docs_describe_every_key() -> None:
    import re

    from pydantic import BaseModel

    from nigehban.policy import model

    docs = (Path(__file__).resolve().parents[2] / "docs" / "policy.md").read_text(encoding="utf-8")
    documented = {w for span in re.findall(r"`([^`\n]+)`", docs) for w in re.findall(r"\w+", span)}
    models = [v for v in vars(model).values() if isinstance(v, type) and issubclass(v, BaseModel)]
    keys = {name for m in models if m.__module__ == model.__name__ for name in m.model_fields}
    assert sorted(keys - documented) == []
