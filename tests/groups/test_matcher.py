"""The group matcher: every group in every script, through evasion tricks, with exact spans."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.groups import matcher as matcher_module
from nigehban.groups.ambiguity import ARMED_CUES, GENERAL_CUES
from nigehban.groups.matcher import GroupMatcher, script_of
from nigehban.groups.model import AliasType
from nigehban.groups.registry import load_registry
from nigehban.model.spans import codepoints_to_utf16
from nigehban.text.normaliser import Level, normalise_text
from tests.groups.registry_files import MINIMAL, write_registry

CARRIERS = {
    "Latn": "Officials said {} was named in the report released on Monday.",
    "ur": "رپورٹ کے مطابق {} کا نام بھی شامل ہے۔",
    "ps": "د راپور له مخې د {} نوم هم پکې دی.",
    "ar": "ذكر التقرير اسم {} في صفحته الأولى.",
}


@cache
def matcher() -> GroupMatcher:
    return GroupMatcher(load_registry())


def _ids(text: str) -> set[str]:
    return {h.entry_id for h in matcher().match(text)}


def _carrier(lang: str) -> str:
    return CARRIERS.get(lang, CARRIERS["Latn"])


def _curated_aliases() -> list[tuple[str, str, str, bool]]:
    registry = matcher().registry
    rows = []
    for group in registry.groups():
        if group.origin != "curated":
            continue
        for alias in group.aliases:
            if alias.match:
                rows.append((group.id, alias.text, alias.lang, alias.ambiguous))
    for label in registry.labels():
        for alias in label.aliases:
            if alias.match:
                rows.append((label.id, alias.text, alias.lang, alias.ambiguous))
    return rows


def test_every_curated_name_is_found_in_its_script() -> None:
    """Each matchable name of each curated group and label, inside an ordinary sentence of its
    language; ambiguous ones with a cue ("banned outfit") next to them (those the sense model
    decides are tested in context in ``test_sense.py``)."""
    missed = []
    sense = matcher().sense
    for entry, text, lang, ambiguous in _curated_aliases():
        if sense is not None and sense.decides("a=" + normalise_text(text, Level.AGGRESSIVE)):
            continue  # resolved by the sense model: tests/groups/test_sense.py
        surface = f"the banned outfit {text}" if ambiguous and lang in ("en", "ur-Latn") else text
        if ambiguous and lang not in ("en", "ur-Latn"):
            surface = f"کالعدم {text}"
        registry = matcher().registry
        context = None if registry.is_label(entry) else registry.group(entry).context
        if ambiguous and context is not None and not context.general:
            # the general cues do not count for it: one of its own instead
            surface = f"{text} {context.positive[0]}"
        sentence = _carrier(lang).format(surface)
        hits = [h for h in matcher().match(sentence) if h.entry_id == entry]
        if not hits:
            missed.append((entry, text))
            continue
        assert any(h.span.slice(sentence).endswith(h.surface) for h in hits)
    assert missed == []


def test_every_group_is_found_through_its_main_names() -> None:
    for group_id, sentence in [
        ("ttp", "Tehreek-e-Taliban Pakistan claimed it"),
        ("ttp", "کالعدم تحریک طالبان پاکستان نے ذمہ داری قبول کی"),
        ("ttp", "د پاکستان طالبان وايي"),
        ("ttp", "أعلنت حركة طالبان باكستان"),
        ("bla", "Balochistan Liberation Army"),
        ("bla", "بلوچ لبریشن آرمی نے دعویٰ کیا"),
        ("let", "Lashkar-e-Tayyiba"),
        ("let", "لشکر طیبہ"),
        ("jem", "Jaish-e-Mohammed"),
        ("jem", "جيش محمد"),
        ("lej", "Lashkar-e-Jhangvi"),
        ("lej", "لشکر جھنگوی"),
        ("iskp", "Islamic State Khorasan Province"),
        ("iskp", "ولاية خراسان"),
        ("tlp", "Tehreek-e-Labbaik Pakistan"),
        ("tlp", "تحریک لبیک پاکستان"),
        ("ptm", "Pashtun Tahaffuz Movement"),
        ("ptm", "پشتون تحفظ موومنٹ"),
        ("isil", "داعش"),
        ("fitna-al-khawarij", "Fitna al-Khawarij"),
        ("fitna-al-hindustan", "فتنہ الہندوستان"),
        ("ttp", "Taliban Pakistan"),
        ("lej", "لشکرجھنگوی"),
        ("hamas", "Hamaas"),
        ("isgs", "اسلامک اسٹیٹ گریٹر صحارا"),
        ("pkk", "«ب.ك.ك»"),
    ]:
        assert group_id in _ids(sentence), sentence


@pytest.mark.parametrize(
    ("text", "surface", "trick"),
    [
        ("Join the ТТР now", "ТТР", "homoglyph"),  # Cyrillic
        ("T\u200bT\u200bP statement", "T\u200bT\u200bP", "invisible_characters"),
        ("T.T.P statement", "T.T.P", "spaced_acronym"),
        ("T T P statement", "T T P", "spaced_acronym"),
        ("T4l1b4n Pakistan Tehr33k-e-T4l1b4n", "Tehr33k-e-T4l1b4n", "leetspeak"),
        ("Tehreeeek-e-Taliban", "Tehreeeek-e-Taliban", "elongation"),
        ("تحریکِ طالبـــان", "تحریکِ طالبـــان", "tatweel"),
        ("ت ح ر ي ك ط ا ل ب ا ن کا بیان", "ت ح ر ي ك ط ا ل ب ا ن", "spaced_acronym"),
    ],
)
def test_evasion_tricks_are_seen_through_and_named(text: str, surface: str, trick: str) -> None:
    hits = {h.surface: h for h in matcher().match(text) if h.entry_id == "ttp"}
    assert surface in hits, (text, list(hits))
    assert trick in hits[surface].evasion


@pytest.mark.parametrize(
    "text",
    [
        "#BanTTP now",
        "tehreek e taliban pakistan",
        "Tahrik-i-Taliban Pakistan",
        "تحريك طالبان باكستان",  # Arabic letters
        "تحریک طالبان پاکستان",  # Urdu letters
        "وتحريك طالبان باكستان",  # a glued proclitic
        "TTP's spokesman",
    ],
)
def test_spelling_and_script_variants(text: str) -> None:
    assert "ttp" in _ids(text)


def test_the_honorific_ligature_glued_to_the_prophets_name() -> None:
    """Urdu writers put ﷺ right after محمد; the name is found with it, and the ligature alone
    names nothing."""
    (hit,) = matcher().match("جیش محمدﷺ کے نام پر چندہ")
    assert (hit.entry_id, hit.surface) == ("jem", "جیش محمدﷺ")
    assert matcher().match("محمدﷺ کی سنت") == []


def test_an_arabic_script_name_spelled_letter_by_letter_is_found() -> None:
    text = "حسابات تكتب «ج ب ه ة ا ل ن ص ر ة» بحروف متفرقة"
    (hit,) = matcher().match(text)
    assert (hit.entry_id, hit.surface) == ("al-nusrah-front", "ج ب ه ة ا ل ن ص ر ة")
    assert hit.evasion == ("spaced_acronym",)
    # the name written whole is no trick; too short a name has no spaceless form
    assert matcher().match("جبهة النصرة")[0].evasion == ()
    assert not matcher().match("ب ك ك ك")


def test_spans_are_code_points_of_the_original_text() -> None:
    text = "🔥🔥 News: کالعدم تحریکِ طالبان پاکستان and the Ｔ.Ｔ.Ｐ"
    hits = [h for h in matcher().match(text) if h.entry_id == "ttp"]
    assert [h.span.slice(text) for h in hits] == ["تحریکِ طالبان پاکستان", "Ｔ.Ｔ.Ｐ"]
    offset, length = codepoints_to_utf16(text, hits[0].span)
    assert offset == hits[0].span.start + 2  # two astral emoji before it
    assert length == len(hits[0].surface)


def test_inner_names_give_way_to_longer_ones() -> None:
    hits = matcher().match("Lashkar-e-Jhangvi Al-Alami claimed it")
    assert {h.entry_id for h in hits} == {"leja"}


def test_state_labels_refer_to_groups() -> None:
    hits = [h for h in matcher().match("Operation against Fitna al-Hindustan") if h.is_label]
    assert hits and hits[0].entry_id == "fitna-al-hindustan"
    label = matcher().registry.label("fitna-al-hindustan")
    assert "bla" in label.refers_to


@pytest.mark.parametrize(
    "text",
    [
        "LET ME KNOW when you are free",
        "bla bla bla, same old story",
        "BLA BLA BLA",
        "Kal school mein PTM hai, ammi ko yaad dilana",
        "BRA 2-1 ARG what a match",
        "let it go",
        # names the imported lists give that are everyday phrases or common names of schools,
        # trusts and companies (registry._EVERYDAY), with or without the article
        "Judas Priest released Defenders of the Faith in 1984",
        "Aaj dars mein Riyadh-as-Saliheen ki teesri hadith parhi",
        "The Soldiers of Aqsa won the inter-school football cup",
        "Idara Khidmat-e-Khalq ne free eye camp lagaya",
        "The scholars of Ahl al-Sunna wa al-Jamaa agree on this",
        "The Committee for the Safety of the Roads wants a zebra crossing by the school",
        "Those Who Sign in Blood is the best track on the new album",
        "Jamal Network Solutions fixed our office Wi-Fi in an hour",
        "",
        "   ",
        "🔥🔥🔥",
    ],
)
def test_everyday_uses_and_empty_texts_find_nothing(text: str) -> None:
    assert matcher().match(text) == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("BLA militants attacked a check post near Turbat", "bla"),
        ("Police arrested LeT operatives in Kashmir", "let"),
        ("PTM jirga in Bannu demanded the recovery of missing persons", "ptm"),
        ("The B.L.A account was suspended", "bla"),
    ],
)
def test_ambiguous_acronyms_count_with_context(text: str, group: str) -> None:
    hits = [h for h in matcher().match(text) if h.entry_id == group]
    assert hits and hits[0].ambiguous and hits[0].resolved
    assert any(c.startswith("+") for c in hits[0].cues)


@pytest.mark.parametrize(
    ("text", "group", "counts"),
    [
        ("حـمـاس تنشر بيانا جديدا على قناتها", "hamas", True),  # broken up at two places
        ("الدولــة الإسلاميــة باقية", "isil", True),  # one stretch in each word
        ("القـاعـدة قادمة", "al-qaeda", True),
        ("حمـــاس الجماهير قبل المباراة كان رائعا", "hamas", False),  # one stretch: stress
        ("حماس الجماهير قبل المباراة كان رائعا", "hamas", False),
        ("ـحماسـ", "hamas", False),  # tatweel at the ends: padding
    ],
)
def test_a_name_stretched_with_tatweel_counts_as_a_filter_dodge(
    text: str, group: str, counts: bool
) -> None:
    hits = [h for h in matcher().match(text, include_unresolved=True) if h.entry_id == group]
    assert hits and hits[0].ambiguous
    assert hits[0].resolved is counts
    assert ("+stretched with tatweel" in hits[0].cues) is counts


def test_arabic_hey_folks_is_no_group_cue() -> None:
    everyday = "دعوة لتيسير المهور: الشباب ليسوا بنوكًا متنقلة يا جماعة."  # "the youth"
    assert "al-shabaab" not in _ids(everyday)
    assert "al-shabaab" in _ids("جماعة الشباب تتبنى الهجوم على القاعدة العسكرية في الصومال")


@pytest.mark.parametrize(
    ("text", "surface", "counts"),
    [
        ("HuJI cadres in Dhaka were sentenced", "HuJI", True),  # read as camel case: "hu ji"
        ("HUJI cadres in Dhaka were sentenced", "HUJI", True),  # in capitals: "huji"
        ("HuJI's role in Bangladesh came out later", "HuJI's", True),
        ("HUJI's Bangladesh branch", "HUJI's", True),
        ("HUJI's political science department hosted the talk", "HUJI's", False),
        ("Hu Ji from Kashmir posted a photo", "Hu Ji", False),  # a name, not the acronym
    ],
)
def test_an_acronym_in_its_own_mixed_case_is_found_in_capitals_too(
    text: str, surface: str, counts: bool
) -> None:
    hits = [h for h in matcher().match(text, include_unresolved=True)]
    assert [(h.entry_id, h.surface) for h in hits] == [("harakat-ul-jihad-islami", surface)]
    assert hits[0].resolved is counts


def test_a_names_own_plural_is_no_cue_for_it() -> None:
    """ "BRAS" is a cue for the BRA (an alliance it belongs to), but not in a shop's "BRA … BRAS"."""
    everyday = "BRA FITTING DAY at the mall store: all BRAS 30% off. Saturday only."
    assert _ids(everyday) == set()
    assert "bra" in _ids("BRA fighters have joined BRAS, the alliance of Baloch armed groups.")


