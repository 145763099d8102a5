"""The designated-group registry: the shipped snapshot, imported lists, validation with
``file:line`` errors, hot reload that keeps the registry in force, and search."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nigehban.errors import InputError
from nigehban.groups.lists import FTO_FILE, UN_FILE, build_lists
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.model import DesignationStatus, GroupKind
from nigehban.groups.registry import Registry, default_registry_dir, load_registry
from nigehban.workflows.groups import GroupRegistryHolder
from tests.groups.registry_files import MINIMAL, write_registry

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference"

REQUIRED = [
    "ttp",
    "jamaat-ul-ahrar",
    "hizb-ul-ahrar",
    "lej",
    "ssp",
    "aswj",
    "jem",
    "let",
    "jud",
    "fif",
    "bla",
    "majeed-brigade",
    "blf",
    "bra",
    "bras",
    "leb",
    "iskp",
    "tlp",
    "ptm",
]
MULTI_SCRIPT = ["ttp", "bla", "let", "jem", "lej", "iskp", "tlp", "ptm"]


# -- the shipped registry ---------------------------------------------------------------------


def test_shipped_registry_loads_with_provenance(registry: Registry) -> None:
    assert registry.info.as_of
    assert registry.info.known_gaps
    assert all(gap.strip() for gap in registry.info.known_gaps)
    assert registry.snapshot_hash
    for group in registry.groups():
        for designation in group.designations:
            assert designation.jurisdiction, group.id
            assert designation.source, group.id
            assert isinstance(designation.status, DesignationStatus), group.id


def test_every_state_label_refers_to_existing_groups(registry: Registry) -> None:
    assert registry.labels()
    for label in registry.labels():
        assert label.refers_to, label.id
        for ref in label.refers_to:
            assert registry.group(ref).id == ref


@pytest.mark.parametrize("group_id", REQUIRED)
def test_required_group_has_a_pk_designation(registry: Registry, group_id: str) -> None:
    """Its own, or its parent's: ISKP is covered by Pakistan's 2015 listing of Daesh."""
    assert "PK" in {d.jurisdiction for _, d in registry.designations_of(group_id)}


def test_required_groups_exist(registry: Registry) -> None:
    for group_id in REQUIRED:
        assert registry.group(group_id).id == group_id


@pytest.mark.parametrize(
    ("group_id", "kind", "parent"),
    [
        ("umar-media", GroupKind.MEDIA_WING, "ttp"),
        ("hakkal", GroupKind.MEDIA_WING, "bla"),
        ("fateh-squad", None, "bla"),
    ],
)
def test_wings_and_their_parents(
    registry: Registry, group_id: str, kind: GroupKind | None, parent: str
) -> None:
    group = registry.group(group_id)
    if kind is not None:
        assert group.kind is kind
    assert group.parent == parent
    assert group_id in [g.id for g in registry.children(parent)]


@pytest.mark.parametrize(
    ("group_id", "holders", "verified"),
    [
        ("majeed-brigade", {"majeed-brigade", "bla"}, True),  # a wing: the BLA's listing too
        ("umar-media", {"ttp"}, True),  # a media wing with no listing of its own
        ("uba", {"uba"}, False),  # a splinter of the BLA: only its own, unverified
        ("aswj", {"aswj"}, False),  # a successor of the SSP
        ("trf", {"trf"}, False),  # a front of the LeT
        ("tehreek-e-jihad-pakistan", set(), False),  # a front of the TTP, listed nowhere
    ],
)
def test_a_listing_covers_parts_of_the_group_not_its_offshoots(
    registry: Registry, group_id: str, holders: set[str], verified: bool
) -> None:
    listed = registry.designations_of(group_id)
    assert {holder for holder, _ in listed} == holders
    assert any(d.status.value == "verified" for _, d in listed) is verified


def test_parties_and_movements_need_legal_review(registry: Registry) -> None:
    tlp, ptm, ttp = registry.group("tlp"), registry.group("ptm"), registry.group("ttp")
    assert tlp.kind is GroupKind.POLITICAL_PARTY
    assert ptm.kind is GroupKind.RIGHTS_MOVEMENT
    assert tlp.kind.needs_legal_review is True
    assert ptm.kind.needs_legal_review is True
    assert ttp.kind is GroupKind.ARMED_GROUP
    assert ttp.kind.needs_legal_review is False


def test_state_labels(registry: Registry) -> None:
    khawarij = registry.label("fitna-al-khawarij")
    hindustan = registry.label("fitna-al-hindustan")
    assert "ttp" in khawarij.refers_to
    assert "bla" in hindustan.refers_to
    assert len(hindustan.refers_to) > 1
    assert registry.is_label("fitna-al-khawarij")
    assert not registry.is_label("ttp")
    assert "fitna-al-khawarij" in [label.id for label in registry.labels_for("ttp")]


@pytest.mark.parametrize("group_id", MULTI_SCRIPT)
def test_main_groups_have_names_in_several_scripts(registry: Registry, group_id: str) -> None:
    langs = {alias.lang for alias in registry.group(group_id).aliases}
    assert langs & {"en", "ur-Latn"}, langs
    assert "ur" in langs, langs
    if group_id in ("ttp", "bla", "iskp"):
        assert langs & {"ps", "ar"}, langs


# -- imported lists ---------------------------------------------------------------------------


def test_ttp_carries_its_un_and_us_designations(registry: Registry) -> None:
    designations = registry.group("ttp").designations
    assert any(d.jurisdiction == "UN" and d.reference == "QDe.132" for d in designations)
    assert any(d.jurisdiction == "US" for d in designations)


def test_bla_us_designation_of_august_2025_is_verified(registry: Registry) -> None:
    assert any(
        d.jurisdiction == "US" and d.date == "2025-08-11" and d.status is DesignationStatus.VERIFIED
        for d in registry.group("bla").designations
    )


def test_only_terrorism_regimes_are_imported(registry: Registry) -> None:
    assert not [g.id for g in registry.groups() if "KOREA" in g.name.upper()]
    assert set(registry.info.lists) >= {"un_1267", "us_fto"}


@pytest.mark.parametrize(
    "name",
    [
        UN_FILE,
        FTO_FILE,
    ],
)
def test_lists_rebuild_byte_for_byte(tmp_path: Path, name: str) -> None:
    if not REFERENCE.is_dir():
        pytest.skip(f"no reference data: {REFERENCE} does not exist")
    written = build_lists(REFERENCE, tmp_path)
    assert sorted(p.name for p in written) == sorted([UN_FILE, FTO_FILE])
    shipped = default_registry_dir() / "lists" / name
    assert (tmp_path / name).read_bytes() == shipped.read_bytes()


GLOBAL = ["hamas", "hizballah", "al-shabaab", "boko-haram", "al-nusrah-front", "irgc", "pkk"]


@pytest.mark.parametrize("group_id", GLOBAL)
def test_global_groups_have_latin_and_arabic_script_names(
    registry: Registry, group_id: str
) -> None:
    group = registry.group(group_id)
    assert group.origin == "curated"
    assert any(d.jurisdiction == "US" for d in group.designations)
    scripts = {
        "arabic" if a.lang in ("ar", "ur", "ps") else "latin" for a in group.aliases if a.match
    }
    assert scripts == {"arabic", "latin"}, group.aliases


def test_ids_of_linked_list_entries_resolve_to_the_curated_group(registry: Registry) -> None:
    """A list entry once imported as a group of its own keeps its old id working: the UN and
    US entries of one group, merged by a curated file, answer to both."""
    assert registry.resolve("al-nusrah-front-for-the-people-of-the-levant") == "al-nusrah-front"
    assert registry.resolve("jama-a-nusrat-ul-islam-wa-al-muslimin") == "jnim"
    assert registry.resolve("jama-at-nusrat-al-islam-wal-muslimin") == "jnim"
    assert registry.group("kurdistan-workers-party").id == "pkk"
    assert registry.has("liberation-tigers-of-tamil-eelam")
    assert registry.resolve("hamas") == "hamas"
    assert registry.resolve("no-such-group") == "no-such-group"
    assert not registry.has("no-such-group")
    nusra = registry.group("al-nusrah-front")
    assert {d.reference for d in nusra.designations} >= {"QDe.137", "16937"}


def test_ids_resolve_only_when_linked(tmp_path: Path) -> None:
    plain = load_registry(write_registry(tmp_path / "plain", MINIMAL, with_lists=True))
    assert plain.resolve("tehrik-e-taliban-pakistan") == "tehrik-e-taliban-pakistan"
    assert plain.has("tehrik-e-taliban-pakistan")  # imported as a group of its own
    half = MINIMAL + "    links:\n      un: QDe.132\n"
    half_linked = load_registry(write_registry(tmp_path / "half", half, with_lists=True))
    # the US entry, not linked, is still a group of its own under that id: it is not moved
    assert half_linked.resolve("tehrik-e-taliban-pakistan") == "tehrik-e-taliban-pakistan"
    text = half + "      us_fto: '12206'\n"
    linked = load_registry(write_registry(tmp_path / "linked", text, with_lists=True))
    assert linked.resolve("tehrik-e-taliban-pakistan") == "alpha"
    assert linked.group("tehrik-e-taliban-pakistan").id == "alpha"
    assert plain.snapshot_hash != linked.snapshot_hash


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "general", "co"),
    [
        ("", True, True),
        ("      general: false\n", False, False),  # another group named follows general
        ("      general: false\n      co: true\n", False, True),
        ("      co: false\n", True, False),
        ("      general: armed\n", "armed", False),  # only where all the general cues count
        ("      general: armed\n      co: true\n", "armed", True),
    ],
)
def test_another_group_named_counts_as_general_says_unless_told(
    tmp_path: Path, lines: str, general: bool | str, co: bool
) -> None:
    text = MINIMAL + "    context:\n      positive: [x]\n" + lines
    context = load_registry(write_registry(tmp_path / "reg", text)).group("alpha").context
    assert (context.general, context.co) == (general, co)


def test_minimal_registry_loads(tmp_path: Path) -> None:
    loaded = load_registry(write_registry(tmp_path / "reg", MINIMAL))
    assert [g.id for g in loaded.groups()] == ["alpha"]
    assert loaded.group("alpha").kind is GroupKind.ARMED_GROUP
    assert loaded.info.as_of == "2025-10-31"


# (variant name, file text, expected line, text the message must contain, copy lists/)
def _one_alias(text: str, kind: str, *fields: str) -> str:
    """A minimal registry whose group has one English alias with the given extra fields."""
    lines = [f"      - text: {text}", "        lang: en", f"        type: {kind}"]
    lines += [f"        {field}" for field in fields]
    return MINIMAL + "    aliases:\n" + "\n".join(lines) + "\n    context:\n      positive: [x]\n"


BROKEN = [
    pytest.param(
        MINIMAL.replace("kind: armed_group", "kind: armed"),
        7,
        "groups[0].kind",
        False,
        id="unknown-kind",
    ),
    pytest.param(MINIMAL + "    colour: red\n", 9, "colour", False, id="unknown-field"),
    pytest.param(
        MINIMAL + "  - id: alpha\n    name: Other\n    kind: armed_group\n    summary: Other.\n",
        9,
        "groups[1].id",
        False,
        id="duplicate-id",
    ),
    pytest.param(
        MINIMAL + "    parent: nope\n    relation: faction\n",
        9,
        "groups[0].parent",
        False,
        id="unknown-parent",
    ),
    pytest.param(
        MINIMAL.replace("    name: Alpha Front\n", ""),
        5,
        "groups[0].name",
        False,
        id="missing-name",
    ),
    pytest.param(
        MINIMAL.replace("'2025-10-31'", "'2025-13'"),
        3,
        "as_of",
        False,
        id="bad-date",
    ),
    pytest.param(
        MINIMAL
        + "    designations:\n"
        + "      - jurisdiction: PK\n"
        + "        authority: Ministry of Interior\n"
        + "        date: '2025-13'\n"
        + "        source: test\n"
        + "        status: unverified\n",
        12,
        "groups[0].designations[0].date",
        False,
        id="bad-designation-date",
    ),
    pytest.param(
        MINIMAL.replace("schema_version: 1", "schema_version: 2"),
        1,
        "schema_version",
        False,
        id="schema-version-2",
    ),
    pytest.param(
        MINIMAL.replace("kind: armed_group", "kind: armed_group: oops"),
        7,
        "YAML syntax",
        False,
        id="yaml-syntax",
    ),
    pytest.param(
        MINIMAL.replace("A test group.", "A test\x00 group."),
        8,
        "character 0x0000 is not allowed",
        False,
        id="nul-character",
    ),
    pytest.param(
        MINIMAL + "    tags: &loop [*loop]\n",
        9,
        "groups[0].tags[0]: an alias refers to itself",
        False,
        id="self-referring-alias",
    ),
    pytest.param(
        MINIMAL
        + "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
        + "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 10)}]\n" for i in range(1, 7)),
        9,  # where the value the count ran out on was written
        "the document holds more than 200,000 values (aliases expanded)",
        False,
        id="a-billion-laughs",
    ),
    pytest.param(
        MINIMAL + "    links:\n      un: QDe.999999\n",
        10,
        "groups[0].links.un",
        True,
        id="unknown-un-reference",
    ),
    pytest.param(
        MINIMAL
        + "    aliases:\n"
        + "      - text: AF\n"
        + "        lang: en\n"
        + "        type: abbreviation\n"
        + "        ambiguous: true\n",
        5,
        "groups[0].context",
        False,
        id="ambiguous-alias-without-context",
    ),
    pytest.param(
        MINIMAL
        + "    aliases:\n"
        + "      - text: القاعدہ\n"
        + "        lang: ur\n"
        + "        type: name\n"
        + "        ambiguous_in: [ar]\n",
        10,
        "ambiguous_in",
        False,
        id="ambiguous-in-without-ambiguous",
    ),
    pytest.param(
        MINIMAL
        + "    aliases:\n"
        + "      - text: Alpha Front\n"
        + "        lang: en\n"
        + "        type: name\n"
        + "        hashtag: true\n",
        10,
        "hashtag",
        False,
        id="hashtag-without-ambiguous",
    ),
    pytest.param(
        MINIMAL + "    context:\n      positive: [x]\n      general: maybe\n",
        11,
        "general: 'maybe': expected true, false or 'armed'",
        False,
        id="general-not-a-boolean",
    ),
    pytest.param(
        _one_alias("Qaida", "name", "ambiguous: true", "article: true"),
        10,
        "article",
        False,
        id="article-on-a-name-without-al",
    ),
    pytest.param(
        _one_alias("Alpha Front", "name", "ambiguous: true", "article: true"),
        10,
        "article",
        False,
        id="article-on-a-word-that-begins-with-al",
    ),
    pytest.param(
        _one_alias("Al-Qaida", "name", "ambiguous: true", "article: sometimes"),
        14,
        "article: 'sometimes': expected true, false or 'required'",
        False,
        id="article-not-true-or-required",
    ),
    pytest.param(
        _one_alias("ISIS", "abbreviation", "presumed: true"),
        10,
        "presumed",
        False,
        id="presumed-without-ambiguous",
    ),
    pytest.param(
        _one_alias("Al-Qaida", "name", "ambiguous: true", "article: true", "presumed: true"),
        10,
        "presumed",
        False,
        id="presumed-with-article",
    ),
    pytest.param(
        _one_alias("PIJ", "abbreviation", "ambiguous: true", "cased: true"),
        10,
        "cased",
        False,
        id="cased-on-an-ambiguous-name",
    ),
    pytest.param(
        _one_alias("Pij Front", "name", "cased: true"),
        10,
        "cased",
        False,
        id="cased-on-a-name",
    ),
    pytest.param(
        _one_alias("HUM", "abbreviation", "ambiguous: true", "own_case: true"),
        10,
        "own_case",
        False,
        id="own-case-in-capitals",
    ),
    pytest.param(
        _one_alias("HuM", "abbreviation", "own_case: true"),
        10,
        "own_case",
        False,
        id="own-case-on-an-unambiguous-name",
    ),
    pytest.param(
        _one_alias("IS", "abbreviation", "ambiguous: true", "frames: {before: [of]}"),
        10,
        "frames",
        False,
        id="frames-on-a-matched-name",
    ),
    pytest.param(
        _one_alias("IS", "abbreviation", "ambiguous: true", "match: false", "frames: {}"),
        10,
        "frames",
        False,
        id="frames-without-words",
    ),
    pytest.param(
        _one_alias(
            "IS",
            "abbreviation",
            "ambiguous: true",
            "match: false",
            "frames:",
            "          before: [of, on]",
        ),
        16,
        "frames.before[1]",
        False,
        id="frame-word-read-as-a-boolean",
    ),
    pytest.param(
        MINIMAL + "    context:\n      positive: [x]\n      co: often\n",
        11,
        "co",
        False,
        id="co-not-a-boolean",
    ),
]


@pytest.mark.parametrize(("text", "line", "field", "with_lists"), BROKEN)
def test_invalid_file_is_refused_at_file_line(
    tmp_path: Path, text: str, line: int, field: str, with_lists: bool
) -> None:
    directory = write_registry(tmp_path / "reg", text, with_lists=with_lists)
    with pytest.raises(InputError) as exc:
        load_registry(directory)
    message = str(exc.value)
    assert message.startswith(f"test.yaml:{line}:"), message
    assert field in message, message


def test_unknown_un_reference_is_accepted_when_it_is_listed(tmp_path: Path) -> None:
    """The control for the ``links.un`` variant: a real reference merges the UN entry."""
    text = MINIMAL + "    links:\n      un: QDe.132\n"
    loaded = load_registry(write_registry(tmp_path / "reg", text, with_lists=True))
    assert any(d.reference == "QDe.132" for d in loaded.group("alpha").designations)


# -- reload -----------------------------------------------------------------------------------


def test_holder_keeps_registry_in_force_on_a_bad_reload(tmp_path: Path) -> None:
    directory = write_registry(tmp_path / "reg", MINIMAL)
    holder = GroupRegistryHolder(directory)
    before = holder.detector.snapshot_hash
    assert holder.detector.registry.group("alpha").summary == "A test group."

    (directory / "test.yaml").write_text(MINIMAL.replace("kind: armed_group", "kind: armed"))
    with pytest.raises(InputError, match=r"^test\.yaml:7:"):
        holder.reload()
    assert holder.detector.snapshot_hash == before
    assert holder.detector.registry.group("alpha").kind is GroupKind.ARMED_GROUP

    (directory / "test.yaml").write_text(MINIMAL.replace("A test group.", "Changed."))
    fresh = holder.reload()
    assert fresh is holder.detector
    assert holder.detector.snapshot_hash != before
    assert holder.detector.registry.group("alpha").summary == "Changed."


# -- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Tehreek-e-Taliban", "تحریک طالبان", "T.T.P"])
def test_search_in_any_script_or_spelling(registry: Registry, query: str) -> None:
    assert "ttp" in [g.id for g in registry.search(query=query)]


def test_search_by_kind(registry: Registry) -> None:
    parties = registry.search(kind=GroupKind.POLITICAL_PARTY)
    assert "tlp" in [g.id for g in parties]
    assert all(g.kind is GroupKind.POLITICAL_PARTY for g in parties)


def test_build_refuses_missing_or_malformed_reference_data(tmp_path: Path) -> None:
    from nigehban.errors import InputError
    from nigehban.groups.lists import build_lists

    with pytest.raises(InputError, match="not a directory"):
        build_lists(tmp_path / "nope", tmp_path / "out")
    (tmp_path / "ref" / "un_sanctions").mkdir(parents=True)
    (tmp_path / "ref" / "un_sanctions" / "un_entities.json").write_text(
        '[{"un_list_type": "Al-Qaida", "name": "X"}]'
    )
    with pytest.raises(InputError, match=r"un_entities\.json: an entry lacks the field"):
        build_lists(tmp_path / "ref", tmp_path / "out")
    (tmp_path / "ref" / "un_sanctions" / "un_entities.json").write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        build_lists(tmp_path / "ref", tmp_path / "out")


@pytest.mark.parametrize(
    ("text", "group_id"),
    [
        ("The Islamic State claimed the attack through Amaq.", "isil"),
        ("وكالة أعماق تنشر بيانا عن الهجوم", "isil"),
        ("A new Al-Malahem Media release praised the attack.", "aqap"),
        ("مؤسسة الزلاقة نشرت تسجيلا جديدا", "jnim"),
        ("ISCAP fighters attacked a village in North Kivu.", "is-drc"),
        ("القوات الديمقراطية المتحالفة تهاجم قرية في شرق الكونغو", "is-drc"),
        ("داعش موزمبیق نے کابو ڈیلگاڈو میں حملے کی ذمہ داری قبول کی", "is-mozambique"),
    ],
)
def test_media_outlets_and_african_branches_are_found(
    matcher: GroupMatcher, text: str, group_id: str
) -> None:
    assert group_id in {h.entry_id for h in matcher.match(text)}


def test_african_branches_are_wings_of_the_islamic_state_with_fto_designations(
    registry: Registry,
) -> None:
    for group_id, reference in (("is-drc", "16696"), ("is-mozambique", "31372")):
        group = registry.group(group_id)
        assert (group.parent, group.relation and group.relation.value) == ("isil", "wing")
        assert [(d.jurisdiction, d.reference) for d in group.designations] == [("US", reference)]
    # the ids the list entries had before they were curated still resolve
    assert registry.resolve("islamic-state-of-iraq-and-syria-mozambique") == "is-mozambique"


def test_a_misspelt_required_field_is_named_at_its_line(tmp_path: Path) -> None:
    """The unknown field is reported, not the required one it was meant to be."""
    text = MINIMAL.replace("    summary: A test group.", "    sumary: A test group.")
    with pytest.raises(InputError) as caught:
        load_registry(write_registry(tmp_path / "r", text))
    assert str(caught.value) == "test.yaml:8: groups[0].sumary: unknown field 'sumary'"


@pytest.mark.parametrize(("missing", "link"), [(UN_FILE, "un"), (FTO_FILE, "us_fto")])
def test_a_link_to_a_list_whose_file_is_missing_is_refused(
    tmp_path: Path, missing: str, link: str
) -> None:
    copy = tmp_path / "registry"
    shutil.copytree(default_registry_dir(), copy)
    (copy / "lists" / missing).unlink()
    with pytest.raises(InputError) as caught:
        load_registry(copy)
    message = str(caught.value)
    assert f".links.{link}: links to the " in message and f"{missing} is missing" in message
    assert message.split(":")[1].isdigit()  # file:line
