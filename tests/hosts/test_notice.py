"""The live preview hears of a save in the packet's folders from the system, at once."""

from __future__ import annotations

import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from promo_packet.hosts.preview import notice_at_once


def _wanted(server: LiveReloadServer, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.005)
    return False


def test_a_save_asks_for_a_rebuild_at_once_and_a_read_does_not(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence" / "2026"
    evidence.mkdir(parents=True)
    entry = evidence / "entry.md"
    entry.write_text("---\ntitle: A\n---\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path / "evidence"))
    recorded: list[str] = []
    observer = notice_at_once(server, [tmp_path / "evidence"], lambda event: recorded.append(event.src_path))
    assert observer is not None
    try:
        assert str(tmp_path / "evidence") not in server._watched_paths  # polled no more
        entry.read_text()  # a build reads every entry: that is no change
        assert not _wanted(server, 0.3) and not recorded
        entry.write_text("---\ntitle: B\n---\n")
        assert _wanted(server, 0.3), "the save was not heard within 0.3 s (MkDocs polls every 0.5 s)"
        assert str(entry) in recorded
    finally:
        observer.stop()
        observer.join()
        server.server_close()
