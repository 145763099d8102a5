"""Language identification for the stance classifier: en, ur, ur-Latn, ps, or abstain.

The stance classifier understands four languages: English (``en``), Urdu in Nastaliq/Arabic
script (``ur``), Roman Urdu, i.e. Urdu written in Latin letters (``ur-Latn``), and Pashto
(``ps``). Everything else must be *abstained on*, and the abstention names the language that
was seen, so that a reviewer knows why no stance was given.

CLD3 alone is not good enough for this population (``docs/language-id.md``): it labels Roman
Urdu ``hi-Latn`` or a random language (``so``, ``fi``, ``mg``), and it sends short Pashto to
``sd`` or ``fa``. So cheap, explainable rules run first and CLD3 is asked only where they do
not settle the question:

1. Invisible characters (zero-width, bidi controls, tatweel) are dropped; URLs, e-mail
   addresses, @mentions and #hashtags are set aside (hashtags are used only when nothing else
   is left). Fewer than three letters: ``und``.
2. Letters are counted by script; the majority script picks the path.
3. Arabic script: Pashto-only letters (ټ ډ ړ ږ ښ ګ ڼ ې ۍ ځ څ) mean ``ps``, Urdu-only letters
   (ٹ ڈ ڑ ں ے ۓ ھ ہ ۂ ۃ) mean ``ur``. Without either, or with both, CLD3 decides, reconciled
   with the letters and with a short list of frequent Pashto and Urdu words; ``sd`` becomes
   ``ps``/``ur`` only when such evidence supports it.
4. Latin script: a Roman Urdu lexicon and an English stopword list score the share of tokens
   they hit; words that are also common in English or in another Latin-script language count
   less, or not at all. Clear cases are decided without CLD3; otherwise CLD3's answer is
   combined with the scores (``hi-Latn``, or an unsure non-English answer, pushes towards
   ``ur-Latn``).

Language ID runs on the *raw* post: normalisation folds away exactly the letters that tell
Pashto from Urdu. ``confidence`` is a heuristic score in [0, 1] for ranking and thresholds;
it is not a calibrated probability. One :class:`LanguageIdentifier` holds one CLD3 model; do
not share an instance between threads.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nigehban.errors import DependencyError
from nigehban.text.folding import SHAPE
from nigehban.text.surrogates import LONE_SURROGATE

__all__ = ["SUPPORTED", "LanguageGuess", "LanguageIdentifier"]

SUPPORTED: frozenset[str] = frozenset({"en", "ur", "ur-Latn", "ps"})

UND = "und"
MIN_LETTERS = 3


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """What language a text is in, and whether the stance classifier supports it.

    ``lang`` is ``en``, ``ur``, ``ur-Latn``, ``ps``, ``und`` (no language could be told), or
    the code CLD3 gave for another language (``ar``, ``fa``, ``hi``, ``fr`` …). ``supported``
    is ``lang in SUPPORTED``; when it is false the caller must abstain. ``script`` is
    ``Latn`` or ``Arab`` when at least three quarters of the letters are in that script,
    ``none`` when there are no letters, and ``mixed`` otherwise (including text mostly in a
    third script, such as Devanagari). ``reason`` says in a few words what decided.
    """

    lang: str
    supported: bool
    confidence: float
    script: str
    reason: str


class _Cld3Result(Protocol):
    language: str
    probability: float
    is_reliable: bool


class _Cld3(Protocol):
    def FindLanguage(self, text: str) -> _Cld3Result: ...  # noqa: N802 (gcld3's name)


# --- cleaning -------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(
    [
        0x00AD,  # soft hyphen
        0x034F,  # combining grapheme joiner
        0x061C,  # Arabic letter mark
        0x0640,  # tatweel (kashida)
        0x180E,  # Mongolian vowel separator
        *range(0x200B, 0x2010),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
        *range(0x202A, 0x202F),  # bidi embeddings and overrides
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x2066, 0x206A),  # bidi isolates
        0xFEFF,  # byte order mark / zero-width no-break space
    ]
)
_URL = re.compile(r"(?:https?://|www\.)\S+")
_AT = re.compile(r"(?<![\w.+-])[\w.+-]*@\w[\w.-]*")  # e-mail addresses and @mentions
_TLD = re.compile(r"\.(?:com|net|org|pk|af|ly|io|tv|gov|edu|info)\b")
_DOMAIN = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)+(?:com|net|org|pk|af|ly|io|tv|gov|edu|info)\b(?:/\S*)?"
)
_HASHTAG = re.compile(r"#(\w+)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- scripts --------------------------------------------------------------------------------

_NON_LETTERS = re.compile(r"[\W\d_]+")
_LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+")
_ARABIC_LETTERS = re.compile(
    r"[\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
    r"\u0750-\u077f\u08a0-\u08c9\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7\ufdf0-\ufdfb"
    r"\ufe70-\ufefc]+"
)
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+")
_DOMINANT_SHARE = 0.75

# Letters that only Pashto uses among the Arabic-script languages CLD3 knows.
_PASHTO_LETTERS = re.compile("[ټډړږښګڼېۍځڅ]")
# Letters that Urdu uses and Arabic, Persian and Pashto do not.
_URDU_LETTERS = re.compile("[ٹڈڑںےۓھہۂۃ]")
# Letters of other Arabic-script languages (Sindhi, Saraiki, Uyghur, Kurdish).
_FOREIGN_LETTERS = re.compile("[ڪٺڏڊڙڄڃڻٻڀٿٽڦڇڳڱڍڌۆۇۈۋەێڕڵ]")
_ARABIC_WORD = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee-\u06ff]+")
# Frequent words without a script-specific letter, for the texts that have none. Words that
# are also common in Persian or Arabic (نه، هم، له، سره، دی، ده، تو، جا، یا، کی) are left out.
_PASHTO_WORDS = _words(
    "د زه ته هغه دغه یو مننه نن سبا پرون خپل خپله لپاره اوس کوم شته نشته شپه سهار خلک زما "
    "ستا دوی تاسو هغوی ولي"
)
_URDU_WORDS = _words("کیا کا کو اور تم آپ لیکن جب سب بات گیا کر جو اب دیا مگر")
_ARABIC_SCRIPT_LANGS = frozenset({"ar", "fa", "ps", "sd", "ur"})

# Languages CLD3 knows that are not written in Latin script (its romanised forms end in
# "-Latn"): such an answer for Latin-script text means CLD3 is lost.
_NON_LATIN_LANGS = _words(
    "am ar be bg bn bo dv el fa gu he hi hy iw ja ka kk km kn ko ky lo mk ml mn mr my ne or pa "
    "ps ru sd si ta te tg th ti ug uk ur yi zh"
)
# Latin-script languages whose confident detection outweighs a few Roman Urdu words.
_EUROPEAN = _words("fr es de it pt nl sv da no fi pl tr ro cs hu")

# --- Latin-script lexicons -------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+(?:'[a-z]+)?")
_RUN3 = re.compile(r"(.)\1{2,}")

# Roman Urdu words that are neither English nor common in another Latin-script language.
_RU_STRONG = """
hain hoon huun hona hota hoti hotay hote hoty hoga hogi hoge honge hogay hongay hua hui huay
hue huwa hoa hoey nahi nahin nahee nahiin nhi nai nae nahein kya kyaa kiya kyun kyon kiun kyu
kiyun kyoun kaise kese kaisay kaisa kesa kaisi kesi kahan kahaan kidhar kaun kon kaunsa konsa
kitna kitni kitne kitnay kay kae ye yeh yahi yehi iss inn uss unn woh vo voh wahi wohi vohi
tha thi thay bhi bhe kar kr karo kro karna krna karne karny karta krta karti krti kartay karte
karen karein karain kiye kiyay kijiye kijye raha rha rahi rhi rahe rahay rhe rahy rehna reh
rehta rehti gaya gya gayi gayee gaye gaey gye liye liya liay liey lye lelo sab sabko sabse
sabhi koi koee kuch kuchh kch kisi kisne bhai bhae bhaiya bhaijan bhaijaan behen behan yaar
yar abb abhi abi jaise jese jaisa jesa ji jee hum humara hamara hamari humari hamare humare
hame hamen humein hamein humain tum tm tumhara tumhari tumhare tumhe tumhen tumko tumse ap aap
apka aapka apki aapki apke aapke apko aapko apna apni apne apny aapne unka unki unke unko unhe
unhon unhone unhein inka inki inke inko inhe inhon inhone uska uski uske usko usay isay iska
iski iske isko mera meri mere mujhe mujhay mjhe mujh mujhse mujhko mene maine mainay tera teri
tere tujhe tujh tujhse tou wala wali wale walay waly walon waale aik ek bohat bahut bohot boht
buhat bht bohut acha achha achaa acchi achi achhi ache achay acchay theek thik thek haan lekin
lakin magar mgar phir phr kabhi kbhi kabi sirf wahan yahan idhar udhar raat aaj aj kal logon
baat baaten baatein batein kyunke kyunki kiunke kyonki chahiye chahye chahie chaiye chahiay
sakta sakti sakte saktay sakay wapas wapis waapis pta dekho dekh dekha dekhna dekhain dekhein
dekhen dekhte dekhta bolo bola bolta kaha kehna keh kehte kehta jao jana jata jati jate jaye
jaen jayen jaenge jayega aao aana aata aati aaya ayi aayi aaye diya dete deta deti shukriya
shukria zindagi zindgi pyar pyaar mohabbat muhabbat zyada ziada zada jyada sath saath pehle
pehly pehlay baad hamesha humesha agar warna kaam ghar bara bari bada badi chota choti chote
sahi galat ghalat matlab yaani zaroor zarur zaroori bilkul shayad waise vaise bakwas khatam
rakho rakh rakha rakhe samjho samajh samjha samjhe lagta lagti lagte laga lagi lage chal chalo
chalen chalein larka larki larke ladka ladki paisa paise paisay hy kiu wajah waja wjh
pohncha pohnchi pohnche pahuncha pahunchi pahunche pohanch kyunkay
maloom malum hoti sahab sahib janab aapas yahin wahin jaldi
hamla hamlay hamle hamlon ahalkar ahalkaron chowki chowkiyon chauki hukumat hukoomat fauj
faujon tanzeem tanzim tanzeemon dehshatgard dehshatgardi dehshatgardon zimmedari zimmadari
qabool qubool qatl awam mulk ilaqa ilaqay ilaqe ilaqon shehri shehriyon jawanon sarkar
riyasat adalat giraftar giraftari rihai mutabiq bayan bayaan khilaf waqia waqiya zakhmi halak
jaanein bachon bachay bachche gharon maare maray mare marey mara shaheedon
jari jaari rahega rahegi rahenge rahengay dushmano dushmanon kafiron faujiyon faujio duaon
sheron larai larayi mujahidon hukmarano ghaziyon qurbaniyan
"""
# Urdu words that English posts about the region borrow ("the azadi march", "khawarij", "a
# shaheed's funeral"): strong Roman Urdu evidence in a post without English words (the slogan
# "BLA zindabad, azadi tak jang"), no evidence either way beside English words.
_RU_LOAN = """
zindabad zindabaad murdabad azadi azaadi aazadi jang jung mujahid mujahideen mujahidin
mujahedeen shariat shahadat shaheed shaheedo fidayeen fidaiyeen sarmachar sarmacharon khawarij
khwarij khariji dushman kafir kuffar murtad murtadeen taghoot taghut ghazi inqilab inquilab
qaum qoum watan zulm zalim zaalim qurbani ghaddar ghaddaar ghulami hukmaran insaf insaaf badla
badlay inteqam intiqam khoon maut mout kalaadam kaladam kalaadum tehreek tehrik jihadi
"""
# Roman Urdu words that are also frequent in another Latin-script language (Italian "hai",
# German "mein", Spanish "se", Somali "ka", Dutch "ik" …): half weight.
_RU_WEAK = """
hai hay ka ki ke ko se na ne ja wo mein mai tu par pe din ho hu hun un de di le la lo ab bas
jo kia kis ise han ik fir gai gae lena dena dein dia aya yah dil yani pata lia mubarak
salaam salam dua ameer
"""
# Words that are common in both English and Roman Urdu: they count for neither.
_AMBIGUOUS = """
me main he hi is in us use or so to do per bus bat ham sub lie mat band sun log logo tab jab
aye age bare bade sake thee thy mere hue may say
"""
_EN_STRONG = """
the and you your you're yours are were this that that's these those with have has had having
but they them their theirs there they're what what's when where which who whom whose why how
would could should can can't cannot don't didn't doesn't isn't aren't wasn't weren't won't
wouldn't couldn't shouldn't haven't hasn't it it's its i'm i've i'll i'd from about just been
being our ours we're we've my mine all if more most some any only than very really because
into out get got getting going gonna know like people time today tonight tomorrow yesterday
one new good great thanks thank please anyone everyone someone something nothing everything
after before again still even much many now here need want make think see look way day year
back right well never always every him her she his hers he's she's let's guys not up
too off yes yeah be then said says news government country world first last two three years
week month home family friend friends love life work school other another same such own ago
since while during against between without through around thing things actually already maybe
probably though although however must might go went come came take took give gave find found
tell told feel felt keep kept let put help show try call ask happy sad best better worst
"""
# English words that are also frequent in Dutch, German, French, Spanish or Scandinavian.
_EN_WEAK = "a i was will also for of at by an am on no as we over under police come"

_RU_S, _RU_W, _EN_S, _EN_W, _AMB, _RU_L = 1, 2, 3, 4, 5, 6


def _lexicon() -> dict[str, int]:
    table: dict[str, int] = {}
    # Later tables win, so a word listed as ambiguous is never counted for either side.
    for words, kind in (
        (_EN_WEAK, _EN_W),
        (_EN_STRONG, _EN_S),
        (_RU_WEAK, _RU_W),
        (_RU_STRONG, _RU_S),
        (_RU_LOAN, _RU_L),
        (_AMBIGUOUS, _AMB),
    ):
        for word in words.split():
            table[word] = kind
    return table


_LEXICON = _lexicon()


@dataclass(frozen=True, slots=True)
class _LatinScore:
    tokens: int
    ru_strong: int
    ru_weak: int
    en_strong: int
    en_weak: int

    @property
    def ru(self) -> float:
        return self.ru_strong + 0.5 * self.ru_weak

    @property
    def en(self) -> float:
        return self.en_strong + 0.5 * self.en_weak

    @property
    def ru_words(self) -> str:
        return f"Roman Urdu words {self.ru_strong + self.ru_weak}/{self.tokens}"

    @property
    def en_words(self) -> str:
        return f"English words {self.en_strong + self.en_weak}/{self.tokens}"


def _score_latin(text: str) -> _LatinScore:
    lowered = text.lower().replace("\u2019", "'")
    elongated = _RUN3.search(lowered) is not None
    counts = [0, 0, 0, 0, 0, 0, 0]
    tokens = _TOKEN.findall(lowered)
    for token in tokens:
        kind = _LEXICON.get(token, 0)
        if kind == 0 and elongated and _RUN3.search(token):
            # "yaaaar", "nahiii": try the word with the run cut to two letters, then to one.
            kind = _LEXICON.get(_RUN3.sub(r"\1\1", token), 0) or _LEXICON.get(
                _RUN3.sub(r"\1", token), 0
            )
        counts[kind] += 1
    # loanwords are Roman Urdu only where no English word says the post is English
    loans = counts[_RU_L] if counts[_EN_S] + counts[_EN_W] == 0 else 0
    return _LatinScore(
        len(tokens), counts[_RU_S] + loans, counts[_RU_W], counts[_EN_S], counts[_EN_W]
    )


def _clamp(value: float, low: float = 0.0, high: float = 0.99) -> float:
    return max(low, min(high, value))


def _share_confidence(share: float) -> float:
    """Map a share of hit tokens to a confidence: 0.25 → 0.7, 0.5 → 0.9, 0.6+ → 0.97."""
    return _clamp(0.5 + 0.8 * share, 0.3, 0.97)


def _letters(found: list[str]) -> str:
    return " ".join(sorted(set(found))[:5])


def _guess(lang: str, confidence: float, script: str, reason: str) -> LanguageGuess:
    return LanguageGuess(
        lang, lang in SUPPORTED, round(_clamp(confidence, 0.0, 1.0), 4), script, reason
    )


def _load_cld3() -> _Cld3:
    try:
        gcld3 = importlib.import_module("gcld3")  # no type stubs: used through _Cld3
    except ImportError as exc:
        raise DependencyError(
            f"language identification needs the cld3-py package (import name gcld3), a pinned "
            f"dependency of nigehban, but it cannot be imported ({type(exc).__name__}); "
            f"reinstall it with: pip install cld3-py==3.1.0"
        ) from None
    detector: _Cld3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
    return detector


class LanguageIdentifier:
    """Tells en, ur, ur-Latn and ps apart from each other and from every other language.

    Build one per process (or per thread) and reuse it: construction loads CLD3 once, and
    :meth:`identify` is pure and deterministic. It never raises on any ``str``.
    """

    def __init__(self) -> None:
        self._cld3 = _load_cld3()

    def identify_many(self, texts: Sequence[str]) -> list[LanguageGuess]:
        """Identify each text in order; the same as calling :meth:`identify` on each."""
        return [self.identify(text) for text in texts]

    def identify(self, text: str) -> LanguageGuess:
        """Identify the language of one raw (not normalised) post."""
        cleaned = _unmasked(_strip_noise(text))
        body = _HASHTAG.sub(" ", cleaned)
        counts = _count_scripts(body)
        if counts[0] < MIN_LETTERS and "#" in cleaned:
            # Only hashtags carry words: use them, split at underscores.
            body = _HASHTAG.sub(lambda m: " " + m.group(1).replace("_", " ") + " ", cleaned)
            counts = _count_scripts(body)
        total, latin, arabic = counts
        if total == 0:
            return _guess(UND, 0.0, "none", "no letters")
        dominant = max(latin, arabic, total - latin - arabic)
        if dominant == latin:
            script = "Latn" if latin >= _DOMINANT_SHARE * total else "mixed"
        elif dominant == arabic:
            script = "Arab" if arabic >= _DOMINANT_SHARE * total else "mixed"
        else:
            script = "mixed"
        if total < MIN_LETTERS:
            return _guess(UND, 0.0, script, f"too few letters ({total})")
        if dominant == latin:
            return self._latin(body if arabic == 0 else _ARABIC_RUN.sub(" ", body), script)
        if dominant == arabic:
            return self._arabic(body if latin == 0 else _LATIN_RUN.sub(" ", body), script)
        return self._other(body, script)

    # --- paths ----------------------------------------------------------------------------

    def _cld3_guess(self, text: str) -> tuple[str, float, bool]:
        try:
            result = self._cld3.FindLanguage(text)
        except TypeError:
            # gcld3 rejects strings it cannot encode as UTF-8 (lone surrogates, e.g. from
            # JSON "\\ud83d" escapes cut in half).
            result = self._cld3.FindLanguage(LONE_SURROGATE.sub(" ", text))
        return str(result.language), float(result.probability), bool(result.is_reliable)

    def _latin(self, text: str, script: str) -> LanguageGuess:
        score = _score_latin(text)
        n = max(score.tokens, 1)
        ru, en = score.ru, score.en
        short = min(1.0, 0.5 + 0.15 * n)  # one or two words are thin evidence
        if score.ru_strong >= 2 and ru >= 0.25 * n and ru > en:
            return _guess("ur-Latn", short * _share_confidence(ru / n), script, score.ru_words)
        if score.en_strong >= 2 and en >= 0.3 * n and ru <= 1 and en >= 3 * ru:
            return _guess("en", short * _share_confidence(en / n), script, score.en_words)

        lang, prob, reliable = self._cld3_guess(text)
        said = f"cld3: {lang} ({prob:.2f})"
        ru_share, en_share = ru / n, en / n
        # CLD3 is confidently wrong on one or two words ("kya" → ha 0.99) and on English or
        # Roman Urdu mixed with the other ("this is so sad yaar" → so 1.00), so its certainty
        # about a third language counts only from three words on and when our lexicons do not
        # already cover the text.
        lexical = score.en_strong + score.ru_strong >= 2 and en + ru >= 0.4 * n
        other_sure = (
            lang not in {"en", "hi-Latn", UND}
            and reliable
            and prob >= 0.9
            and n >= 3
            and not lexical
        )
        if (
            lang == "hi-Latn"
            and (prob >= 0.7 or score.ru_strong >= 1 or ru_share >= 0.25)
            and (ru >= 0.5 * en)
        ):
            conf = max(0.9 * prob, _share_confidence(ru_share))
            return _guess("ur-Latn", short * conf, script, f"{score.ru_words}; {said}")
        # CLD3 reads Roman Urdu as Somali, Hausa, Javanese, Igbo… with high confidence. Only a
        # confident major European language (or English) outweighs Roman Urdu words.
        european = lang in _EUROPEAN and reliable and prob >= 0.9
        if score.ru_strong >= 1 and ru >= 1.5 and ru > en and not european and lang != "en":
            return _guess("ur-Latn", 0.6 * short, script, f"{score.ru_words}; not {said}")
        lexicon_says_ru = score.ru_strong >= 1 and ru_share >= 0.25 and ru >= 0.6 * en
        cld3_disagrees = other_sure or (lang == "en" and reliable)
        if lexicon_says_ru and not (cld3_disagrees and score.ru_strong < 2):
            conf = _share_confidence(ru_share) - (0.1 if lang == "en" else 0.0)
            return _guess("ur-Latn", short * conf, script, f"{score.ru_words}; {said}")
        unsure_other = lang not in {"en", "hi-Latn"} and not reliable
        if unsure_other and score.ru_strong >= 1 and ru_share >= 0.15 and ru > en:
            return _guess("ur-Latn", 0.6 * short, script, f"{score.ru_words}; unsure {said}")
        if lang == "en" or (
            score.en_strong >= 1 and en_share >= 0.2 and en > ru and not other_sure
        ):
            conf = prob if lang == "en" else 0.5 * prob + 0.5 * _share_confidence(en_share)
            return _guess("en", short * max(conf, 0.5), script, f"{score.en_words}; {said}")
        if lang == "hi-Latn":
            return _guess("ur-Latn", 0.6 * prob * short, script, f"{score.ru_words}; {said}")
        if score.en_strong >= 1 and ru == 0 and not reliable:
            return _guess("en", 0.5 * short, script, f"{score.en_words}; unsure {said}")
        if lang in _NON_LATIN_LANGS:
            return _guess(UND, 0.0, script, f"{said} does not fit Latin script")
        if lang == UND or prob < (0.5 if score.tokens >= 3 else 0.8):
            return _guess(UND, 0.0, script, f"unsure {said}")
        return _guess(lang, prob, script, said)

    def _arabic(self, text: str, script: str) -> LanguageGuess:
        pashto = _PASHTO_LETTERS.findall(text)
        urdu = _URDU_LETTERS.findall(text)
        foreign = len(_FOREIGN_LETTERS.findall(text))
        ps, ur = len(pashto), len(urdu)
        if foreign == 0 and ps and not ur:
            conf = 0.85 + 0.05 * len(set(pashto))
            return _guess("ps", conf, script, f"Pashto letters {_letters(pashto)}")
        if foreign == 0 and ur and not ps and set(urdu) != {"ھ"}:
            conf = 0.85 + 0.05 * len(set(urdu))
            return _guess("ur", conf, script, f"Urdu letters {_letters(urdu)}")

        lang, prob, _ = self._cld3_guess(text)
        said = f"cld3: {lang} ({prob:.2f})"
        if foreign > ps + ur:
            # Sindhi, Saraiki, Uyghur or Kurdish letters: never one of ours.
            reason = f"letters of another language {foreign}; {said}"
            if lang in {"ps", "ur"}:
                return _guess(UND, 0.0, script, reason)
            return self._cld3_arabic(lang, prob, script, reason)
        if ps or ur:
            letters = f"Pashto letters {ps}, Urdu letters {ur}"
            if not ps and set(urdu) == {"ھ"} and lang in {"ar", "fa"} and prob >= 0.9:
                # Some Arabic and Persian keyboards type ھ for initial ه.
                return _guess(lang, prob, script, f"{said}, only Urdu letter ھ")
            if lang in {"ps", "ur"}:
                return _guess(lang, prob * 0.9, script, f"{letters}; {said}")
            best = "ps" if ps >= ur else "ur"
            return _guess(best, max(ps, ur) / (ps + ur), script, f"{letters}; {said}")
        if lang in {"ps", "ur"}:
            return _guess(lang, prob, script, said)
        words = _ARABIC_WORD.findall(text)
        pw = sum(word in _PASHTO_WORDS for word in words)
        uw = sum(word in _URDU_WORDS for word in words)
        sure = prob >= 0.9 and lang != "sd"
        if pw > uw and (pw >= 2 or not sure):
            return _guess("ps", 0.6 + 0.1 * min(pw, 3), script, f"Pashto words {pw}; {said}")
        if uw > pw and (uw >= 2 or not sure):
            return _guess("ur", 0.6 + 0.1 * min(uw, 3), script, f"Urdu words {uw}; {said}")
        return self._cld3_arabic(lang, prob, script, said)

    def _cld3_arabic(self, lang: str, prob: float, script: str, reason: str) -> LanguageGuess:
        if lang not in _ARABIC_SCRIPT_LANGS:
            return _guess(UND, 0.0, script, f"{reason} does not fit Arabic script")
        if prob < 0.5:
            return _guess(UND, 0.0, script, f"unsure {reason}")
        return _guess(lang, prob, script, reason)

    def _other(self, text: str, script: str) -> LanguageGuess:
        lang, prob, _ = self._cld3_guess(text)
        said = f"cld3: {lang} ({prob:.2f})"
        if lang in SUPPORTED or lang == UND or lang.endswith("-Latn") or prob < 0.5:
            return _guess(UND, 0.0, script, f"unsure {said}, letters in another script")
        return _guess(lang, prob, script, f"letters in another script; {said}")


def _strip_noise(text: str) -> str:
    """Drop invisible characters, then URLs, e-mail addresses, @mentions and bare domains."""
    text = text.translate(_INVISIBLE)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _AT.sub(" ", text)
    if _TLD.search(text):
        text = _DOMAIN.sub(" ", text)
    return text


_LOOK_ALIKE_SCRIPTS = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u1d00-\u1d7f\ua700-\ua7ff\uff00-\uffef"
    "\U0001d400-\U0001d7ff\u0131\u0142\u0141\u00f8\u00d8\u0111\u0110\u00f0"
    "\u0251\u0261\u028b\ua7b5]"
)
"""Scripts and blocks whose letters imitate Latin ones: Greek, Cyrillic, small capitals,
full-width forms, mathematical letters, and a few Latin letters that pass for others."""
_WORD = re.compile(r"\S+")


def _unmasked(text: str) -> str:
    """Latin written with look-alikes (Cyrillic а е о, Greek ο, full-width or mathematical
    letters) read as the Latin it imitates, so that a post in English or Roman Urdu disguised
    that way is identified as what it is, not abstained on ("cld3: ko"). Where every such
    letter in the post has a Latin look-alike, all are read so; otherwise (real Cyrillic or
    Greek, with letters that have none) only in words that also hold a Latin letter. Arabic
    script is never touched: its letters tell Pashto from Urdu."""
    if text.isascii() or not _LOOK_ALIKE_SCRIPTS.search(text):
        return text
    foreign = {c for c in text if c.isalpha() and _LOOK_ALIKE_SCRIPTS.match(c)}
    disguise = all(_latin_look_alike(c) for c in foreign)

    def word(m: re.Match[str]) -> str:
        w = m.group()
        if not _LOOK_ALIKE_SCRIPTS.search(w):
            return w
        if not disguise and not any(c.isascii() and c.isalpha() for c in w):
            return w
        return "".join(SHAPE.fold(c) if c in foreign and _latin_look_alike(c) else c for c in w)

    return _WORD.sub(word, text)


def _latin_look_alike(c: str) -> bool:
    folded = SHAPE.fold(c)
    return folded.isascii() and folded.isalpha()


def _count_scripts(text: str) -> tuple[int, int, int]:
    """Letters in all, in Latin script, in Arabic script."""
    letters = _NON_LETTERS.sub("", text)
    total = len(letters)
    if total == 0 or letters.isascii():
        return total, total, 0
    latin = sum(map(len, _LATIN_RUN.findall(letters)))
    return total, latin, sum(map(len, _ARABIC_LETTERS.findall(letters)))