def test_unresolved_hits_are_returned_on_request_only() -> None:
    text = "LET ME KNOW"
    assert matcher().match(text) == []
    hits = matcher().match(text, include_unresolved=True)
    assert hits and not hits[0].resolved


def test_mixed_scripts_and_enormous_text() -> None:
    part = "News from Quetta. کالعدم بلوچ لبریشن آرمی. Tehreek-e-Taliban. 😀 " * 2000
    hits = matcher().match(part)
    assert {h.entry_id for h in hits} >= {"bla", "ttp"}
    assert len([h for h in hits if h.entry_id == "ttp"]) == 2000
    for hit in hits[:10]:
        assert hit.span.slice(part) == hit.surface


def test_abbreviation_aliases_are_typed() -> None:
    registry = matcher().registry
    assert any(
        a.type is AliasType.ABBREVIATION and a.text == "TTP" for a in registry.group("ttp").aliases
    )


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("کالعدم لشکرطیبہ کے کارکن", "let"),  # no space after the non-joining ر
        ("د پاکستاني طالبانو ویاند", "ttp"),  # Pashto oblique plural
        ("د حقاني شبکې غړي", "haqqani-network"),  # Pashto oblique -ې
        ("د القاعدې پخواني مشر ووژل شو", "al-qaeda"),  # the same, of a name ambiguous in Arabic
    ],
)
def test_urdu_and_pashto_word_forms(text: str, group: str) -> None:
    assert group in _ids(text)


