"""``nigehban groups``: list, show, match, check and eval as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_support import run
from tests.groups.registry_files import MINIMAL

GROUPS_DATA = Path(__file__).resolve().parent / "data" / "groups"


def run_json(*argv: str) -> tuple[int, object]:
    code, out, err = run(*argv, "--json")
    assert code == 0, err
    return code, json.loads(out)


# -- list and show ----------------------------------------------------------------------------


def test_list_groups_json(env: Path) -> None:
    _, body = run_json("groups", "list")
    assert isinstance(body, dict)
    assert body["registry"]["snapshot_hash"]
    assert "ttp" in [g["id"] for g in body["groups"]]


def test_list_labels_json(env: Path) -> None:
    _, body = run_json("groups", "list", "--labels")
    assert isinstance(body, list)
    ids = [label["id"] for label in body]
    assert "fitna-al-khawarij" in ids and "fitna-al-hindustan" in ids
    assert {label["kind"] for label in body} == {"state_label"}


def test_list_by_kind_text(env: Path) -> None:
    code, out, err = run("groups", "list", "--kind", "rights_movement")
    assert code == 0, err
    assert "ptm" in out


def test_show_group_json(env: Path) -> None:
    _, body = run_json("groups", "show", "bla")
    assert isinstance(body, dict)
    assert body["id"] == "bla"
    assert any(d["jurisdiction"] == "US" for d in body["designations"])


def test_show_follows_an_id_a_curated_group_took_over(env: Path) -> None:
    _, body = run_json("groups", "show", "al-nusrah-front-for-the-people-of-the-levant")
    assert isinstance(body, dict)
    assert body["id"] == "al-nusrah-front"
    assert {d["reference"] for d in body["designations"]} >= {"QDe.137", "16937"}


def test_show_label(env: Path) -> None:
    code, out, err = run("groups", "show", "fitna-al-khawarij")
    assert code == 0, err
    assert "Fitna al-Khawarij" in out
    assert "ttp" in out


def test_show_unknown_id_is_exit_1(env: Path) -> None:
    code, _, err = run("groups", "show", "nope")
    assert code == 1
    assert "nope" in err and "not found" in err


# -- match ------------------------------------------------------------------------------------


def test_match_text_json(env: Path) -> None:
    _, body = run_json("groups", "match", "BLA militants attacked a post near Turbat")
    assert isinstance(body, dict)
    assert "bla" in [h["id"] for h in body["hits"]]


def test_match_file_of_lines_and_whole(env: Path) -> None:
    texts = env / "posts.txt"
    texts.write_text(
        "BLA militants attacked a post near Turbat\n"
        "کالعدم تحریک طالبان پاکستان\n"
        "let me know when you are free\n",
        encoding="utf-8",
    )
    _, per_line = run_json("groups", "match", str(texts))
    assert isinstance(per_line, list) and len(per_line) == 3
    assert [r["source"] for r in per_line] == [f"posts.txt:{n}" for n in (1, 2, 3)]
    assert "bla" in [h["id"] for h in per_line[0]["hits"]]
    assert "ttp" in [h["id"] for h in per_line[1]["hits"]]
    assert per_line[2]["hits"] == []

    _, whole = run_json("groups", "match", "--whole", str(texts))
    assert isinstance(whole, dict)
    assert whole["source"] == "posts.txt"
    assert {"bla", "ttp"} <= {h["id"] for h in whole["hits"]}


def test_whole_needs_a_file(env: Path) -> None:
    code, _, err = run("groups", "match", "--whole", "BLA militants attacked a post")
    assert code == 2
    assert "--whole" in err


def test_a_file_name_that_is_not_there_is_matched_as_text_with_a_note(env: Path) -> None:
    code, out, err = run("groups", "match", "posts.txt")
    assert code == 0 and "no group mentioned" in out
    assert err.strip() == "note: no file 'posts.txt'; matching it as text"
    for text in ("https://t.me/ttp_channel", "BLA militants attacked a post", "T.T.P"):
        assert run("groups", "match", text)[2] == ""  # text, plainly: no note


# -- check and eval ---------------------------------------------------------------------------


def test_check_shipped_registry(env: Path) -> None:
    code, out, err = run("groups", "check")
    assert code == 0, err
    assert "valid" in out


def test_check_broken_directory_names_file_and_line(env: Path) -> None:
    directory = env / "registry"
    directory.mkdir()
    (directory / "test.yaml").write_text(MINIMAL.replace("kind: armed_group", "kind: armed"))
    code, _, err = run("groups", "check", str(directory))
    assert code == 1
    assert "test.yaml:7:" in err
    assert "kind" in err


def test_check_refuses_a_key_written_twice(env: Path) -> None:
    directory = env / "registry"
    directory.mkdir()
    (directory / "test.yaml").write_text(
        MINIMAL.replace("kind: armed_group", "kind: armed_group\n    kind: political_party")
    )
    code, _, err = run("groups", "check", str(directory))
    assert code == 1
    assert "test.yaml:8: groups[0].kind: duplicate key 'kind' (first written at line 7)" in err


def test_eval_reports_precision_and_recall(env: Path) -> None:
    _, report = run_json("groups", "eval", str(GROUPS_DATA))
    assert isinstance(report, dict)
    assert "precision" in report and "recall" in report
    assert report["possible"]["recall_with_them"] >= report["recall"]
    flagged = report["hard_negative_hits"] / report["hard_negative_sentences"]
    assert report["hard_negative_rate"] == round(flagged, 4)


def test_eval_prints_possible_mentions(env: Path) -> None:
    code, out, err = run("groups", "eval", str(GROUPS_DATA), "--split", "dev")
    assert code == 0, err
    assert "possible mentions (an ambiguous name hit, no context to resolve it)" in out
    assert re.search(r"hard-negative hits \d+ of \d+: \d+\.\d\d% flagged\)", out)
    assert "Recall by the kind of name" in out
    assert "unambiguous name" in out and "ambiguous name" in out


def test_eval_json_breaks_recall_down_by_the_kind_of_name(env: Path) -> None:
    _, report = run_json("groups", "eval", str(GROUPS_DATA), "--split", "test")
    assert isinstance(report, dict)
    kinds = report["recall_by_name"]
    assert list(kinds) == ["unambiguous name", "ambiguous name", "several groups"]
    assert sum(k["found"] for k in kinds.values()) == report["correct_hits"]


def test_match_of_an_argument_that_is_not_utf8_prints_json(env: Path) -> None:
    """Python keeps the bytes of a non-UTF-8 argument as lone surrogates (``\\udcff``); the
    JSON echo shows them as U+FFFD instead of failing."""
    code, out, err = run("--json", "groups", "match", "Majeed\udcff Brigade ke fidayee")
    assert code == 0, err
    hit = json.loads(out)["hits"][0]
    assert hit["id"] == "majeed-brigade" and hit["surface"] == "Majeed\ufffd Brigade"


def test_a_one_line_text_longer_than_a_file_name_is_matched_as_text(env: Path) -> None:
    """An Urdu post of 150 letters is 280 bytes, past the 255 a file name may have: it is
    text, with no note and no traceback."""
    text = "کل ہسپتال میں ایک اجنبی نے خون دیا اور چلا گیا۔ " * 3 + "بی ایل اے کے عسکریت پسند"
    assert len(text.encode()) > 255
    code, out, err = run("groups", "match", text)
    assert code == 0 and err == ""
    assert "bla" in out
