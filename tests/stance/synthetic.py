"""A small synthetic stance corpus for pipeline tests (not for accuracy: the real corpus is
``corpus/stance``). Posts are built from short templates per language and stance."""

from __future__ import annotations

import json
from pathlib import Path

from nigehban.stance.corpus import write_manifest

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "en": {
        "news": [
            "Police said {n} officers were killed in an attack on a check post in {place}.",
            "The group claimed the attack on {place} in a statement, officials said on {day}.",
        ],
        "counter_speech": [
            "Killing {n} policemen in {place} is cowardice, not jihad. Shame on them.",
            "Nothing heroic about the attack in {place}. Pray for the families.",
        ],
        "glorification": [
            "Salute to the lions who struck {place}, {n} enemies sent to hell, victory is near!",
            "Our brave fidayeen made history in {place} today, may Allah accept them.",
        ],
        "incitement": [
            "Every check post in {place} is a target now, rise up brothers and strike.",
            "Brothers in {place}, do not sit at home, attack them wherever you find them.",
        ],
    },
    "ur-Latn": {
        "news": [
            "{place} mein police chowki par hamla, {n} ahalkar shaheed, hukkam ke mutabiq.",
            "Tanzeem ne {place} hamle ki zimmedari qabool ki, police ne bataya.",
        ],
        "counter_speech": [
            "{place} mein {n} policewalon ko maarna buzdili hai, jihad nahi.",
            "Ye log {place} ke qatil hain, inka islam se koi taluq nahi.",
        ],
        "glorification": [
            "{place} ke sheron ko salam, {n} dushman jahannum wasil, fatah qareeb hai!",
            "Hamare bahadur fidayeen ne aaj {place} mein tareekh likh di.",
        ],
        "incitement": [
            "{place} ki har chowki ab nishana hai, utho bhaiyo aur hamla karo.",
            "Bhaiyo {place} mein ghar mat baitho, jahan milen un par toot paro.",
        ],
    },
    "ur": {
        "news": [
            "{place} میں پولیس چوکی پر حملہ، {n} اہلکار شہید، حکام کے مطابق۔",
            "تنظیم نے {place} حملے کی ذمہ داری قبول کر لی، پولیس نے بتایا۔",
        ],
        "counter_speech": [
            "{place} میں {n} پولیس والوں کو مارنا بزدلی ہے، جہاد نہیں۔",
            "یہ لوگ {place} کے قاتل ہیں، ان کا اسلام سے کوئی تعلق نہیں۔",
        ],
        "glorification": [
            "{place} کے شیروں کو سلام، {n} دشمن جہنم واصل، فتح قریب ہے!",
            "ہمارے بہادر فدائین نے آج {place} میں تاریخ رقم کر دی۔",
        ],
        "incitement": [
            "{place} کی ہر چوکی اب نشانہ ہے، اٹھو بھائیو اور حملہ کرو۔",
            "بھائیو {place} میں گھر مت بیٹھو، جہاں ملیں ان پر ٹوٹ پڑو۔",
        ],
    },
    "ps": {
        "news": [
            "په {place} کې پر پولیسو پوسته برید وشو، {n} پولیس ووژل شول، چارواکو وویل.",
            "ډلې د {place} برید مسؤلیت ومانه، پولیسو وویل.",
        ],
        "counter_speech": [
            "په {place} کې د {n} پولیسو وژل بزدلي ده، جهاد نه دی.",
            "دا خلک د {place} قاتلان دي، له اسلام سره یې هیڅ تړاو نشته.",
        ],
        "glorification": [
            "د {place} زمریو ته سلام، {n} دښمنان جهنم ته ولیږل شول، بریا نږدې ده!",
            "زموږ زړورو فدائیانو نن په {place} کې تاریخ جوړ کړ.",
        ],
        "incitement": [
            "د {place} هره پوسته اوس هدف ده، ورونو پاڅئ او برید وکړئ.",
            "ورونو په {place} کې په کور کې مه کېنئ، هر چېرته یې ومومئ پرې ورشئ.",
        ],
    },
}
PLACES = ["Bannu", "Lakki", "Quetta", "Turbat", "Khyber", "Bajaur", "Kech", "Swat"]
VIOLATING = {"glorification", "incitement"}


def write_corpus(root: Path, test_events: tuple[str, ...] = ("E2", "E5")) -> Path:
    """Write ``train/<lang>.jsonl``, ``events.jsonl`` and ``split.json`` under ``root``; returns ``root``."""
    (root / "train").mkdir(parents=True)
    for lang, stances in TEMPLATES.items():
        lines = []
        for e, place in enumerate(PLACES):
            for stance, templates in stances.items():
                for t, template in enumerate(templates):
                    for n in (3, 7):
                        lines.append(
                            {
                                "id": f"{lang}-{e}-{stance}-{t}-{n}",
                                "lang": lang,
                                "event": f"E{e}",
                                "scenario": f"{lang}-E{e}-{stance}",
                                "speaker": "test",
                                "text": template.format(place=place, n=n, day="Monday"),
                                "label": "violating" if stance in VIOLATING else "protected",
                                "category": stance,
                                "secondary": None,
                                "threat_any": 1 if stance == "incitement" else 0,
                                "pair": None,
                            }
                        )
        (root / "train" / f"{lang}.jsonl").write_text(
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
        )
    (root / "events.jsonl").write_text(
        "".join(
            json.dumps({"event": f"E{e}", "description": f"TTP attack on a police post in {place}"})
            + "\n"
            for e, place in enumerate(PLACES)
        ),
        encoding="utf-8",
    )
    write_manifest(root, test_events, "synthetic test corpus")
    return root