def test_entry_ids_agree_with_match() -> None:
    m = GroupMatcher(load_registry())
    for text in (
        "کالعدم تحریک طالبان پاکستان نے ذمہ داری قبول کی",
        "PTM jirga in Bannu; the TTP claimed the attack and the BLA too",
        "let me know about the bla bla meeting",
        "Fitna al-Khawarij and T.T.P, then Lashkar-e-Jhangvi",
        "",
    ):
        assert m.entry_ids(text) == list(dict.fromkeys(h.entry_id for h in m.match(text)))


def test_entry_ids_agree_with_match_on_the_evaluation_set() -> None:
    """``entry_ids`` locates only ambiguous names, and ``match`` skips locating those that no
    spelling could resolve; on every committed mention and hard negative both name exactly the
    groups resolved among all hits (``include_unresolved``), in the same order."""
    import json
    from pathlib import Path

    m = GroupMatcher(load_registry())
    root = Path(__file__).resolve().parent.parent / "data" / "groups"
    paths = [
        root / "mentions.jsonl",
        root / "blind" / "mentions.jsonl",
        *sorted((root / "hard_negatives").glob("*.jsonl")),
    ]
    for path in paths:
        for line in path.read_text().splitlines():
            text = json.loads(line)["text"]
            found = list(dict.fromkeys(h.entry_id for h in m.match(text)))
            assert m.entry_ids(text) == found, text[:80]
            every = m.match(text, include_unresolved=True)
            assert list(dict.fromkeys(h.entry_id for h in every if h.resolved)) == found


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("القاعدہ کے سربراہ کی ہلاکت کو چودہ برس گزر گئے۔", True),  # Urdu, spelled with ہ
        ("د القاعده پخواني غړي ونیول شول.", True),  # Pashto, spelled with ه
        ("نحو کے سبق میں القاعدہ یاد کروایا گیا۔", False),  # Urdu, a grammar rule: negative cue
        ("کتاب میں جہاں القاعدة کا خانہ ہو، وہ یاد کریں۔", False),  # Arabic spelling, quoted
        ("القاعدة الذهبية في الاستثمار هي التنويع.", False),  # Arabic: "the golden rule"
        ("المستوى القاعدي للتعليم يحتاج إلى دعم.", False),  # Arabic adjective "basic"
    ],
)
def test_al_qaeda_in_arabic_script_is_ambiguous_only_in_arabic(text: str, counts: bool) -> None:
    found = [h for h in matcher().match(text) if h.entry_id == "al-qaeda"]
    assert bool(found) is counts


def test_a_latin_name_takes_the_possessive() -> None:
    hits = matcher().match("The Majeed Brigade's suicide attack claim was denied.")
    assert [h.entry_id for h in hits] == ["majeed-brigade"]
    assert hits[0].surface == "Majeed Brigade's"


@pytest.mark.parametrize(
    ("text", "group", "surface"),
    [
        ("al-Qaeda's leader was killed.", "al-qaeda", "Qaeda's"),
        ("Al-Qaida’s men fled.", "al-qaeda", "Qaida’s"),
        ("Daesh's claim was false.", "isil", "Daesh's"),
        ("Hamas's leader spoke.", "hamas", "Hamas's"),
        ("Lashkar-e-Toiba's chief was arrested.", "let", "Lashkar-e-Toiba's"),
        ("Jaish-e-Mohammed's chief was arrested.", "jem", "Jaish-e-Mohammed's"),
        ("Harkat-ul-Mujahideen's camp was hit.", "harakat-ul-mujahideen", "Harkat-ul-Mujahideen's"),
    ],
)
def test_the_possessive_of_a_short_or_variant_spelled_name(
    text: str, group: str, surface: str
) -> None:
    """The possessive s stays glued to the last word, which the Roman Urdu spelling folding
    (whole words only) then misses: every spelling of the last word takes it."""
    hits = [h for h in matcher().match(text) if h.entry_id == group]
    assert [h.surface for h in hits] == [surface]


@pytest.mark.parametrize(
    ("text", "group", "surface"),
    [
        ("T.T.P's spring offensive was announced.", "ttp", "T.T.P's"),
        ("The T T P’s statement was denied.", "ttp", "T T P’s"),
        ("Militants of the B-L-A's Majeed Brigade claimed it.", "bla", "B-L-A's"),
    ],
)
def test_a_spelled_name_takes_the_possessive(text: str, group: str, surface: str) -> None:
    hits = [h for h in matcher().match(text) if h.entry_id == group]
    assert [h.surface for h in hits] == [surface]


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("Police said a T.T.P commander was killed in the raid.", [("ttp", "T.T.P")]),
        ("claimed by the T.T.P. A spokesman later denied it", [("ttp", "T.T.P")]),
        ("T.T.P k khilaf operation jari hai", [("ttp", "T.T.P")]),
        ("Is T.T.P I.S.I ka project hai?", [("ttp", "T.T.P")]),
        ("a T.T.P's claim", [("ttp", "T.T.P's")]),
    ],
)
def test_a_single_letter_beside_a_spelled_name(text: str, surfaces: list[tuple[str, str]]) -> None:
    """A single letter kept apart by whitespace does not join letters spelled with dots."""
    assert [(h.entry_id, h.surface) for h in matcher().match(text)] == surfaces


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30) | st.text(alphabet="Aa1 .-ТΑ\u200b\u0301ب", max_size=12))
def test_script_of_equals_the_script_of_each_letter(text: str) -> None:
    """The ASCII shortcut and the cache give what reading each letter gives."""
    scripts = {s for s in map(matcher_module._script_of_char, text) if s is not None}
    assert script_of(text) == (scripts.pop() if len(scripts) == 1 else "Zyyy")


def test_one_mention_written_with_a_wrong_letter_is_one_hit() -> None:
    """ "تحريک طالبان باکستان" (ب for پ) holds two names, each part of the one mention."""
    hits = [
        h
        for h in matcher().match("تحريک طالبان باکستان نے ذمہ داری قبول کی")
        if h.entry_id == "ttp"
    ]
    assert len(hits) == 1 and hits[0].surface == "طالبان باکستان"


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=40))
def test_outermost_drops_exactly_the_candidates_strictly_inside_another(
    spans: list[tuple[int, int]],
) -> None:
    found = [matcher_module._Candidate(s, s + n, f"k{i}", ()) for i, (s, n) in enumerate(spans)]
    naive = sorted(
        (
            c
            for c in found
            if not any(
                o.start <= c.start and c.end <= o.end and (o.start, o.end) != (c.start, c.end)
                for o in found
            )
        ),
        key=lambda c: (c.start, c.end),
    )
    assert matcher_module._outermost(found) == naive


def test_a_long_post_full_of_names_is_matched_in_linear_time() -> None:
    started = time.perf_counter()
    hits = matcher().match("Tehrik-e-Taliban Pakistan al-Qaeda " * 3000)  # 105,000 characters
    assert len(hits) == 6000 and time.perf_counter() - started < 3


# -- names written as one hashtag, names several groups share, the Islamic State's provinces --


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("#IslamicState soldiers on ribat duty, photos", "isil"),
        ("هجوم فاشل علي مواقع #الدولة_الإسلامية غرب #الرمادي", "isil"),
        ("#حزب_اللہ کے نام سے بنے اردو پیجز پر پرانی ویڈیوز", "hizballah"),
    ],
)
def test_a_name_written_as_one_hashtag_counts_as_a_cue(text: str, group: str) -> None:
    hits = [h for h in matcher().match(text) if h.entry_id == group]
    assert hits and hits[0].cues == ("+the name written as one hashtag",)


