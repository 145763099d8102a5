"""Language ID: a hand-written table per language, exact edge cases, and invariants.

Every example was written for this file (ordinary social-media sentences); none is taken from
an evaluation corpus, so the table stays independent of the sets the classifier is scored on.
"""

from __future__ import annotations

import sys
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.errors import DependencyError
from nigehban.stance.langid import SUPPORTED, LanguageGuess, LanguageIdentifier
from nigehban.stance.perturb import TRICKS

EN = [
    "Just got back from the match, what a game that was!",
    "Can anyone recommend a good place for breakfast in Lahore?",
    "The power has been out for six hours now, this is ridiculous",
    "Happy Eid to everyone celebrating today",
    "I can't believe how fast this year went by",
    "Traffic on the motorway is terrible this morning, avoid if you can",
    "Our thoughts are with the families of the victims",
    "Please share this so the missing child can be found",
    "Does anyone know when the results will be announced?",
    "Watching the news and feeling helpless tonight",
    "This thread explains the new tax rules really well",
    "We need better schools, not more promises",
    "lol that video is hilarious, thanks for sharing",
    "My internet has been so slow all week",
    "Congratulations to the team on a well deserved win",
    "Rain again? I left my umbrella at the office",
    "Reporting this account for spreading hate",
    "What time does the shop close on Fridays?",
    "The government should focus on inflation first",
    "Stay safe everyone, the roads are flooded near the river",
    "I love how the city looks at night",
    "Honestly the second season was better than the first",
    "Can someone explain why petrol prices went up again?",
    "Peace is the only way forward for our region",
    "Thank you all for the birthday wishes, means a lot",
    "Exams start next week and I have not studied at all",
    "The bus was late again today",
    "Violence is never the answer, no matter the cause",
    "Anyone else having trouble logging in to the app?",
    "Such a beautiful sunset over the mountains today",
]

UR = [
    "آج موسم بہت اچھا ہے",
    "میں کل لاہور جا رہا ہوں",
    "یہ خبر سن کر بہت دکھ ہوا",
    "بجلی صبح سے غائب ہے، کوئی پوچھنے والا نہیں",
    "عید مبارک سب دوستوں کو",
    "پاکستان نے میچ جیت لیا، زبردست کھیل",
    "اللہ سب کو اپنی حفاظت میں رکھے",
    "مہنگائی نے غریب کی کمر توڑ دی ہے",
    "کیا کوئی بتا سکتا ہے کہ نتیجہ کب آئے گا؟",
    "بچوں کو سکول بھیجنا بہت ضروری ہے",
    "امن ہی ترقی کا واحد راستہ ہے",
    "بارش کی وجہ سے سڑکیں بند ہیں",
    "ہمیں نفرت نہیں محبت پھیلانی چاہیے",
    "یہ ویڈیو ضرور دیکھیں اور شیئر کریں",
    "شکریہ بھائی آپ نے بہت مدد کی",
    "حکومت کو تعلیم پر توجہ دینی چاہیے",
    "میرا فون خراب ہو گیا ہے",
    "کراچی میں آج بہت گرمی تھی",
    "دہشت گردی کی ہر شکل قابل مذمت ہے",
    "امتحان اگلے ہفتے شروع ہو رہے ہیں",
    "آپ کا بہت بہت شکریہ",
    "ٹریفک کی وجہ سے دفتر دیر سے پہنچا",
    "یہ ڈرامہ بہت اچھا تھا",
    "ہم سب ایک ہیں",
    "دعا کریں کہ سب خیریت سے ہوں",
    "کل رات زلزلے کے جھٹکے محسوس کیے گئے",
    "چائے کے بغیر صبح ادھوری ہے",
    "اس سال گندم کی فصل اچھی ہوئی",
    "کیا تم کل آؤ گے؟",
    "سب کو سلام، کیا حال ہے؟",
]

