"""The statement-of-reasons texts, as data: one table per language.

:mod:`nigehban.reasons.statements` picks sentences from these tables and fills the ``{named}``
slots; it never builds a sentence from fragments of another language. Each table has the same
keys (a test checks it), so a new language is a new table. Conventions:

* Plain, polite, formal register; the decision is described, the user is not accused ("we
  decided that the content contains …", never "you glorified …").
* Names of laws and articles stay in their official English form inside the Urdu, Roman Urdu
  and Pashto texts (``PECA 2016, section 37(4)``), as Pakistani legal notices usually write them;
  dates use the language's month names and Western digits.
* Urdu and Roman Urdu sentences take the content with "کو"/"ko" so the verb does not change
  with the noun's gender; Pashto past-tense verbs agree with the object, so the removal
  sentences have a ``.f`` variant used with feminine nouns (:data:`GENDER`).
"""

from __future__ import annotations

from typing import Final

from nigehban.model.taxonomy import Language

MONTHS: Final[dict[Language, tuple[str, ...]]] = {
    Language.EN: (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    Language.UR: (
        "جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون",
        "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر",
    ),
    Language.UR_LATN: (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    Language.PS: (
        "جنوري", "فبروري", "مارچ", "اپرېل", "مې", "جون",
        "جولای", "اګست", "سېپتمبر", "اکتوبر", "نومبر", "ډسمبر",
    ),
}  # fmt: skip

GENDER: Final[dict[Language, dict[str, str]]] = {
    Language.PS: {"video": "f", "media": "f"},
}
"""Grammatical gender of the content nouns where a template has a ``.f`` variant."""

RTL: Final[frozenset[Language]] = frozenset({Language.UR, Language.PS})

EN: Final[dict[str, str]] = {
    "noun.post": "your post",
    "noun.message": "your message",
    "noun.image": "your image",
    "noun.video": "your video",
    "noun.audio": "your audio recording",
    "noun.media": "your media",
    "noun.account": "your account",
    "dated.post": "your post of {date}",
    "dated.message": "your message of {date}",
    "dated.image": "your image of {date}",
    "dated.video": "your video of {date}",
    "dated.audio": "your audio recording of {date}",
    "dated.media": "your media of {date}",
    "dated.account": "your account",
    "content": "{thing}{place}",
    "place.public": "",
    "place.channel": " in the channel “{name}”",
    "place.group": " in the group “{name}”",
    "place.private": " in a private chat",
    "title.remove": "We removed {noun}",
    "title.disable": "{noun} is no longer available in some countries",
    "title.restrict": "We limited the reach of {noun}",
    "title.label": "We added a notice to {noun}",
    "title.suspend": "We suspended your account",
    "lead.remove": "We have removed {content}.",
    "lead.disable": (
        "We have blocked access in {territory} to {content}. It is still available elsewhere."
    ),
    "lead.restrict": (
        "We have limited the reach of {content}. It has not been removed, but we will no longer"
        " recommend it to others or show it in search results or feeds."
    ),
    "lead.label": (
        "We have added a warning notice to {content}. It has not been removed, and people can"
        " still see it."
    ),
    "lead.suspend": "We have suspended your account.",
    "lead.suspend_for": "We have suspended your account because of {content}.",
    "scope.world": "This applies everywhere.",
    "scope.list": "This applies in: {territory}.",
    "duration.none": "It has no end date.",
    "duration.until": "It applies until {date}.",
    "heading.why": "Why we did this",
    "heading.how": "How it came to our attention",
    "heading.what": "What you can do",
    "why.intro": "We decided that the content contains:",
    "why.intro_label": "We added the notice because the content may contain:",
    "cat.incitement": "incitement to commit terrorist violence",
    "cat.glorification": "glorification of terrorist violence or of the people who carried it out",
    "cat.recruitment": "an invitation to join or support a terrorist group",
    "cat.instruction": "instructions for carrying out terrorist violence",
    "cat.threat": "a threat of terrorist violence",
    "cat.propaganda": "material issued by a terrorist group itself",
    "cat.financing": "a request for money or other support for a terrorist group",
    "rule.one": "Rule applied: {rules}",
    "rule.many": "Rules applied: {rules}",
    "ground.law": "Legal ground: {citation}.",
    "ground.terms": "Our terms of service: {citation}.",
    "ground.url": "You can read it here: {url}",
    "source.user_notice": "A user reported it to us.",
    "source.trusted_flagger": "A trusted flagger reported it to us.",
    "source.trusted_flagger.named": "A trusted flagger reported it to us: {name}.",
    "source.authority_referral": "A state authority referred it to us.",
    "source.authority_referral.named": "A state authority referred it to us: {name}.",
    "source.authority_order": "We acted on an order from a state authority.",
    "source.authority_order.named": "We acted on an order from a state authority: {name}.",
    "source.automated_classifier": "Our automated system flagged it.",
    "source.hash_list": (
        "It matched a list of digital fingerprints (hashes) of known terrorist material."
    ),
    "source.own_initiative_review": "Our moderators found it during their own checks.",
    "auto.detect_yes": "Automated means were used to detect it.",
    "auto.detect_no": "It was not detected by automated means.",
    "auto.fully": (
        "The decision was taken by automated means, without a person reviewing it first."
    ),
    "auto.partially": (
        "Automated means helped with the decision, and a person took the final decision."
    ),
    "auto.not_automated": "A person took the decision, without automated means.",
    "appeal.line": (
        "You can appeal to us until {date} ({days} days from this decision). To appeal, go to:"
        " {location}"
    ),
    "appeal.spent": (
        "An appeal against this decision has been decided, so it cannot be appealed to us again."
    ),
    "appeal.exhausted": (
        "This decision was taken on your appeal, so it cannot be appealed to us again."
    ),
    "appeal.pending": (
        "We have received an appeal against this decision and are reviewing it; you do not need"
        " to appeal again."
    ),
    "appeal.human": "A person who was not involved in this decision will review your appeal.",
    "appeal.automated": "Your appeal may be reviewed by automated means.",
    "appeal.decision": "We will tell you the outcome, with our reasons, within {days} days.",
    "redress.ods": (
        "You can also refer this decision to a certified out-of-court dispute settlement body"
        " (Digital Services Act, Article 21)."
    ),
    "redress.tco_court": (
        "Because we acted on a removal order, you can challenge the order before the courts of"
        " the Member State whose authority issued it (Regulation (EU) 2021/784, Article 9)."
    ),
    "redress.peca_review": (
        "Because we acted on a state authority's order, you can ask that authority to review the"
        " order within 30 days (Prevention of Electronic Crimes Act 2016, section 37(4)), and"
        " then appeal to the High Court within 30 days of its review decision (section 37(5))."
    ),
    "courts.pk": "You can also seek a remedy before the courts of Pakistan.",
    "courts.eu": "You can also go to court under the law of your country.",
    "courts.other": "You may also be able to go to court under the law that applies to you.",
    "reference": "Reference: {decision_id} · {platform}",
    "separator": ", ",
    "territory.PK": "Pakistan",
    "territory.AF": "Afghanistan",
    "territory.IN": "India",
    "territory.GB": "the United Kingdom",
    "territory.US": "the United States",
    "territory.EU": "all Member States of the European Union",
    "territory.EEA": "all countries of the European Economic Area",
    "territory.WORLD": "everywhere",
}

UR: Final[dict[str, str]] = {
    "noun.post": "آپ کی پوسٹ",
    "noun.message": "آپ کا پیغام",
    "noun.image": "آپ کی تصویر",
    "noun.video": "آپ کی ویڈیو",
    "noun.audio": "آپ کی آڈیو",
    "noun.media": "آپ کا مواد",
    "noun.account": "آپ کا اکاؤنٹ",
    "dated.post": "آپ کی {date} کی پوسٹ",
    "dated.message": "آپ کا {date} کا پیغام",
    "dated.image": "آپ کی {date} کی تصویر",
    "dated.video": "آپ کی {date} کی ویڈیو",
    "dated.audio": "آپ کی {date} کی آڈیو",
    "dated.media": "آپ کا {date} کا مواد",
    "dated.account": "آپ کا اکاؤنٹ",
    "content": "{place}{thing}",
    "place.public": "",
    "place.channel": "چینل “{name}” میں ",
    "place.group": "گروپ “{name}” میں ",
    "place.private": "ایک نجی گفتگو میں ",
    "title.remove": "ہم نے {noun} کو ہٹا دیا ہے",
    "title.disable": "{noun} اب بعض ممالک میں دستیاب نہیں",
    "title.restrict": "ہم نے {noun} کی پہنچ محدود کر دی ہے",
    "title.label": "ہم نے {noun} پر ایک نوٹس لگا دیا ہے",
    "title.suspend": "ہم نے آپ کا اکاؤنٹ معطل کر دیا ہے",
    "lead.remove": "ہم نے {content} کو ہٹا دیا ہے۔",
    "lead.disable": (
        "ہم نے {content} تک رسائی ان ممالک میں بند کر دی ہے: {territory}۔ دوسری جگہوں پر یہ"
        " بدستور دستیاب ہے۔"
    ),
    "lead.restrict": (
        "ہم نے {content} کی پہنچ محدود کر دی ہے۔ اسے ہٹایا نہیں گیا، لیکن اب ہم نہ اسے دوسروں"
        " کو تجویز کریں گے اور نہ تلاش کے نتائج یا فیڈ میں دکھائیں گے۔"
    ),
    "lead.label": (
        "ہم نے {content} پر ایک انتباہی نوٹس لگا دیا ہے۔ اسے ہٹایا نہیں گیا اور لوگ اب بھی اسے"
        " دیکھ سکتے ہیں۔"
    ),
    "lead.suspend": "ہم نے آپ کا اکاؤنٹ معطل کر دیا ہے۔",
    "lead.suspend_for": "ہم نے {content} کی وجہ سے آپ کا اکاؤنٹ معطل کر دیا ہے۔",
    "scope.world": "یہ اقدام ہر جگہ لاگو ہے۔",
    "scope.list": "یہ اقدام ان علاقوں میں لاگو ہے: {territory}۔",
    "duration.none": "اس کی کوئی آخری تاریخ مقرر نہیں۔",
    "duration.until": "یہ {date} تک نافذ رہے گا۔",
    "heading.why": "ہم نے یہ کیوں کیا",
    "heading.how": "یہ ہمارے علم میں کیسے آیا",
    "heading.what": "آپ کیا کر سکتے ہیں",
    "why.intro": "ہمارے فیصلے کے مطابق اس مواد میں یہ شامل ہے:",
    "why.intro_label": "ہم نے یہ نوٹس اس لیے لگایا کہ اس مواد میں یہ شامل ہو سکتا ہے:",
    "cat.incitement": "دہشت گردانہ تشدد پر اکسانا",
    "cat.glorification": "دہشت گردانہ تشدد یا اس کے مرتکب افراد کی تعریف و توصیف",
    "cat.recruitment": "کسی دہشت گرد گروہ میں شمولیت یا اس کی حمایت کی دعوت",
    "cat.instruction": "دہشت گردانہ تشدد کرنے کی ہدایات",
    "cat.threat": "دہشت گردانہ تشدد کی دھمکی",
    "cat.propaganda": "کسی دہشت گرد گروہ کا اپنا جاری کردہ مواد",
    "cat.financing": "کسی دہشت گرد گروہ کے لیے رقم یا دیگر مدد کی اپیل",
    "rule.one": "لاگو ہونے والا قاعدہ: {rules}",
    "rule.many": "لاگو ہونے والے قواعد: {rules}",
    "ground.law": "قانونی بنیاد: {citation}۔",
    "ground.terms": "ہماری سروس کی شرائط: {citation}۔",
    "ground.url": "آپ اسے یہاں پڑھ سکتے ہیں: {url}",
    "source.user_notice": "ایک صارف نے ہمیں اس کی اطلاع دی۔",
    "source.trusted_flagger": "ایک معتبر نشاندہی کنندہ نے ہمیں اس کی اطلاع دی۔",
    "source.trusted_flagger.named": "معتبر نشاندہی کنندہ {name} نے ہمیں اس کی اطلاع دی۔",
    "source.authority_referral": "ایک سرکاری ادارے نے اسے ہمارے پاس بھیجا۔",
    "source.authority_referral.named": "سرکاری ادارے {name} نے اسے ہمارے پاس بھیجا۔",
    "source.authority_order": "ہم نے ایک سرکاری ادارے کے حکم پر کارروائی کی۔",
    "source.authority_order.named": "ہم نے سرکاری ادارے {name} کے حکم پر کارروائی کی۔",
    "source.automated_classifier": "ہمارے خودکار نظام نے اس کی نشاندہی کی۔",
    "source.hash_list": (
        "یہ معلوم دہشت گردانہ مواد کے ڈیجیٹل فنگر پرنٹس (ہیش) کی فہرست سے مماثل پایا گیا۔"
    ),
    "source.own_initiative_review": "ہمارے ماڈریٹرز نے اپنی جانچ کے دوران اسے دیکھا۔",
    "auto.detect_yes": "اس کی نشاندہی کے لیے خودکار ذرائع استعمال کیے گئے۔",
    "auto.detect_no": "اس کی نشاندہی خودکار ذرائع سے نہیں ہوئی۔",
    "auto.fully": (
        "یہ فیصلہ خودکار ذرائع سے کیا گیا، اور اس سے پہلے کسی انسان نے اس کا جائزہ نہیں لیا۔"
    ),
    "auto.partially": "فیصلے میں خودکار ذرائع سے مدد لی گئی، اور حتمی فیصلہ ایک انسان نے کیا۔",
    "auto.not_automated": "یہ فیصلہ ایک انسان نے خودکار ذرائع کے بغیر کیا۔",
    "appeal.line": (
        "آپ {date} تک (اس فیصلے سے {days} دن کے اندر) ہم سے اپیل کر سکتے ہیں۔ اپیل کے لیے یہاں"
        " جائیں: {location}"
    ),
    "appeal.spent": (
        "اس فیصلے کے خلاف اپیل کا فیصلہ ہو چکا ہے، "
        "اس لیے اس کے خلاف ہم سے دوبارہ اپیل نہیں ہو سکتی۔"
    ),
    "appeal.exhausted": (
        "یہ فیصلہ آپ کی اپیل پر کیا گیا ہے، اس لیے اس کے خلاف ہم سے دوبارہ اپیل نہیں ہو سکتی۔"
    ),
    "appeal.pending": (
        "ہمیں اس فیصلے کے خلاف اپیل موصول ہو چکی ہے اور اس کا جائزہ لیا جا رہا ہے؛ "
        "آپ کو دوبارہ اپیل کرنے کی ضرورت نہیں۔"
    ),
    "appeal.human": "آپ کی اپیل کا جائزہ ایک ایسا شخص لے گا جو اس فیصلے میں شامل نہیں تھا۔",
    "appeal.automated": "آپ کی اپیل کا جائزہ خودکار ذرائع سے بھی لیا جا سکتا ہے۔",
    "appeal.decision": "ہم {days} دن کے اندر آپ کو وجوہات کے ساتھ نتیجے سے آگاہ کریں گے۔",
    "redress.ods": (
        "آپ اس فیصلے کو عدالت سے باہر تنازعات حل کرنے والے کسی تصدیق شدہ ادارے کے پاس بھی لے جا"
        " سکتے ہیں (Digital Services Act, Article 21)۔"
    ),
    "redress.tco_court": (
        "چونکہ ہم نے مواد ہٹانے کے ایک حکم (removal order) پر عمل کیا ہے، آپ اس حکم کو اس رکن"
        " ملک کی عدالتوں میں چیلنج کر سکتے ہیں جس کے ادارے نے اسے جاری کیا"
        " (Regulation (EU) 2021/784, Article 9)۔"
    ),
    "redress.peca_review": (
        "چونکہ ہم نے ایک سرکاری ادارے کے حکم پر عمل کیا ہے، آپ 30 دن کے اندر اسی ادارے سے اس حکم پر"
        " نظرِ ثانی کی درخواست کر سکتے ہیں (PECA 2016, section 37(4))، اور نظرِ ثانی کے فیصلے"
        " کے 30 دن کے اندر ہائی کورٹ میں اپیل کر سکتے ہیں (section 37(5))۔"
    ),
    "courts.pk": "آپ پاکستان کی عدالتوں سے بھی رجوع کر سکتے ہیں۔",
    "courts.eu": "آپ اپنے ملک کے قانون کے تحت عدالت سے بھی رجوع کر سکتے ہیں۔",
    "courts.other": "ممکن ہے آپ اپنے اوپر لاگو قانون کے تحت عدالت سے بھی رجوع کر سکیں۔",
    "reference": "حوالہ: {decision_id} · {platform}",
    "separator": "، ",
    "territory.PK": "پاکستان",
    "territory.AF": "افغانستان",
    "territory.IN": "بھارت",
    "territory.GB": "برطانیہ",
    "territory.US": "امریکہ",
    "territory.EU": "یورپی یونین کے تمام رکن ممالک",
    "territory.EEA": "یورپی اقتصادی علاقے کے تمام ممالک",
    "territory.WORLD": "ہر جگہ",
}

UR_LATN: Final[dict[str, str]] = {
    "noun.post": "aap ki post",
    "noun.message": "aap ka message",
    "noun.image": "aap ki tasveer",
    "noun.video": "aap ki video",
    "noun.audio": "aap ki audio",
    "noun.media": "aap ka content",
    "noun.account": "aap ka account",
    "dated.post": "aap ki {date} ki post",
    "dated.message": "aap ka {date} ka message",
    "dated.image": "aap ki {date} ki tasveer",
    "dated.video": "aap ki {date} ki video",
    "dated.audio": "aap ki {date} ki audio",
    "dated.media": "aap ka {date} ka content",
    "dated.account": "aap ka account",
    "content": "{place}{thing}",
    "place.public": "",
    "place.channel": "channel “{name}” mein ",
    "place.group": "group “{name}” mein ",
    "place.private": "ek private chat mein ",
    "title.remove": "Humne {noun} ko hata diya hai",
    "title.disable": "{noun} ab kuch mumalik mein dastiyab nahi",
    "title.restrict": "Humne {noun} ki pohanch mehdood kar di hai",
    "title.label": "Humne {noun} par ek notice laga diya hai",
    "title.suspend": "Humne aap ka account suspend kar diya hai",
    "lead.remove": "Humne {content} ko hata diya hai.",
    "lead.disable": (
        "Humne {content} tak rasai in mumalik mein band kar di hai: {territory}. Baaqi jagahon"
        " par yeh ab bhi dastiyab hai."
    ),
    "lead.restrict": (
        "Humne {content} ki pohanch mehdood kar di hai. Isay hataya nahi gaya, lekin ab hum"
        " na isay doosron ko recommend karenge aur na search results ya feed mein dikhayenge."
    ),
    "lead.label": (
        "Humne {content} par ek warning notice laga diya hai. Isay hataya nahi gaya aur log ab"
        " bhi isay dekh sakte hain."
    ),
    "lead.suspend": "Humne aap ka account suspend kar diya hai.",
    "lead.suspend_for": "Humne {content} ki wajah se aap ka account suspend kar diya hai.",
    "scope.world": "Yeh iqdam har jagah lagu hai.",
    "scope.list": "Yeh iqdam in ilaqon mein lagu hai: {territory}.",
    "duration.none": "Is ki koi aakhri tareekh muqarrar nahi.",
    "duration.until": "Yeh {date} tak nafiz rahega.",
    "heading.why": "Humne yeh kyun kiya",
    "heading.how": "Yeh hamare ilm mein kaise aaya",
    "heading.what": "Aap kya kar sakte hain",
    "why.intro": "Hamare faisle ke mutabiq is content mein yeh shamil hai:",
    "why.intro_label": (
        "Humne yeh notice is liye lagaya ke is content mein yeh shamil ho sakta hai:"
    ),
    "cat.incitement": "dehshatgardana tashaddud par uksana",
    "cat.glorification": "dehshatgardana tashaddud ya us ke karne walon ki tareef",
    "cat.recruitment": "kisi dehshatgard group mein shamil hone ya us ki himayat ki dawat",
    "cat.instruction": "dehshatgardana tashaddud karne ki hidayat",
    "cat.threat": "dehshatgardana tashaddud ki dhamki",
    "cat.propaganda": "kisi dehshatgard group ka apna jari karda material",
    "cat.financing": "kisi dehshatgard group ke liye paison ya kisi aur madad ki appeal",
    "rule.one": "Lagu hone wala qaida: {rules}",
    "rule.many": "Lagu hone wale qawaid: {rules}",
    "ground.law": "Qanooni buniyad: {citation}.",
    "ground.terms": "Hamari terms of service: {citation}.",
    "ground.url": "Aap isay yahan parh sakte hain: {url}",
    "source.user_notice": "Ek user ne humein is ki report ki.",
    "source.trusted_flagger": "Ek trusted flagger ne humein is ki report ki.",
    "source.trusted_flagger.named": "Trusted flagger {name} ne humein is ki report ki.",
    "source.authority_referral": "Ek sarkari idare ne isay hamare paas bheja.",
    "source.authority_referral.named": "Sarkari idare {name} ne isay hamare paas bheja.",
    "source.authority_order": "Humne ek sarkari idare ke hukm par karrawai ki.",
    "source.authority_order.named": "Humne sarkari idare {name} ke hukm par karrawai ki.",
    "source.automated_classifier": "Hamare automated system ne isay flag kiya.",
    "source.hash_list": (
        "Yeh maloom dehshatgardana material ke digital fingerprints (hashes) ki list se match hua."
    ),
    "source.own_initiative_review": "Hamare moderators ne apni jaanch ke dauran isay dekha.",
    "auto.detect_yes": "Is ki nishandahi ke liye automated zariye istemal kiye gaye.",
    "auto.detect_no": "Is ki nishandahi automated zariye se nahi hui.",
    "auto.fully": (
        "Yeh faisla automated zariye se kiya gaya, aur is se pehle kisi insaan ne is ka jaiza"
        " nahi liya."
    ),
    "auto.partially": (
        "Faisle mein automated zariye se madad li gayi, aur aakhri faisla ek insaan ne kiya."
    ),
    "auto.not_automated": "Yeh faisla ek insaan ne automated zariye ke baghair kiya.",
    "appeal.line": (
        "Aap {date} tak (is faisle se {days} din ke andar) hum se appeal kar sakte hain. Appeal"
        " ke liye yahan jayein: {location}"
    ),
    "appeal.spent": (
        "Is faisle ke khilaf appeal ka faisla ho chuka hai, "
        "is liye is ke khilaf hum se dobara appeal nahi ho sakti."
    ),
    "appeal.exhausted": (
        "Yeh faisla aap ki appeal par kiya gaya hai, "
        "is liye is ke khilaf hum se dobara appeal nahi ho sakti."
    ),
    "appeal.pending": (
        "Hamein is faisle ke khilaf appeal mil chuki hai aur us ka jaiza liya ja raha hai; "
        "aap ko dobara appeal karne ki zaroorat nahi."
    ),
    "appeal.human": "Aap ki appeal ka jaiza aisa shakhs lega jo is faisle mein shamil nahi tha.",
    "appeal.automated": "Aap ki appeal ka jaiza automated zariye se bhi liya ja sakta hai.",
    "appeal.decision": "Hum {days} din ke andar aap ko wajohat ke saath nateeje se aagah karenge.",
    "redress.ods": (
        "Aap is faisle ko kisi certified out-of-court dispute settlement idare ke paas bhi le ja"
        " sakte hain (Digital Services Act, Article 21)."
    ),
    "redress.tco_court": (
        "Kyunke humne content hatane ke ek hukm (removal order) par amal kiya hai, aap is hukm"
        " ko us member state ki adalaton mein challenge kar sakte hain jis ke idare ne isay"
        " jari kiya (Regulation (EU) 2021/784, Article 9)."
    ),
    "redress.peca_review": (
        "Kyunke humne ek sarkari idare ke hukm par amal kiya hai, aap 30 din ke andar usi idare"
        " se is hukm par nazar-e-sani ki darkhwast kar sakte hain (PECA 2016, section 37(4)), aur"
        " nazar-e-sani ke faisle ke 30 din ke andar High Court mein appeal kar sakte hain"
        " (section 37(5))."
    ),
    "courts.pk": "Aap Pakistan ki adalaton se bhi rujoo kar sakte hain.",
    "courts.eu": "Aap apne mulk ke qanoon ke tehat adalat se bhi rujoo kar sakte hain.",
    "courts.other": "Mumkin hai aap apne upar lagu qanoon ke tehat adalat se bhi rujoo kar sakein.",
    "reference": "Hawala: {decision_id} · {platform}",
    "separator": ", ",
    "territory.PK": "Pakistan",
    "territory.AF": "Afghanistan",
    "territory.IN": "Bharat",
    "territory.GB": "Bartania",
    "territory.US": "America",
    "territory.EU": "European Union ke tamam rukn mumalik",
    "territory.EEA": "European Economic Area ke tamam mumalik",
    "territory.WORLD": "har jagah",
}

PS: Final[dict[str, str]] = {
    "noun.post": "ستاسو پوسټ",
    "noun.message": "ستاسو پیغام",
    "noun.image": "ستاسو انځور",
    "noun.video": "ستاسو ویډیو",
    "noun.audio": "ستاسو غږیز فایل",
    "noun.media": "ستاسو منځپانګه",
    "noun.account": "ستاسو اکاونټ",
    "dated.post": "ستاسو د {date} پوسټ",
    "dated.message": "ستاسو د {date} پیغام",
    "dated.image": "ستاسو د {date} انځور",
    "dated.video": "ستاسو د {date} ویډیو",
    "dated.audio": "ستاسو د {date} غږیز فایل",
    "dated.media": "ستاسو د {date} منځپانګه",
    "dated.account": "ستاسو اکاونټ",
    "content": "{place}{thing}",
    "place.public": "",
    "place.channel": "په “{name}” چینل کې ",
    "place.group": "په “{name}” ګروپ کې ",
    "place.private": "په یوه شخصي چټ کې ",
    "title.remove": "موږ {noun} لرې کړ",
    "title.remove.f": "موږ {noun} لرې کړه",
    "title.disable": "په ځینو هېوادونو کې {noun} ته لاسرسی بند شو",
    "title.restrict": "موږ د {noun} رسېدنه محدوده کړه",
    "title.label": "موږ پر {noun} یوه خبرتیا ولګوله",
    "title.suspend": "موږ ستاسو اکاونټ معطل کړ",
    "lead.remove": "موږ {content} لرې کړ.",
    "lead.remove.f": "موږ {content} لرې کړه.",
    "lead.disable": (
        "موږ {content} ته په دې سیمو کې لاسرسی بند کړ: {territory}. په نورو ځایونو کې لا هم"
        " شتون لري."
    ),
    "lead.restrict": (
        "موږ د {content} رسېدنه محدوده کړه. دا منځپانګه لرې شوې نه ده، خو نور به یې نه نورو ته"
        " وړاندیز کوو او نه به یې د لټون په پایلو یا فیډ کې ښیو."
    ),
    "lead.label": (
        "موږ پر {content} یوه خبرداري خبرتیا ولګوله. دا منځپانګه لرې شوې نه ده او خلک یې لا"
        " هم لیدلی شي."
    ),
    "lead.suspend": "موږ ستاسو اکاونټ معطل کړ.",
    "lead.suspend_for": "موږ د {content} له امله ستاسو اکاونټ معطل کړ.",
    "scope.world": "دا اقدام په هر ځای کې پلی کېږي.",
    "scope.list": "دا اقدام په دې سیمو کې پلی کېږي: {territory}.",
    "duration.none": "د دې لپاره کومه وروستۍ نېټه نه ده ټاکل شوې.",
    "duration.until": "دا به تر {date} پورې پلی وي.",
    "heading.why": "موږ ولې دا کار وکړ",
    "heading.how": "دا زموږ پام ته څنګه راغی",
    "heading.what": "تاسو څه کولی شئ",
    "why.intro": "زموږ د پرېکړې له مخې په دې منځپانګه کې دا شامل دي:",
    "why.intro_label": "موږ دا خبرتیا ځکه ولګوله چې کېدای شي په دې منځپانګه کې دا شامل وي:",
    "cat.incitement": "ترهګریز تاوتریخوالي ته لمسون",
    "cat.glorification": "د ترهګریز تاوتریخوالي یا د هغو کسانو ستاینه چې دا یې کړی",
    "cat.recruitment": "یوې ترهګرې ډلې ته د یوځای کېدو یا د هغې د ملاتړ بلنه",
    "cat.instruction": "د ترهګریز تاوتریخوالي د ترسره کولو لارښوونې",
    "cat.threat": "د ترهګریز تاوتریخوالي ګواښ",
    "cat.propaganda": "هغه مواد چې پخپله یوې ترهګرې ډلې خپاره کړي",
    "cat.financing": "یوې ترهګرې ډلې ته د پیسو یا بلې مرستې غوښتنه",
    "rule.one": "پلي شوې قاعده: {rules}",
    "rule.many": "پلي شوې قاعدې: {rules}",
    "ground.law": "قانوني اساس: {citation}.",
    "ground.terms": "زموږ د خدمت شرطونه: {citation}.",
    "ground.url": "تاسو یې دلته لوستلی شئ: {url}",
    "source.user_notice": "یوه کاروونکي موږ ته د دې په اړه راپور راکړ.",
    "source.trusted_flagger": "یوه باوري نښه کوونکي موږ ته د دې په اړه راپور راکړ.",
    "source.trusted_flagger.named": "باوري نښه کوونکي {name} موږ ته د دې په اړه راپور راکړ.",
    "source.authority_referral": "یوې دولتي ادارې موږ ته د دې په اړه خبر راکړ.",
    "source.authority_referral.named": "دولتي ادارې {name} موږ ته د دې په اړه خبر راکړ.",
    "source.authority_order": "موږ د یوې دولتي ادارې د حکم له مخې اقدام وکړ.",
    "source.authority_order.named": "موږ د دولتي ادارې {name} د حکم له مخې اقدام وکړ.",
    "source.automated_classifier": "زموږ اتوماتیک سیسټم د دې نښاندهي وکړه.",
    "source.hash_list": (
        "دا د پېژندل شویو ترهګریزو موادو د ډیجیټل ګوتو نښو (هش) له لست سره سمون وخوړ."
    ),
    "source.own_initiative_review": "زموږ څارونکو دا د خپلې څېړنې پر مهال وموند.",
    "auto.detect_yes": "د دې د موندلو لپاره اتوماتیک وسایل کارول شوي.",
    "auto.detect_no": "دا د اتوماتیک وسایلو له لارې نه دی موندل شوی.",
    "auto.fully": "دا پرېکړه په اتوماتیک ډول شوې ده، او له دې مخکې کوم انسان نه ده کتلې.",
    "auto.partially": (
        "په پرېکړه کې له اتوماتیک وسایلو مرسته اخیستل شوې، او وروستۍ پرېکړه یوه انسان کړې ده."
    ),
    "auto.not_automated": "دا پرېکړه یوه انسان پرته له اتوماتیک وسایلو کړې ده.",
    "appeal.line": (
        "تاسو تر {date} پورې (د دې پرېکړې له نېټې {days} ورځو کې دننه) موږ ته اپیل کولی شئ."
        " د اپیل لپاره دلته لاړ شئ: {location}"
    ),
    "appeal.spent": "د دې پرېکړې پر ضد د اپیل پرېکړه شوې ده، نو موږ ته یې بیا اپیل نه شئ کولای.",
    "appeal.exhausted": "دا پرېکړه ستاسو پر اپیل شوې ده، نو موږ ته یې بیا اپیل نه شئ کولای.",
    "appeal.pending": (
        "موږ ته د دې پرېکړې پر ضد اپیل رسېدلی او کتل کېږي؛ تاسو ته بیا د اپیل کولو اړتیا نشته."
    ),
    "appeal.human": "ستاسو اپیل به یو داسې کس وګوري چې په دې پرېکړه کې یې برخه نه درلوده.",
    "appeal.automated": "کېدای شي ستاسو اپیل په اتوماتیک ډول وکتل شي.",
    "appeal.decision": "موږ به په {days} ورځو کې دننه تاسو ته پایله له دلیلونو سره ووایو.",
    "redress.ods": (
        "تاسو کولی شئ دا پرېکړه د محکمې نه بهر د شخړو د حل یوې تصدیق شوې ادارې ته هم یوسئ"
        " (Digital Services Act, Article 21)."
    ),
    "redress.tco_court": (
        "څرنګه چې موږ د منځپانګې د لرې کولو پر یوه حکم (removal order) عمل کړی، تاسو کولی شئ"
        " دا حکم د هغه غړي هېواد په محکمو کې وننګوئ چې ادارې یې صادر کړی دی"
        " (Regulation (EU) 2021/784, Article 9)."
    ),
    "redress.peca_review": (
        "څرنګه چې موږ د یوې دولتي ادارې پر حکم عمل کړی، تاسو کولی شئ په 30 ورځو کې دننه له همدې"
        " ادارې څخه د دې حکم د بیاکتنې غوښتنه وکړئ (PECA 2016, section 37(4))، او د بیاکتنې"
        " د پرېکړې نه وروسته په 30 ورځو کې دننه عالي محکمې (High Court) ته اپیل وکړئ"
        " (section 37(5))."
    ),
    "courts.pk": "تاسو کولی شئ د پاکستان محکمو ته هم مراجعه وکړئ.",
    "courts.eu": "تاسو کولی شئ د خپل هېواد د قانون له مخې محکمې ته هم مراجعه وکړئ.",
    "courts.other": (
        "کېدای شي تاسو د هغه قانون له مخې چې پر تاسو پلی کېږي محکمې ته هم مراجعه وکړای شئ."
    ),
    "reference": "حواله: {decision_id} · {platform}",
    "separator": "، ",
    "territory.PK": "پاکستان",
    "territory.AF": "افغانستان",
    "territory.IN": "هند",
    "territory.GB": "بریتانیا",
    "territory.US": "امریکا",
    "territory.EU": "د اروپايي اتحادیې ټول غړي هېوادونه",
    "territory.EEA": "د اروپايي اقتصادي سیمې ټول هېوادونه",
    "territory.WORLD": "هر ځای",
}

TEXTS: Final[dict[Language, dict[str, str]]] = {
    Language.EN: EN,
    Language.UR: UR,
    Language.UR_LATN: UR_LATN,
    Language.PS: PS,
}
"""The tables by statement language. Keys ending in ``.f`` are optional feminine variants."""