@pytest.mark.parametrize(
    "text",
    [
        "Essentials of an Islamic State, lecture notes",  # no hashtag
        "#IslamicStateOfMind is my new favourite podcast",  # more than the name in the tag
        "#Islamic State debate at the union tonight",  # the tag holds one word of it
        "#اہل_سنت_والجماعت کا عقیدہ اور تاریخ",  # ASWJ's name is also the Sunni community's
    ],
)
def test_a_hashtag_that_is_not_just_the_name_is_no_cue(text: str) -> None:
    assert not [h for h in matcher().match(text) if h.ambiguous]


@pytest.mark.parametrize(
    "text",
    [
        "For the past week there have been clashes between #IS and Assad forces",
        "#IS fighters advance on Palmyra",
        "#Syria #Daraa #IS- offshoot near Deir Ezzor declares a military zone",
        "داعش یعنی #IS کی ویڈیو ہے، شیئر نہ کریں",  # after another script
        "the #is in this #IS post about Mosul #IS",  # twice, after the word in lower case
    ],
)
def test_a_name_matched_only_as_a_hashtag_counts_there(text: str) -> None:
    """ "IS" is display-only in running text (the verb in capitals, Roman Urdu "is"), but
    ``#IS`` written so is matched, and counts with a cue as any ambiguous name does; each
    span is the name right after a ``#``."""
    hits = [h for h in matcher().match(text) if h.alias == "IS"]
    starts = [i + 1 for i in range(len(text)) if text.startswith("#IS", i)]
    starts = [i for i in starts if not text[i + 2 : i + 3].isalnum()]
    assert [h.span.start for h in hits] == starts
    for hit in hits:
        assert (hit.entry_id, hit.surface, hit.resolved) == ("isil", "IS", True)
        assert "+the name written as one hashtag" in hit.cues
    assert matcher().entry_ids(text) == list(
        dict.fromkeys(h.entry_id for h in matcher().match(text))
    )


@pytest.mark.parametrize(
    "text",
    [
        "Clashes between IS and Assad forces",  # not a hashtag
        "#IS",  # the hashtag alone is no cue
        "Congrats to all our #IS graduates, the department is proud",  # Information Systems
        "GG to #IS for the scrim, your fighters were better in the late game",  # a cue against
        "What #is going on",  # not as given: lower case
        "Astronauts in the JEM module today #ISS #Kibo",  # another word
        "#IS_Aleppo photo report",  # more than the name in the tag
        "WHAT A GAME, THIS #IS THE BEST DAY EVER",  # in capitals a hashtag alone is not enough
    ],
)
def test_a_name_matched_only_as_a_hashtag_counts_nowhere_else(text: str) -> None:
    assert not [h for h in matcher().match(text) if h.alias == "IS"]
    assert "isil" not in matcher().entry_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "More evidence Dumayr has quietly fallen to IS, a blow to the rebels near Palmyra",
        "The reporter was killed by fighters of IS #iraq",
        "Rebels near Aleppo are firing mortars against IS.",
        "Assad gave Palmyra to IS",
        "Killed 6 IS Militants near Sharish",
        "Airstrikes hit IS-held areas east of Mosul",
        "#IS claims the attack on the checkpoint in Mosul",
        "داعش یعنی IS fighters کی ویڈیو ہے",  # after another script
    ],
)
def test_a_name_kept_out_of_running_text_counts_in_its_frames_with_a_cue(text: str) -> None:
    """ "IS" in running text is the verb in capitals, Roman Urdu "is", Information Systems,
    Iceland; in one of its frames ("fighters of IS", "IS claims") it is matched, and counts with
    a cue as a name in running text does (the frame word may be that cue: "IS Militants")."""
    hits = [h for h in matcher().match(text) if h.alias == "IS"]
    assert len(hits) == 1, hits
    (hit,) = hits
    assert (hit.entry_id, hit.surface, hit.resolved) == ("isil", "IS", True)
    assert text[hit.span.start : hit.span.end] == "IS"
    assert any("frames" in cue for cue in hit.cues), hit.cues
    assert "isil" in matcher().entry_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "This IS attack on our rights and we will not stay quiet",  # the verb
        "It IS terrorists who win when we stop talking to each other",
        "IS attack ke baad sab log dare hue hain",  # Roman Urdu: after this attack
        "Cement bags for the bunkers must conform to IS 456",  # a code
        "Shoutout to IS guys who restored the server after the attack",  # a phrase of its own
        "Information Systems (IS) leaders met the police chief today",
        "our is fighters won the scrim",  # lower case
        "REPORTS SAY 6 IS MILITANTS KILLED NEAR MOSUL TODAY",  # a text in capitals
        "Auditor: IS controls over user access remain weak",  # no frame word
        "Final whistle: 1-1 draw with IS.",  # a frame, but no cue: Iceland, a team, a person
        "The two IS fighters on the card both train in Reykjavik",  # a cue against
    ],
)
def test_a_name_kept_out_of_running_text_counts_nowhere_else(text: str) -> None:
    assert not [h for h in matcher().match(text) if h.alias == "IS"]
    assert "isil" not in matcher().entry_ids(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abIS #_.-'é٠ہیت 0🙂\u200cABC", max_size=30),
    st.text(alphabet="abIS #_.-'é٠ہیت 0🙂\u200cABC", max_size=30),
)
def test_a_hashtag_only_name_is_located_exactly(before: str, after: str) -> None:
    """Wherever ``#IS`` stands, and whatever words around it normalise to, the hit's span is
    the name right after its ``#``."""
    text = f"{before} #IS {after}"
    spans = [h.span for h in matcher().match(text, include_unresolved=True) if h.alias == "IS"]
    for span in spans:
        assert span.slice(text) == "IS" and text[span.start - 1] == "#"
    assert len(before) + 2 in [s.start for s in spans]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        (
            "Ansar al-Sharia fighters clashed with the army in Benghazi",
            {"ansar-al-sharia-benghazi"},
        ),
        ("#YEMEN Ansar Al Sharia releases pictures from #Hadramawt", {"aqap"}),
        ("أنصار الشريعة في تونس تنفي", {"ansar-al-sharia-in-tunisia"}),
        (
            "Ansar al-Sharia in Libya lost ground",
            {"ansar-al-sharia-benghazi", "ansar-al-sharia-derna"},
        ),
        (
            "Ansar al-Sharia leader arrested",
            {
                "aqap",
                "ansar-al-sharia-in-tunisia",
                "ansar-al-sharia-benghazi",
                "ansar-al-sharia-derna",
            },
        ),
    ],
)
def test_a_name_groups_share_keeps_those_the_text_places(text: str, groups: set[str]) -> None:
    """Where the text names the country or city of some of the groups that share a name, only
    those are kept; a text that does not say is about any of them."""
    assert _ids(text) == groups


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("#WilayatHalab Killing 50 in an attack near the airbase", "isil"),
        ("#WilayatAlFurat #AllahuAkbar", "isil"),
        ("#ولاية_صلاح_الدين احراق اربع ثكنات", "isil"),
        ("#WilayatTarabulus photo report from Sirte", "isil-libya"),
        ("#Breaking #WilayatHadramawt", "isil-yemen"),
        ("A3maq: aftermath of the airstrikes", "isil"),
    ],
)
def test_the_islamic_states_provinces_and_agency_spellings(text: str, group: str) -> None:
    assert group in _ids(text)


