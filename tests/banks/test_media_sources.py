"""Platform media fetched from an allow-listed (test: loopback) server, matched, and — only when
the quarantine is enabled and the media matched — kept encrypted with an audited access."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from nigehban.banks.model import SignalType
from nigehban.errors import UsageError
from nigehban.hashing.fetch import FetchRefused
from nigehban.settings import load_settings
from nigehban.store.store import Store
from nigehban.workflows.banks import BanksWorkflow
from nigehban.workflows.media import media_fetcher, open_quarantine
from tests.conftest import TENANT

VECTORS = Path(__file__).resolve().parent.parent / "data" / "pdq_vectors" / "images"
BRIDGE = "pdq__data__reg-test-input__dih__bridge-1-original.jpg"
ROTATED = "pdq__data__reg-test-input__dih__bridge-3-rotate-180.jpg"
OTHER = "pdq__data__reg-test-input__labelme-subset__q0004.jpg"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(VECTORS)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _workflow(sqlite_store: Store, tmp_path: Path, quarantine: bool, server: str) -> BanksWorkflow:
    settings = load_settings(
        environ={},
        data_dir=tmp_path,
        media_fetch_allowed_hosts=["127.0.0.1"],
        media_fetch_allowed_ports=[int(server.rsplit(":", 1)[1])],
        media_fetch_allow_loopback_for_tests=True,
        quarantine_enabled=quarantine,
    )
    wf = BanksWorkflow(
        sqlite_store,
        TENANT,
        fetcher=media_fetcher(settings),
        quarantine=open_quarantine(settings, sqlite_store, TENANT),
    )
    wf.create("posters", actor="t")
    wf.add("posters", [(SignalType.PDQ, wf.hash_file(VECTORS / BRIDGE).pdq or "")], "t")
    return wf


def test_fetched_media_is_matched_and_discarded_by_default(
    sqlite_store: Store, tmp_path: Path, server: str
) -> None:
    wf = _workflow(sqlite_store, tmp_path, False, server)
    report = wf.match_url(f"{server}/{ROTATED}", "t", "instagram/media/1")
    assert len(report.matches) == 1 and report.subject == "instagram/media/1"
    assert wf.match_url(f"{server}/{OTHER}", "t").matches == []
    assert not (tmp_path / "quarantine").exists()


def test_matched_media_is_quarantined_with_an_audited_access(
    sqlite_store: Store, tmp_path: Path, server: str
) -> None:
    wf = _workflow(sqlite_store, tmp_path, True, server)
    wf.match_url(f"{server}/{ROTATED}", "t", "instagram/media/1")
    wf.match_url(f"{server}/{OTHER}", "t", "instagram/media/2")
    assert wf.quarantine is not None
    records = wf.quarantine.list()
    assert len(records) == 1 and records[0].ref == "instagram/media/1"
    data = wf.quarantine.get(records[0].id, actor="reviewer", reason="case 12")
    assert data == (VECTORS / ROTATED).read_bytes()
    stored = next((tmp_path / "quarantine").rglob("*"))
    assert stored.exists()
    with sqlite_store.reading(TENANT) as s:
        events = [e for e in s.events() if e.name == "quarantine.accessed"]
    assert [e.data["action"] for e in events] == ["put", "get"]
    assert "instagram/media/1" not in repr([e.data for e in events])


def test_hosts_not_allow_listed_and_fetching_off_are_refused(
    sqlite_store: Store, tmp_path: Path, server: str
) -> None:
    wf = _workflow(sqlite_store, tmp_path, False, server)
    with pytest.raises(FetchRefused):
        wf.match_url(server.replace("127.0.0.1", "localhost") + f"/{ROTATED}", "t")
    off = BanksWorkflow(sqlite_store, TENANT)
    with pytest.raises(UsageError, match="media_fetch_allowed_hosts"):
        off.match_url(f"{server}/{ROTATED}", "t")


def test_purge_removes_quarantined_media_past_retention(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    from nigehban.hashing.quarantine import Quarantine
    from tests.cli_support import run

    monkeypatch.setenv("NIGEHBAN_QUARANTINE_ENABLED", "true")
    assert run("db", "upgrade")[0] == 0
    old = datetime.now(UTC) - timedelta(days=200)
    stale = Quarantine(
        env / "var" / "quarantine",
        _key(env),
        on_access=lambda access: None,
        clock=lambda: old,
    )
    stale.put(b"known poster bytes", ref="x/media/1", actor="t", reason="matched bank tvec")
    stale.put(b"held poster bytes", ref="x/media/2", actor="t", reason="matched bank tvec")
    code, _, err = run("holds", "place", "x/media/2", "--reason", "preservation order")
    assert code == 0, err
    code, out, err = run("--json", "purge", "--dry-run")
    assert code == 0, err
    assert json.loads(out)["purged"]["quarantined media"] == 1 and json.loads(out)["held"] == 1
    code, out, _ = run("--json", "purge")
    assert json.loads(out)["purged"]["quarantined media"] == 1
    assert json.loads(run("--json", "purge")[1])["purged"]["quarantined media"] == 0
    assert [r.ref for r in stale.list()] == ["x/media/2"]  # the held copy stays


def test_erasure_deletes_the_quarantined_copies_of_the_account_s_media(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nigehban.hashing.quarantine import Quarantine
    from tests.cli_support import run

    monkeypatch.setenv("NIGEHBAN_QUARANTINE_ENABLED", "true")
    assert run("db", "upgrade")[0] == 0
    payload = env / "a.jsonl"
    payload.write_text(json.dumps({"platform": "x", "id": "1", "author": {"id": "u1"},
                                   "text": "look", "media": [{"id": "m1", "kind": "image",
                                   "url": "https://example.org/m1.jpg"}]}) + "\n")  # fmt: skip
    assert run("ingest", str(payload))[0] == 0
    quarantine = Quarantine(env / "var" / "quarantine", _key(env), on_access=lambda access: None)
    quarantine.put(b"the user's image", ref="x/media/m1", actor="t", reason="matched bank tvec")
    quarantine.put(b"a file matched alone", ref="sha256:" + "0" * 64, actor="t", reason="r")
    code, out, err = run("--json", "erase", "x/account/u1")
    assert code == 0, err
    assert json.loads(out)["quarantined"] == 1
    assert [r.ref for r in quarantine.list()] == ["sha256:" + "0" * 64]


def _key(env: Path) -> bytes:
    from nigehban.hashing.quarantine import load_key, write_key_file

    path = env / "var" / "quarantine.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    return load_key(path) if path.exists() else write_key_file(path)
