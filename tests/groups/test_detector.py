"""The group detector honours the detector contract and explains its signals."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from nigehban.groups.detector import GroupDetector
from nigehban.groups.registry import default_registry_dir
from nigehban.model.items import Item, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import SignalKind
from nigehban.testing.detector_contract import DetectorContract


@cache
def detector() -> GroupDetector:
    return GroupDetector.from_directory()


def _post(text: str, n: int = 1) -> Post:
    return Post(
        ref=ItemRef("default", Platform.X, ItemKind.POST, str(n)),
        surface=Surface.PUBLIC,
        text=text,
    )


class TestGroupDetector(DetectorContract):
    def make_detector(self) -> GroupDetector:
        return detector()

    def sample_items(self) -> list[Item]:
        return [
            _post("🔥 کالعدم تحریک طالبان پاکستان نے ذمہ داری قبول کی", 1),
            _post("PTM jirga in Bannu; TLP workers blocked the road", 2),
            _post("LET ME KNOW", 3),
            _post("", 4),
            _post("Fitna al-Khawarij and the B.L.A", 5),
        ]


def test_signals_carry_what_policy_needs() -> None:
    signals = detector().detect(_post("PTM jirga in Bannu; the TTP claimed the attack"))
    by_label = {s.label: s for s in signals}
    assert set(by_label) == {"ptm", "ttp"}
    ptm, ttp = by_label["ptm"], by_label["ttp"]
    assert ptm.kind is SignalKind.GROUP_MENTION
    assert ptm.evidence["group_kind"] == "rights_movement"
    assert ptm.evidence["needs_legal_review"] is True
    assert ptm.evidence["ambiguous"] is True
    assert "jirga" in str(ptm.evidence["context"])
    assert ttp.evidence["needs_legal_review"] is False
    assert "PK" in str(ttp.evidence["jurisdictions"])
    assert ttp.evidence["verified"] is True
    assert "mentions Tehreek-e-Taliban Pakistan (armed group)" in ttp.explanation
    assert ttp.score > ptm.score


def test_state_label_signal_names_the_groups_it_refers_to() -> None:
    (signal,) = detector().detect(_post("Operation against Fitna al-Khawarij"))
    assert signal.evidence["state_label"] is True
    assert "ttp" in str(signal.evidence["refers_to"])


def test_snapshot_hash_changes_with_the_registry(tmp_path: Path) -> None:
    shutil.copytree(default_registry_dir(), tmp_path / "reg")
    same = GroupDetector.from_directory(tmp_path / "reg")
    assert same.snapshot_hash == detector().snapshot_hash
    yaml_file = tmp_path / "reg" / "pakistan.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    changed = GroupDetector.from_directory(tmp_path / "reg")
    assert changed.snapshot_hash != same.snapshot_hash