def test_the_un_and_us_entries_of_one_branch_are_one_group() -> None:
    registry = matcher().registry
    for old, new in [
        ("islamic-state-in-iraq-and-the-levant-libya", "isil-libya"),
        ("islamic-state-in-iraq-and-the-levant-yemen", "isil-yemen"),
        ("ansar-al-charia-benghazi", "ansar-al-sharia-benghazi"),
        ("ansar-al-shari-a-in-benghazi", "ansar-al-sharia-benghazi"),
        ("ansar-al-charia-derna", "ansar-al-sharia-derna"),
        ("ansar-al-shari-a-in-darnah", "ansar-al-sharia-derna"),
    ]:
        assert registry.resolve(old) == new
    assert {d.jurisdiction for d in registry.group("isil-libya").designations} == {"UN", "US"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jaysh al-Islam rebels in Douma agreed to the ceasefire with Assad", False),
        ("Jaish al-Islam militants attacked ISIS positions near Damascus", False),
        ("Army of Islam militants in Gaza claimed the kidnapping", True),
        ("جيش الإسلام في غزة يتبنى الهجوم", True),
    ],
)
def test_army_of_islam_needs_gaza_not_the_syrian_coalition(text: str, found: bool) -> None:
    assert ("army-of-islam" in _ids(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Every terrorist attack is an attack on the Islamic State our Constitution promises",
            False,
        ),
        ("Terrorists want you to think violence is religion; the Islamic State forbade it", False),
        ("Sunnis are turning to Al Qaeda, not Islamic State", True),  # another group named
        ("Islamic State militants claimed responsibility for the blast", True),
        ("Islamic State fighters retreated from Palmyra", True),
    ],
)
def test_the_islamic_state_needs_its_own_cues_or_another_group(text: str, found: bool) -> None:
    """The everyday Islamic state is invoked against terrorism ("the Islamic State of
    Medina"), so the general words ("terrorist", "attack") are no cue for the group; another
    group named still is (``context.co``), and its own cues are."""
    assert ("isil" in _ids(text)) is found
    assert ("isil" in matcher().entry_ids(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "The veiled threat in his speech was hard to miss",
        "Red Eagles beat Blue Stars 2-1 in the final",
        "Marvel fans: The Sentinels are back",
        "the revolutionary struggle of the working class",
        "An armed Islamic group attacked the convoy, police said",  # a description, not a name
        "Al Madina Trust ration drive in Lahore",
        "Al Ameen Trust hospital free eye camp",
        "Surah Al-Furqan ki tilawat ke baad dua",
        "Human Welfare Foundation flood relief camp",
        "The Jewish Legion fought in the First World War",
        "Supporters of Islamic law rallied outside parliament",
        "a history of the Egyptian Islamic movement since the 1970s",
        "In Myanmar the People's Defense Force took the town",
        "Istikamet belli değil, yine de yola çıktık",  # Turkish: direction
        "Askatasuna eta bakea",  # Basque: freedom
        "المرابطون في المسجد الأقصى",  # those who keep watch at al-Aqsa
        "مكتب الخدمات الطلابية في الجامعة",  # a students' services office
        "انصار الدين والوطن",
        "Ansar-ul-Islam volunteers managed the crowd at the JUI-F march",
    ],
)
def test_list_names_that_are_everyday_phrases_are_display_only(text: str) -> None:
    """Names on the UN and US lists that everyday text holds with no group meant (an
    imported group's own name too) are kept for display, not matched."""
    assert matcher().match(text) == []
    assert matcher().entry_ids(text) == []


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Ansar Dine fighters in Mali", ["ansar-eddine"]),
        ("سيطرت جماعة أنصار الدين على تمبكتو عام 2012", ["ansar-eddine"]),
        ("Ansar al-Islam militants in Halabja", ["ansar-al-islam"]),
        ("Al-Mourabitoun claimed the attack", ["al-mourabitoun"]),
        ("Dzemilijati Furkan", ["al-furqan"]),
        (
            "Revolutionary People's Liberation Party/Front",
            ["revolutionary-people-s-liberation-party-front"],
        ),
    ],
)
def test_list_names_that_are_not_everyday_phrases_still_count(text: str, groups: list[str]) -> None:
    assert _ids_in_order(text) == groups


def _ids_in_order(text: str) -> list[str]:
    return list(dict.fromkeys(h.entry_id for h in matcher().match(text)))