UR_LATN = [
    "yaar ye kya ho raha hai",
    "main kal lahore ja raha hoon",
    "ye khabar sun ke bohat dukh hua",
    "bijli subah se nahi hai, koi poochne wala nahi",
    "eid mubarak sab doston ko",
    "pakistan ne match jeet liya, zabardast khel",
    "Allah sab ko apni hifazat mein rakhe",
    "mehngai ne gareeb ki kamar tor di hai",
    "koi bata sakta hai result kab aaye ga?",
    "bachon ko school bhejna bohat zaroori hai",
    "aman hi taraqqi ka wahid rasta hai",
    "barish ki wajah se sarkain band hain",
    "humein nafrat nahi mohabbat phelani chahiye",
    "ye video zaroor dekhein aur share karein",
    "shukriya bhai aap ne bohat madad ki",
    "hakoomat ko taleem pe tawajjo deni chahiye",
    "mera phone kharab ho gaya hai",
    "karachi mein aaj bohat garmi thi",
    "bhai tum kahan ho, call kyun nahi utha rahe?",
    "exam agle hafte shuru ho rahe hain",
    "aap ka bohat bohat shukriya",
    "traffic ki wajah se office late pohncha",
    "ye drama bohot acha tha yaar",
    "hum sab aik hain",
    "dua karo ke sab khairiyat se hon",
    "kal raat zalzale ke jhatke mehsoos hue",
    "chai ke baghair subah adhoori hai",
    "yr mujhe nahi pata tha ke aaj chutti hai",
    "kya scene hai aaj raat ka?",
    "acha theek hai, phir baat karte hain",
    # code-mixed with English
    "bro the exam was so hard, mujhe nahi lagta pass hoga",
    "kal ka match dekha? what a finish yaar",
    "yaar kal ka plan cancel kar do, I am too tired",
    "Sorry bhai, main late ho gaya, traffic bohat tha",
]

PS = [
    "نن ورځ هوا ډېره ښه ده",
    "زه سبا پېښور ته ځم",
    "ته څنګه یې ورور؟",
    "دا خبر مې چې واورېد ډېر خفه شوم",
    "اختر مو مبارک شه",
    "افغانستان لوبه وګټله، ښه لوبه وه",
    "الله دې ټول په خپل امان کې وساتي",
    "ګراني ډېره زیاته شوې ده",
    "څوک پوهېږي چې پایلې به کله اعلان شي؟",
    "ماشومان باید ښوونځي ته لاړ شي",
    "سوله زموږ د ټولو ارمان دی",
    "د باران له امله سړکونه بند دي",
    "موږ باید مینه خپره کړو نه کرکه",
    "دا ویډیو وګورئ او شریکه یې کړئ",
    "مننه ورور، ډېره مرسته دې وکړه",
    "حکومت باید زده کړې ته پام وکړي",
    "زما ټیلیفون خراب شو",
    "کابل کې نن ډېره سړه وه",
    "تاوتریخوالی د هیڅ ستونزې حل نه دی",
    "ازموینې راتلونکې اونۍ پیلېږي",
    "ستاسو ډېره مننه",
    "دا ډرامه ډېره ښکلې وه",
    "موږ ټول یو",
    "دعا وکړئ چې ټول روغ رمټ وي",
    "پرون شپه زلزله احساس شوه",
    "بې له چای نه سهار نیمګړی دی",
    "سږ کال د غنمو فصل ښه و",
    "زه په کلي کې اوسېږم",
    "خلک د بریښنا له نشتوالي ځورېږي",
    "ښه راغلاست ملګرو",
]

