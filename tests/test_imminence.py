"""The imminence detector: near-time markers in four languages, and what is not one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nigehban.detectors.base import Detector
from nigehban.detectors.imminence import ImminenceDetector, find_imminence
from nigehban.model.items import Account, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import SignalKind

NEAR = [
    ("The lions of the TTP will visit you tonight, judge.", "tonight"),
    ("Within the next 24 hours the city will burn.", "within the next 24 hours"),
    ("We strike at 5 pm, stay away from the bazaar.", "at 5 pm"),
    ("On Friday your rally will be our target.", "on friday"),
    ("Aaj raat thane pe hamla hoga, door raho.", "aaj raat"),
    ("agle 2 ghanton mein sab pata chal jayega", "agle 2 ghanton"),
    ("آج رات تمہاری چوکی کی باری ہے۔", "اج"),
    ("اگلے چند گھنٹوں میں بڑا دھماکہ ہوگا", "اگلے چند گھنٹوں"),
    ("نن شپه به ستاسو پوسته ونړوو", "نن شپه"),
    ("په راتلونکو څو ساعتونو کې به پوه شئ", "په راتلونکو څو ساعتونو کې"),
    ("د جمعې په ورځ جلسې ته مه ځئ", "د جمعې په ورځ"),
    # past and future in one post: the clause that threatens counts
    ("They killed our brothers; tonight we will avenge them.", "tonight"),
    ("This is your last warning, tonight we come for you.", "tonight"),
    ("Kal hamla hua tha, aaj raat phir hoga.", "aaj raat"),
    ("آج رات حملہ ہوگا", "اج"),
    ("نن شپه به برید وکړو", "نن شپه"),
    # threats with a past word in them: a relative clause, present for future, an imperative
    ("Tonight the soldiers who killed our brothers die.", "tonight"),
    ("Tonight we take our shot at the Quetta police lines.", "tonight"),
    ("Our emir said we attack the police lines tonight", "tonight"),
    ("Tomorrow morning the bomb that was planted goes off", "tomorrow"),
    ("Be warned: within 24 hours what happened in Kech happens in Quetta", "within 24 hours"),
    ("Tonight the targeted killings begin", "tonight"),
    ("Aaj raat dekhna hum kia karte hain", "aaj raat"),
    ("آج رات سب سے پہلے پولیس لائن کو نشانہ بناؤ", "اج"),
    ("آج رات پولیس لائن اڑا دینگے جیسے پچھلے سال کیا تھا", "اج"),
    ("نن شپه پر پولیسو برید کوو چې زموږ ورونه یې وژلي وو", "نن شپه"),
    ("Tonight the judge pays for every brother he killed.", "tonight"),
    ("Tonight the TTP avenges its martyred brothers, judge.", "tonight"),
    ("Judge, tonight you get killed like a dog.", "tonight"),
    ("Tonight your court is bombed, traitor.", "tonight"),
    ("Judge sahab, aaj raat tum maare gaye", "aaj raat"),
    ("Aaj TTP ke sher tumhare ghar pohnch gaye hain", "aaj"),
    ("جج صاحب، آج رات تمہاری موت کا وقت آ گیا ہے", "اج"),
    ("نن شپه ته مړ شوې", "نن شپه"),
    # a past reason joined by "and" to a threat; "the time has come"; imperatives
    ("They killed our brothers and tonight we kill theirs", "tonight"),
    ("We struck them yesterday and we strike again tonight.", "tonight"),
    ("Our fidayeen stormed the camp in Kech and tonight they storm Quetta.", "tonight"),
    ("Waqt aa gaya aaj raat police line pe hamla", "aaj raat"),
    ("وقت آ گیا آج رات پولیس لائن پر حملہ", "اج"),
    ("کل حملہ ہوا تھا اور آج رات پھر حملہ", "اج"),
    ("انہوں نے ہمارے بھائی مارے تھے آج رات ان کے گھر جلاؤ", "اج"),
    ("نن شپه ټول مرتدین ووژنئ دوی زموږ ورونه وژلي وو", "نن شپه"),
    # a time told with a verb-final past verb, then another, with no punctuation between
    ("Kal raat hamla hua aaj raat phir hamla", "aaj raat"),
    ("kal raat 3 jawan shaheed hue aaj raat police line ki bari", "aaj raat"),
    ("کل رات حملہ ہوا آج رات پھر حملہ", "اج"),
    ("نن سهار چاودنه وشوه نن شپه بیا", "نن شپه"),
    # a condition speaks of what may come ("hua to": "if it happens, then")
    ("Agar aaj raat police aayi to hamla hua samjho", "aaj raat"),
    ("aaj raat hamla hua to poora shehar jaag jaye ga", "aaj raat"),
    ("اگر آج رات پولیس آئی تو حملہ", "اج"),
]

NOT_NEAR = [
    "Our operations will continue until the occupier leaves Balochistan.",
    "Aaj kal mehngai bohat barh gayi hai.",
    "آج کل بازار میں بہت رش ہے",
    "The attack happened last year and was condemned by all parties.",
    "Todays match was cancelled due to rain.",
    "ننګرهار کې باران وشو",
    "چند گھنٹے پہلے شہر میں دھماکہ ہوا",
    "kuch ghante pehle police ne chapa mara",
    # a near time in a clause that reports what happened
    "Militants attacked a police post in Kech on Tuesday, killing three officers, police said.",
    "On Friday, a suicide bomber struck a mosque in Peshawar.",
    "The blast happened this morning near the bazaar.",
    "Aaj subah Quetta mein dhamaka hua",
    "آج صبح کوئٹہ میں دھماکہ ہوا",
    "نن سهار په کوټه کې چاودنه وشوه",
    "آج صبح پشاور میں پولیس کو نشانہ بنایا گیا",
    "نن سهار د طالبانو په برید کې درې پولیس ووژل شول",
    "Aaj subah Peshawar mein police ko nishana banaya gaya",
    "Militants attacked a police post and killed three officers on Tuesday.",
    "Our fighters struck the camp on Tuesday and will strike again.",  # a threat, with no time
    # one time after a verb-final past verb is what the verb tells
    "Quetta mein dhamaka hua aaj subah",
    "Dhamaka hua aaj subah Quetta mein, 5 log zakhmi",
    "آج صبح کوئٹہ میں دھماکہ ہوا جس میں پانچ افراد جاں بحق ہوئے",
    "kal raat hamla hua tha police ne bataya",
    "",
]


@pytest.mark.parametrize(("text", "cue"), NEAR)
def test_near_time_markers_are_found(text: str, cue: str) -> None:
    assert find_imminence(text) == cue


@pytest.mark.parametrize("text", NOT_NEAR)
def test_no_near_time(text: str) -> None:
    assert find_imminence(text) is None


def test_evasion_does_not_hide_the_marker() -> None:
    assert find_imminence("to\u200bnight we come") == "tonight"
    assert find_imminence("نن شـپـه") == "نن شپه"


def _post(text: str | None) -> Post:
    return Post(ItemRef("t", Platform.X, ItemKind.POST, "p1"), Surface.PUBLIC, text=text)


def test_detector_contract() -> None:
    detector = ImminenceDetector()
    assert isinstance(detector, Detector)
    assert detector.name == "imminence"
    assert len(detector.snapshot_hash) == 64
    [signal] = detector.detect(_post("Tonight the check post falls."))
    assert signal.kind is SignalKind.IMMINENCE
    assert signal.label == "time"
    assert signal.evidence["cue"] == "tonight"
    assert detector.detect(_post("A quiet day in Quetta.")) == []
    assert detector.detect(_post(None)) == []
    account = Account(ItemRef("t", Platform.X, ItemKind.ACCOUNT, "a1"), Surface.PUBLIC)
    assert detector.detect(account) == []


@given(st.text(max_size=300))
def test_any_text_gives_a_short_cue_or_none(text: str) -> None:
    cue = find_imminence(text)
    assert cue is None or 0 < len(cue) <= 40


def test_a_long_post_with_many_markers_is_read_in_linear_time() -> None:
    """Each clause is judged once, however many markers it holds (a 100,000-character post
    of markers in one clause took minutes)."""
    import time

    for text in ("today attacked " * 6700, "آج ہوا " * 14000, "aaj hua " * 12500):
        started = time.perf_counter()
        assert find_imminence(text) is None
        assert time.perf_counter() - started < 5