def _names_exactly(text: str, groups: list[str]) -> None:
    """Both paths of the matcher name exactly ``groups``, in order of first mention."""
    assert _ids_in_order(text) == groups
    assert matcher().entry_ids(text) == groups


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the Al-Qaida network", True),
        ("al-qaeda ne hamla kiya", True),  # lower case, but with its article
        ("#AlQaeda", True),
        ("al-Qaeda's leader", True),
        ("Osama bin Laden founded Qaida", True),  # no article: a cue
        ("Bache ko Noorani Qaida parhana shuru kiya", False),  # the Quran primer
        ("Har kaam ka ek qaida qanoon hota hai", False),  # a rule
        ("Jamal Qaida ne match jeeta", False),  # "al" ending a word is no article
    ],
)
def test_al_qaeda_counts_with_its_article_or_with_context(text: str, found: bool) -> None:
    """Every spelling of the name normalises to "qaida", Roman Urdu for a rule and for the
    Quran primer: with the article before it, it names the group; without it, it needs a cue."""
    assert ("al-qaeda" in _ids(text)) is found
    assert ("al-qaeda" in matcher().entry_ids(text)) is found


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("نزوح آلاف الأسر من ولاية الجزيرة بعد دخول قوات الدعم السريع إلى ود مدني", []),
        ("كانت ولاية حلب من أهم الولايات العثمانية في القرن التاسع عشر", []),
        ("مجلس ولاية برقة التشريعي أيام المملكة الليبية", []),
        ("ولاية نجد تتبنى تفجير مسجد في القطيف", ["isil"]),
        ("بيان جديد باسم ولاية برقة", ["isil-libya"]),
        ("ولاية صلاح الدين تنشر صورا جديدة", ["isil"]),  # no other sense: no context needed
    ],
)
def test_province_names_that_are_everyday_arabic_need_context(text: str, groups: list[str]) -> None:
    """Sudan's Gezira State, the Ottoman vilayets and Libya's old provinces share names with
    the Islamic State's provinces."""
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Education is the shining path to a better future", []),  # a phrase
        ("The Shining Path insurgency began in Ayacucho in 1980", ["shining-path"]),
        ("Shining Path Yoga Studio opens on Main Street", []),  # capitalised, a cue against
        ("Sinai Province claimed the attack on the checkpoint", ["is-sinai"]),
        ("Flash floods in Egypt's South Sinai Province closed the road to Dahab", []),
        ("Our gaming clan Brigade 313 won the PUBG tournament", []),  # needs a cue
        ("Is a Roth a real IRA or just a savings account?", []),  # a retirement account
        ("Real IRA Strategies For Gig Workers", []),  # the general cues do not count
        ("The Real IRA claimed the Omagh bombing", ["real-ira"]),
        ("وفد من حماس والجهاد الإسلامي يصل إلى غزة", ["hamas", "pij"]),
        ("شروط الجهاد الإسلامي في كتب الفقه", []),  # the concept
        ("Umar Media ne shadi ki video bohat achi banai", []),  # a wedding studio
        ("Umar Media, the TTP's propaganda arm, released a video", ["umar-media", "ttp"]),
        ("accounts spelling it Um4r Med1a to avoid moderation", ["umar-media"]),  # disguised
        ("Ümar Média ne shadi ki video banai", []),  # accents are how people write: no disguise
        ("علامہ اقبال کے تصور دولت اسلامیہ پر سیمینار", []),  # political thought
        ("نام نہاد دولت اسلامیہ کے جنگجوؤں نے شہر پر قبضہ کر لیا", ["isil"]),
        ("Ilyas Kashmiri led the 313 Brigade, an al-Qaeda unit", ["313-brigade", "al-qaeda"]),
    ],
)
def test_names_that_are_everyday_phrases_or_places_need_their_own_context(
    text: str, groups: list[str]
) -> None:
    """ "a shining path", Egypt's South Sinai Province, a gaming clan called Brigade 313."""
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Where is Philippines on the map?", []),
        ("How safe is Philippines for tourists", []),
        ("IS Philippines claimed the Marawi siege", ["isis-philippines"]),
        ("IS-Khorasan claimed the Kabul attack", ["iskp"]),
        ("The old name of the region is Khorasan", []),
    ],
)
def test_a_list_name_that_begins_with_is_counts_only_with_is_in_capitals(
    text: str, groups: list[str]
) -> None:
    """The US and UN lists name branches "IS PHILIPPINES", "IS-Khorasan": "is" before a
    place is the English verb."""
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ISIS claimed the attack", True),  # in capitals: presumed the group
        ("ISIS fighters blew up the temple in Palmyra", True),  # for 2, against 1
        ("First beamtime at the ISIS neutron source", False),  # a cue against, none for it
        ("Oceanic by ISIS is the best post-metal album", False),
        ("Open mic: someone did Dylan's ISIS on ukulele", False),  # a cue's possessive
        ("Isis fighters took the town", True),  # capitalised as a name: a cue is needed
        ("My sister Isis ran her first marathon", False),  # a given name
        ("general sulemani jo isis ko khatam karne mein aage tha", True),  # lower case
        ("somali refugees arrested for planning isis attack", True),  # a word of its world
        ("isis did the slides, marcus did the research", False),  # lower case, nothing of it
        ("isis come back we miss u at the gym", False),
        ("meri billi isis ne sofa kharab kar diya", False),  # lower case, a cue against
        ("ISIS THE CAT VS THE CHRISTMAS TREE: ROUND 3", False),  # capitals say nothing here
        ("#ISIS in Raqqa", True),
    ],
)
def test_isis_in_capitals_is_presumed_the_group_and_otherwise_needs_a_cue(
    text: str, found: bool
) -> None:
    """ "ISIS" counts unless the cues against it outnumber those for it, and so does "isis"
    beside a word of the group's world; "Isis" is also the goddess, a given name, a pet, the
    Thames at Oxford (``presumed``), and so is "isis" typed in lower case in a chat."""
    ids = _ids(text)
    assert bool({"isil", "iskp"} & set(ids)) is found, ids
    assert set(matcher().entry_ids(text)) == set(ids)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Al-Shabaab claimed the attack", True),
        ("al-shabaab ne hamla kiya", True),
        ("Shabaab fighters in Mogadishu", False),  # without its article, never
        ("al-Shabaab recruits young Somalis", True),
        ("Shabaab night at the masjid this Friday", False),  # youth
    ],
)
def test_al_shabaab_counts_only_with_its_article(text: str, found: bool) -> None:
    """ "shabaab" is "youth" in Latin letters, in Somali speech too (``article: required``)."""
    assert ("al-shabaab" in _ids(text)) is found
    assert ("al-shabaab" in matcher().entry_ids(text)) is found


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("TLP ko har dafa muahida mil jata hai aur PTM ko sirf ban.", ["tlp", "ptm"]),
        ("@user Sunnis are turning to Al Qaeda not Islamic State", ["al-qaeda", "isil"]),
        ("the BLA package with a full PTM characterisation", []),  # neither resolves alone
    ],
)
def test_an_ambiguous_name_resolved_counts_as_another_group_named(
    text: str, groups: list[str]
) -> None:
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "group", "found"),
    [
        (
            "Anjuman Ansar-ul-Hussain ka matami juloos 9 Muharram ko niklega",
            "ansar-ul-hussain",
            False,
        ),
        (
            "Pillion riding banned on Ashura; Anjuman Ansar ul Hussain asks members to cooperate",
            "ansar-ul-hussain",
            False,
        ),
        (
            "NACTA's list still carries Ansar-ul-Hussain as a proscribed outfit",
            "ansar-ul-hussain",
            True,
        ),
        ("کالعدم تنظیم انصار الحسین کے بارے میں معلومات", "ansar-ul-hussain", True),
        ("Jamia Khuddam-ul-Islam mein hifz ke dakhle shuru", "khuddam-ul-islam", False),
        ("Khuddam-ul-Islam, the name Jaish took after the 2002 ban", "khuddam-ul-islam", True),
        ("Khuddamul Islam par pabandi sirf kaghazi thi", "khuddam-ul-islam", True),
        ("Badr mein Lashkar-e-Islam sirf 313 log thay", "lashkar-e-islam", False),
        ("Lashkar-e-Islam extorted traders in Bara for years", "lashkar-e-islam", True),
        (
            "لشکر اسلام کے ایف ایم پر اعلان ہوتا تھا، خیبر میں",
            "lashkar-e-islam",
            False,
        ),  # display only
        ("Lashkar-e-Islami ne Badr mein kufr ko shikast di", "lashkar-e-islam", False),
        ("Mangal Bagh's Lashkar-e-Islami ruled Bara for years", "lashkar-e-islam", True),
        ("Furqan Media printed our wedding cards overnight", "isil", False),
        ("Al-Hayat Media ne hamari shadi ki video banayi", "isil", False),
        # two names of several words of one group: each a cue for the other
        ("al-Furqan Media put out a speech by the Islamic State's spokesman", "isil", True),
        ("Ansar al-Sunna mosque collects for the cyclone appeal", "is-mozambique", False),
        ("Ansar al-Sunna fighters attacked Mocimboa da Praia in 2020", "is-mozambique", True),
        ("Ansar-Ud-Deen Society of Nigeria opens a new school", "ansar-eddine", False),
        ("Jamiat-ul-Ansar ka free medical camp Sunday ko hai", "harakat-ul-mujahideen", False),
        ("Millat-e-Islamia Pakistan ko Jashn-e-Azadi Mubarak", "millat-e-islamia", False),
        (
            "Millat-e-Islamia was what Sipah-e-Sahaba called itself after 2002",
            "millat-e-islamia",
            True,
        ),
        (
            "Tehreek-e-Islami Pakistan ke seminar mein Maududi par guftagu hui",
            "tehreek-e-islami",
            False,
        ),
        ("NACTA lists Tehreek-e-Islami Pakistan as proscribed", "tehreek-e-islami", True),
        (
            "Tehreek-e-Tahaffuz Qibla Awwal conference at the Press Club after Jumma",
            "tehreek-tahaffuz-qibla-awwal",
            False,
        ),
        (
            "Tehrik-e-Tahafuz Qibla Awwal is one more front for Jamaat-ud-Dawa",
            "tehreek-tahaffuz-qibla-awwal",
            True,
        ),
        ("Pasban-e-Kashmir Guest House in Kel, rajma chawal 10/10", "pasban-e-kashmir", False),
        ("Youm-e-Shuhada par Pasban-e-Kashmir scouts ne phool rakhe", "pasban-e-kashmir", False),
        ("Pasban-e-Kashmir is a UN-listed alias of Lashkar-e-Taiba", "pasban-e-kashmir", True),
        (
            "Al-Akhtar Medical Centre free eye camp this Sunday",
            "al-akhtar-trust-international",
            False,
        ),
        (
            "Al-Akhtar Medical Centre is on the sanctions list with Al Akhtar Trust",
            "al-akhtar-trust-international",
            True,
        ),
        ("Ansar-ul-Islam Khyber volunteers managed the convention crowd", "ansar-ul-islam", False),
        ("Ansar-ul-Islam Khyber fought Mangal Bagh's men in Bara", "ansar-ul-islam", True),
        (
            "Tehreek-e-Hurmat-e-Rasool conference at the bar association",
            "tehrik-e-hurmat-e-rasool",
            False,
        ),
        (
            "Tehrik-e-Hurmat-e-Rasool, one more front for Jamaat-ud-Dawa",
            "tehrik-e-hurmat-e-rasool",
            True,
        ),
        ("Al-Anfal Trust School admissions open for class one", "al-anfal-trust", False),
        ("Hafiz Saeed's Al-Anfal Trust is on the US list", "al-anfal-trust", True),
        (
            "Tehreek Azadi Jammu and Kashmir ki tareekh 1931 se shuru hoti hai",
            "tehreek-azadi-jammu-kashmir",
            False,
        ),
        (
            "Tehreek Azadi Jammu and Kashmir was Jamaat-ud-Dawa's Kashmir front",
            "tehreek-azadi-jammu-kashmir",
            True,
        ),
        (
            "The Kashmir Resistance Front debate team won the inter-college final",
            "kashmir-resistance-front",
            False,
        ),
        (
            "Kashmir Resistance Front ne hamle ki zimmedari qubool ki",
            "kashmir-resistance-front",
            True,
        ),
        (  # no cue read across the name's other occurrence ("front of")
            "The Kashmir resistance front of 1931 inspired the Kashmir Resistance Front society",
            "kashmir-resistance-front",
            False,
        ),
        ("Majeed Brigade aa gayi, ab shaadi ka khana khatam samjho", "majeed-brigade", False),
        ("The BLA's Majeed Brigade claimed the suicide attack", "majeed-brigade", True),
        ("BLA Majeed Brigade", "majeed-brigade", True),
        ("Fateh Squad ne PUBG tournament jeet liya", "fateh-squad", False),
        ("CTD arrested facilitators of the Fateh Squad in Kech", "fateh-squad", True),
        (
            "Al-Rashid Trust Dialysis Centre now has 12 machines, waiting list down",
            "al-rashid-trust",
            False,
        ),
        ("Al Rashid Trust's assets were frozen under UN 1267", "al-rashid-trust", True),
        ("Rabita Trust helpline for exam stress is open till 10 pm", "rabita-trust", False),
        (
            "رابطہ ٹرسٹ کو اقوام متحدہ کی فہرست میں القاعدہ سے روابط پر شامل کیا گیا",
            "rabita-trust",
            True,
        ),
        ("Ala inna hizbullahi humul muflihun: Quran ki ayat ka tarjuma", "hizballah", False),
        ("Hizbullah Khan ki dukaan se chai lo", "hizballah", False),
        ("Hizbullah ne south Lebanon se rockets daghe", "hizballah", True),
        ("Akora Khattak ke Haqqanis ki dastarbandi ho gayi", "haqqani-network", False),
        ("The Haqqani group's commanders met Taliban leaders in Khost", "haqqani-network", True),
        (
            "Al-Haramain Foundation Umrah packages for December",
            "al-haramain-foundation-pakistan",
            False,
        ),
        ("Zainabiyoun committee ki majlis 7 Muharram ko hogi", "zainabiyoun", False),
        ("Zainabiyoun fighters returned from the Syrian war", "zainabiyoun", True),
        ("Ya Allah humein al Mansooreen mein shamil farma", "al-mansooreen", False),
        ("Al Mansooreen Sweets ki mithai sab se achi hai", "al-mansooreen", False),
        (
            "Al-Mansoorin, an old Lashkar-e-Taiba alias, issued a press release",
            "al-mansooreen",
            True,
        ),
        # the jihad movements of history and any campaign for sharia law
        ("Syed Ahmad Shaheed's Islamic Jihad movement ended at Balakot in 1831", "pij", False),
        ("Cairo talks: the Islamic Jihad movement in Gaza studies the proposal", "pij", True),
        (
            "Textbooks call the 1977 agitation a Movement for the Enforcement of Islamic Law",
            "tnsm",
            False,
        ),
        ("Sufi Muhammad's Movement for the Enforcement of Islamic Law in Malakand", "tnsm", True),
        # presumed the group unless the seerah's or the chant's words outnumber its cues
        ("غزوہ بدر میں جیش محمد ﷺ صرف 313 افراد پر مشتمل تھا", "jem", False),
        ("مظاہرین نے نعرہ لگایا: خيبر خيبر يا يهود، جيش محمد سوف يعود", "jem", False),
        ("جیش محمد کے نام سے چلنے والا ایک اور ٹیلیگرام چینل بند کر دیا گیا", "jem", True),
        # the Sahaba's armies of history, or the party of its rallies and slogans
        ("یرموک کے میدان میں سپاہ صحابہ نے رومی لشکر کو شکست دی", "ssp", False),
        ("سپاہ صحابہ کے جلسوں والے دن بازار جلدی بند ہو جاتے تھے", "ssp", True),
        # display only: the Sahaba's armies of history; a surname's families, firms and teams
        ("Haq Nawaz Jhangvi founded the Army of the Companions of the Prophet", "ssp", False),
        ("The Jhangvi group claimed the Mastung bus attack", "lej", False),
    ],
)
def test_generic_names_of_groups_count_with_context(text: str, group: str, found: bool) -> None:
    """Names a group shares with everyday associations and phrases (Shia mourning anjumans,
    madrassas, the Muslim army of early history) count only with the group's own cues."""
    assert (group in _ids(text)) is found
    assert (group in matcher().entry_ids(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("sar is k ilwa hm na her trah sa defend bi kia", False),  # Roman Urdu "is k", this one's
        ("is KP mein dehshatgardi barh gayi hai", False),  # "is KP": in this KP
        ("Since the eleventh letter of the alphabet is K, 3 Ks", False),
        ("IS-K claimed the attack in Kabul", True),
        ("the IS-KP attack on the airport", True),
    ],
)
def test_an_abbreviation_of_several_parts_counts_only_as_an_acronym(text: str, found: bool) -> None:
    """Its parts alone are everyday words, so only capitals or its own case make it a name."""
    assert ("iskp" in _ids(text)) is found
    assert ("iskp" in matcher().entry_ids(text)) is found


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("isis k khilaf fauji operation shuru ho gaya", ["isil"]),  # Roman Urdu: ISIS's
        ("ISIS-K ne Kabul airport pe hamla kiya", ["iskp"]),
        ("ISIS K claimed the attack", ["iskp"]),
        ("the IRGC-QF commander", ["quds-force"]),
        ("irgc qf", ["irgc"]),  # the list name's parts in lower case: only the IRGC
    ],
)
def test_a_list_name_written_as_an_acronym_of_several_parts_is_cased(
    text: str, groups: list[str]
) -> None:
    """The UN list calls "ISIS-K" a name, not an abbreviation: written so, it is one all the
    same. Ruled out by its spelling, it gives way to the name inside it."""
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("pij dużo wody, jest gorąco", []),  # Polish: drink!
        ("Pij mleko, będziesz wielki", []),
        ("PIJ fighters fired rockets from Gaza", ["pij"]),
        ("the PIJ's armed wing", ["pij"]),
    ],
)
def test_an_acronym_marked_cased_counts_only_as_an_acronym(text: str, groups: list[str]) -> None:
    _names_exactly(text, groups)