OTHER = [
    # Arabic
    ("كيف حالك يا صديقي؟", "ar"),
    ("الطقس جميل جدا اليوم", "ar"),
    ("نتمنى السلام لجميع الشعوب", "ar"),
    ("شكرا لكم على المساعدة", "ar"),
    ("هل يعرف أحد متى تفتح المدرسة؟", "ar"),
    # Persian (one with a zero-width non-joiner, as Persian is usually typed)
    ("امروز هوا خیلی خوب است", "fa"),
    ("من فردا به تهران می\u200cروم", "fa"),
    ("این فیلم واقعا عالی بود", "fa"),
    ("ممنون از همه دوستان عزیزم", "fa"),
    ("قیمت\u200cها دوباره بالا رفته است", "fa"),
    # Hindi in Devanagari
    ("आज मौसम बहुत अच्छा है", "hi"),
    ("मैं कल दिल्ली जा रहा हूँ", "hi"),
    ("सभी दोस्तों को ईद मुबारक", "hi"),
    # French
    ("Je suis tellement fatigué aujourd'hui, la semaine a été longue", "fr"),
    ("Quelqu'un sait à quelle heure ouvre la pharmacie ?", "fr"),
    ("Merci à tous pour vos messages, ça me touche beaucoup", "fr"),
    # Spanish
    ("¿Alguien sabe a qué hora empieza el partido?", "es"),
    ("Hoy hace mucho calor en la ciudad", "es"),
    ("Gracias a todos por el apoyo, son los mejores", "es"),
    # Somali-like Latin text (CLD3 also sends some Roman Urdu here)
    ("Waxaan jeclahay inaan maanta aado suuqa", "so"),
    ("Roobka ayaa da'ay caawa oo waddooyinka waa biyo", "so"),
    ("Mahadsanid walaal, aad baad u mahadsantahay", "so"),
    # Languages that share short words with Roman Urdu ("hai", "ho", "mein", "ka")
    ("Non ho tempo oggi, hai ragione tu", "it"),
    ("Ich habe heute keine Zeit, mein Freund", "de"),
    # Sindhi: Arabic script, with its own letters
    ("ڪراچي ۾ اڄ گرمي آهي", "sd"),
]

# CLD3 often calls short Hindi "ne" (Nepali); what matters is that it abstains and names a
# language written in Devanagari.
ACCEPT = {"hi": {"hi", "ne", "mr"}}

EDGE = [
    # text, lang, script
    ("", "und", "none"),
    ("   \n\t  ", "und", "none"),
    ("😂😂🔥🔥🙏", "und", "none"),
    ("https://example.com/news/2024/article?id=12", "und", "none"),
    ("@someone_123 https://t.co/AbCdEf", "und", "none"),
    ("123 456 !!!", "und", "none"),
    ("ok", "und", "Latn"),
    ("lol", "und", "Latn"),  # CLD3 says Ukrainian, which Latin letters cannot be
    ("\u200b\u200c\u200d\ufeff", "und", "none"),
    # Urdu sentence with English hashtags and a mention
    ("آج موسم بہت اچھا ہے #Pakistan #WeatherUpdate @friend", "ur", "Arab"),
    ("پشاور میں آج بارش ہوئی https://t.co/xyz #RainyDay", "ur", "Arab"),
    # Pashto sentence with English hashtags
    ("نن ورځ هوا ډېره ښه ده #Kabul #Weather", "ps", "Arab"),
    # Roman Urdu with English words
    ("yaar this match was so boring, kya bakwas thi", "ur-Latn", "Latn"),
    ("office ka kaam khatam hi nahi ho raha, so tired", "ur-Latn", "Latn"),
    # English with one Urdu word, in either script
    ("That was an amazing match, well played bhai", "en", "Latn"),
    ("Happy birthday to my dear friend, love you شکریہ", "en", "Latn"),
    # only hashtags: they are all there is, so they are used
    ("#پاکستان_زندہ_باد", "ur", "Arab"),
    # zero-width characters inside words, and tatweel
    ("ye\u200b kya\u200c ho\u200d raha\u2060 hai", "ur-Latn", "Latn"),
    ("na\u200bhi yaar, main\u200b nahi aa sakta", "ur-Latn", "Latn"),
    ("آج موسم بہـــت اچھـــا ہے", "ur", "Arab"),
    ("نن ورځ هوا ډېـــره ښـــه ده", "ps", "Arab"),
    ("the\u200b weather is really nice\u200c today", "en", "Latn"),
    # elongated Roman Urdu
    ("yaaaar kyaaa scene haiii", "ur-Latn", "Latn"),
]