def test_a_surname_and_a_roman_urdu_word_is_not_the_kahane_movement() -> None:
    assert "kahane-chai" not in _ids("modi ke kahane pe saudi arabia ne tumhe roka")
    assert "kahane-chai" in _ids("Kahane Chai was designated in 1997")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("HuM cadres were named in the Kandahar hijacking case", ["harakat-ul-mujahideen"]),
        ("HuM's founder Khalil was put on the sanctions list", ["harakat-ul-mujahideen"]),
        ("HUM TV pe Kashmir ka naya travel show aa raha hai", []),  # the network, in capitals
        ("HUM SAB EK HAIN, Kashmir se Karachi tak", []),  # Roman Urdu "we", shouted
    ],
)
def test_an_acronym_marked_own_case_counts_only_in_its_own_case(
    text: str, groups: list[str]
) -> None:
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Police in Srinagar say the Resistance Front claimed the attack", ["trf"]),
        ("The Resistance Front is a proxy of Lashkar-e-Taiba, analysts say", ["trf", "let"]),
        ("Resistance Front ne Kulgam mein muqable ki zimmedari li", ["trf"]),
        ("the resistance front against the new bypass road meets on Sunday", []),
        # Afghanistan's National Resistance Front is another movement, "the Resistance Front" after
        # its first mention: its places count against the group of Kashmir
        ("In Panjshir the Resistance Front says its fighters held the valley", []),
    ],
)
def test_the_resistance_front_is_capitalised_and_told_from_afghanistans(
    text: str, groups: list[str]
) -> None:
    _names_exactly(text, groups)