@cache
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


def accuracy(texts: list[str], lang: str) -> tuple[float, list[tuple[str, LanguageGuess]]]:
    guesses = identifier().identify_many(texts)
    wrong = [(text, g) for text, g in zip(texts, guesses, strict=True) if g.lang != lang]
    return 1 - len(wrong) / len(texts), wrong


@pytest.mark.parametrize(
    ("texts", "lang"),
    [(EN, "en"), (UR, "ur"), (UR_LATN, "ur-Latn"), (PS, "ps")],
    ids=["en", "ur", "ur-Latn", "ps"],
)
def test_accuracy_per_supported_language(texts: list[str], lang: str) -> None:
    assert len(texts) >= 25
    score, wrong = accuracy(texts, lang)
    assert score >= 0.9, wrong
    for guess in identifier().identify_many(texts):
        if guess.lang == lang:
            assert guess.supported
            assert guess.confidence >= 0.5


@pytest.mark.parametrize("lang", sorted({want for _, want in OTHER}))
def test_other_languages_abstain_and_name_the_language(lang: str) -> None:
    texts = [text for text, want in OTHER if want == lang]
    guesses = identifier().identify_many(texts)
    right = sum(g.lang in ACCEPT.get(lang, {lang}) for g in guesses)
    assert right / len(texts) >= 0.9, list(zip(texts, guesses, strict=True))
    for guess in guesses:
        assert not guess.supported, guess
        assert guess.lang not in SUPPORTED


@pytest.mark.parametrize(("text", "lang", "script"), EDGE)
def test_edge_cases(text: str, lang: str, script: str) -> None:
    guess = identifier().identify(text)
    assert (guess.lang, guess.script) == (lang, script), guess
    assert guess.supported == (lang in SUPPORTED)
    if lang == "und":
        assert guess.confidence == 0.0
        assert guess.reason


def test_other_arabic_script_letters_are_never_urdu_or_pashto() -> None:
    # Sorani Kurdish, which CLD3 does not know and has called "ur"
    guess = identifier().identify("ئەمڕۆ کەشوهەوا خۆشە")
    assert not guess.supported, guess


def test_arabic_typed_with_heh_doachashmee_stays_arabic() -> None:
    # ھ is the only "Urdu" letter here; some Arabic keyboards type it for initial ه.
    assert identifier().identify("ھذا يوم جميل جدا").lang == "ar"
    assert identifier().identify("بھائی کہاں ہو").lang == "ur"


def test_one_word_is_thin_evidence() -> None:
    one = identifier().identify("kya")
    assert one.lang == "ur-Latn"
    assert one.confidence < identifier().identify("yaar ye kya ho raha hai").confidence


@pytest.mark.parametrize(
    "text",
    [
        "TTP zindabad",
        "Majeed Brigade zindabad",
        "BLA zindabad, azadi tak jang jari rahegi",
        "shaheedon ka khoon rang layega",
        "inqilab zindabad, zulm murdabad",
    ],
)
def test_urdu_loanwords_alone_are_roman_urdu(text: str) -> None:
    # Short slogans hold no other Roman Urdu word; CLD3 calls them Zulu, Swahili or nothing.
    guess = identifier().identify(text)
    assert guess.lang == "ur-Latn", guess
    assert guess.supported


@pytest.mark.parametrize(
    "text",
    [
        "Thousands joined the azadi march in Quetta today",
        "The army says the khawarij were behind the attack on the checkpoint",
        "A shaheed's funeral was held in his village this afternoon",
        "Protesters chanted inqilab zindabad outside the press club",
    ],
)
def test_urdu_loanwords_beside_english_words_stay_english(text: str) -> None:
    assert identifier().identify(text).lang == "en"