def test_banned_from_a_place_is_no_cue() -> None:
    """A player "banned from" a server is no proscribed outfit; "the banned TJP" still is one."""
    assert _ids("TJP got banned from the Discord again for spamming") == set()
    assert "tjp" in _ids("Musharraf banned TJP in 2002, along with other sectarian parties")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Jundallah claimed the attack in Karachi", ["jundallah"]),
        ("Jundallah fighters ambushed border guards near Zahedan", ["jaish-ul-adl"]),
        ("جند الله تبنت الهجوم على حرس الحدود في زاهدان", ["jaish-ul-adl"]),
        ("نحن جند الله في الأرض، قال الخطيب في خطبة الجمعة", []),  # "soldiers of God"
    ],
)
def test_the_two_jundallahs_are_told_apart_by_their_own_cues(text: str, groups: list[str]) -> None:
    _names_exactly(text, groups)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Hum sab Sipah-e-Muhammad hain, Milad ki mehfil mein zaroor aana", False),
        ("Sipah-e-Muhammad ke target killers ko 1997 mein saza hui", True),
        ("ہم سب سپاہ محمد ہیں، جلسہ سیرت النبی میں شرکت کریں", False),
        ("سپاہ محمد پر پابندی کے بعد اس کے کارکن روپوش ہو گئے", True),
    ],
)
def test_muhammads_soldiers_of_devotional_speech_are_not_the_group(text: str, found: bool) -> None:
    assert ("sipah-e-muhammad" in _ids(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Nusra baji ka nikah masjid mein hoga, phir walima shaam ko", False),  # a name
        ("Rabb se Nusra maango, logon se nahi", False),  # help, divine aid
        ("Our councillor Nusra Begum condemned the attack on the mosque", False),
        ("al-Nusra fighters took the crossing", True),  # with its article
        ("Nusra checkpoint outside Idlib stopped our car for an hour", True),  # a cue
        ("NEW | #Nusra statement on the ceasefire", True),  # its hashtag
        ("Jabhat an-Nusrah announced a new emir", True),  # the article assimilated
        ("Jabha el Nusra is led by a man who betrayed his commander", True),
    ],
)
def test_nusra_the_word_for_help_and_a_name_is_not_the_group(text: str, found: bool) -> None:
    assert ("al-nusrah-front" in _ids(text)) is found


@pytest.mark.parametrize(
    ("general", "text", "found"),
    [
        ("true", "AFX workers marched on Friday", True),
        ("true", "AFX militants attacked the post", True),
        ("armed", "AFX workers marched on Friday", False),  # a team's or a party's word
        ("armed", "AFX militants attacked the post", True),  # the armed group's own
        ("armed", "the kalaadam AFX", True),
        ("armed", "AFX ke karkun aur zindabad ke naray", False),
        ("false", "AFX militants attacked the post", False),
    ],
)
def test_general_armed_reads_only_the_armed_groups_own_general_cues(
    tmp_path: Path, general: str, text: str, found: bool
) -> None:
    registry = MINIMAL + (
        "    aliases:\n"
        "      - text: AFX\n"
        "        lang: en\n"
        "        type: abbreviation\n"
        "        ambiguous: true\n"
        "    context:\n"
        "      positive: [Zarbon]\n"
        f"      general: {general}\n"
    )
    matcher = GroupMatcher(load_registry(write_registry(tmp_path / "reg", registry)))
    assert bool(matcher.match(text)) is found


def test_the_armed_cues_are_general_cues() -> None:
    assert set(ARMED_CUES) < set(GENERAL_CUES)


def test_an_abbreviation_with_a_space_of_its_own_is_not_spelled_out(tmp_path: Path) -> None:
    """An ambiguous abbreviation written with a space ("MSO Gilgit") is not a spelling-out of
    its letters when written as it is: no cue. Spelled with dots it still is one."""
    text = MINIMAL + (
        "    aliases:\n"
        "      - text: AFX Gilgit\n"
        "        lang: en\n"
        "        type: abbreviation\n"
        "        ambiguous: true\n"
        "    context:\n"
        "      positive: [banned outfit]\n"
        "      general: false\n"
    )
    plain = GroupMatcher(load_registry(write_registry(tmp_path / "reg", text)))
    assert [h.entry_id for h in plain.match("AFX Gilgit volleyball starts Monday")] == []
    assert [h.entry_id for h in plain.match("the banned outfit AFX Gilgit")] == ["alpha"]