def test_lone_surrogates_do_not_raise() -> None:
    # JSON can carry half a surrogate pair; gcld3 refuses such strings.
    assert identifier().identify("yaar \udc00 kya scene hai").lang == "ur-Latn"
    assert not identifier().identify("abc \ud800 xyz qqq").supported


def test_reasons_name_the_evidence() -> None:
    ps = identifier().identify("زه سبا پېښور ته ځم")
    assert ps.reason.startswith("Pashto letters") and "ښ" in ps.reason
    ur = identifier().identify("آج موسم بہت اچھا ہے")
    assert ur.reason.startswith("Urdu letters") and "ہ" in ur.reason
    roman = identifier().identify("yaar ye kya ho raha hai")
    assert roman.reason.startswith("Roman Urdu words")
    french = identifier().identify("Je suis tellement fatigué aujourd'hui, la semaine a été longue")
    assert french.reason.startswith("cld3: fr")
    assert identifier().identify("").reason == "no letters"
    assert identifier().identify("ok").reason == "too few letters (2)"


def test_script_shares() -> None:
    # Half Latin, half Arabic letters: the majority still decides the path.
    guess = identifier().identify("yaar ye kya ho raha hai آج موسم بہت اچھا ہے")
    assert guess.script == "mixed"
    assert guess.lang in {"ur", "ur-Latn"}


def test_identify_many_matches_identify() -> None:
    texts = [*EN[:3], *UR[:3], "", "😂"]
    assert identifier().identify_many(texts) == [identifier().identify(t) for t in texts]
    assert identifier().identify_many([]) == []


def test_missing_cld3_is_a_dependency_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gcld3", None)
    with pytest.raises(DependencyError, match="cld3-py"):
        LanguageIdentifier()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_properties_on_arbitrary_text(text: str) -> None:
    first = identifier().identify(text)
    assert first == identifier().identify(text)
    assert first.supported == (first.lang in SUPPORTED)
    assert 0.0 <= first.confidence <= 1.0
    assert first.script in {"Latn", "Arab", "mixed", "none"}
    assert first.reason


_MIXED_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ټډړږښګڼېۍځڅٹڈڑںےھہیکگاب \u200b\u0640#@.:/😂\ud800")
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MIXED_ALPHABET, max_size=120).map("".join))
def test_properties_on_script_soup(text: str) -> None:
    guess = identifier().identify(text)
    assert guess == identifier().identify(text)
    assert guess.supported == (guess.lang in SUPPORTED)
    assert 0.0 <= guess.confidence <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PS + UR), st.integers(min_value=0, max_value=3))
def test_invisible_characters_do_not_change_arabic_script_results(text: str, n: int) -> None:
    noisy = ("\u200c" * n).join(text) if n else text.replace(" ", " \u0640")
    assert identifier().identify(noisy).lang == identifier().identify(text).lang


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@pytest.mark.parametrize("lang", ["en", "ur-Latn"])
def test_latin_disguised_with_look_alikes_is_identified_as_what_it_is(lang: str) -> None:
    """Cyrillic а е о і (the homoglyph trick), full-width and mathematical letters: before,
    the classifier abstained on almost every such post ("cld3: ko")."""
    texts = EN if lang == "en" else UR_LATN
    for disguise in (TRICKS["homoglyph"], _full_width):
        score, wrong = accuracy([disguise(t) for t in texts], lang)
        assert score >= accuracy(texts, lang)[0] - 0.05, wrong[:3]


def test_real_cyrillic_and_greek_are_not_read_as_latin() -> None:
    for text, lang in (
        ("Привет, это тест нашей системы", "ru"),
        ("Ελληνικά κείμενα για δοκιμή", "el"),
    ):
        guess = identifier().identify(text)
        assert guess.lang == lang and not guess.supported
