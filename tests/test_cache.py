"""The on-disk evidence cache: a new run parses only the files whose bytes changed, and
what comes out of the cache is exactly what parsing would give, problems included."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, build_site, make_packet, set_options
from promo_packet import Evidence, EvidenceLoader, load_evidence
from promo_packet.cache import CACHE_DIR, cache_file
from promo_packet.evidence import EvidenceSet

sys.path.insert(0, str(REPO / "bench"))
from synthetic import generate


def same(a: EvidenceSet, b: EvidenceSet) -> None:
    assert a.files == b.files
    assert a.problems == b.problems
    assert len(a.entries) == len(b.entries)
    for x, y in zip(a.entries, b.entries, strict=True):
        for f in dataclasses.fields(Evidence):
            assert getattr(x, f.name) == getattr(y, f.name), (x.path, f.name)
            assert type(getattr(x, f.name)) is type(getattr(y, f.name)), (x.path, f.name)


def folder_with_problems(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "2026-01-01-good.md").write_text(
        "---\ntitle: Good\ndate: 2026-01-01\ndimensions: [scope]\nowner: me\n"
        "metrics: [{name: Minutes, before: 40, after: 9}]\n"
        "corroboration: [{quote: Fast., name: Ana, role: Lead, date: 2026-01-03, link: https://x.example}]\n"
        "links: [https://a.example, {title: Doc, url: https://b.example}]\n"
        "tags: [a, b]\nhighlight: true\nvisibility: sponsor\nlint-ignore: [x]\ncriteria: [c]\n"
        "---\nBody.\n")
    (folder / "2026-01-02-bad.md").write_text(
        "---\ntitle: Bad\ndate: last spring\ndimensions: [scope]\n---\n")
    (folder / "2026-01-03-dated-extra.md").write_text(
        "---\ntitle: Extra\ndate: 2026-01-03\ndimensions: [scope]\nreviewed: 2026-02-01\n---\n")
    return folder


@pytest.mark.parametrize("source", ["example", "synthetic", "problems"])
def test_a_cached_load_equals_a_fresh_parse(tmp_path: Path, source: str) -> None:
    if source == "example":
        folder, root = REPO / "evidence", REPO
    elif source == "synthetic":
        root = generate(tmp_path / "packet", 40)
        folder = root / "evidence"
    else:
        folder, root = folder_with_problems(tmp_path), tmp_path
    store = tmp_path / "cache" / "evidence.json"
    fresh = load_evidence(folder, root)
    first = EvidenceLoader(store).load(folder, root)
    second_loader = EvidenceLoader(store)  # a new process: nothing in memory
    second = second_loader.load(folder, root)
    same(fresh, first)
    same(fresh, second)
    # Every file whose entry JSON can hold came from the cache, problems and all.
    not_cacheable = 1 if source == "problems" else 0  # the date in an unknown field
    assert (first.parsed, second.parsed) == (fresh.files, not_cacheable)
    assert second_loader.parses == not_cacheable


def test_problems_are_reported_again_from_the_cache(tmp_path: Path) -> None:
    folder = folder_with_problems(tmp_path)
    store = tmp_path / "evidence.json"
    EvidenceLoader(store).load(folder, tmp_path)
    again = EvidenceLoader(store).load(folder, tmp_path)
    assert any("2026-01-02-bad.md:3" in str(p) and p.is_error for p in again.problems)
    assert any("owner" in str(p) and not p.is_error for p in again.problems)


def test_a_changed_file_is_reparsed_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    folder = folder_with_problems(tmp_path)
    store = tmp_path / "evidence.json"
    EvidenceLoader(store).load(folder, tmp_path)
    good = folder / "2026-01-01-good.md"
    stat = good.stat()
    good.write_text(good.read_text().replace("title: Good", "title: Fine"))
    os.utime(good, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert good.stat().st_size == stat.st_size
    loader = EvidenceLoader(store)
    titles = {e.title for e in loader.load(folder, tmp_path).entries}
    assert "Fine" in titles and "Good" not in titles
    assert loader.parses == 2  # the changed file, and the one that cannot be cached


def test_deleted_files_leave_the_cache(tmp_path: Path) -> None:
    folder = folder_with_problems(tmp_path)
    store = tmp_path / "evidence.json"
    EvidenceLoader(store).load(folder, tmp_path)
    assert "evidence/2026-01-02-bad.md" in json.loads(store.read_text())["files"]
    (folder / "2026-01-02-bad.md").unlink()
    EvidenceLoader(store).load(folder, tmp_path)
    assert set(json.loads(store.read_text())["files"]) == {"evidence/2026-01-01-good.md"}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other parser", "wrong shape"])
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    folder = folder_with_problems(tmp_path)
    store = tmp_path / "evidence.json"
    EvidenceLoader(store).load(folder, tmp_path)
    text = store.read_text()
    data = json.loads(text)
    if damage == "garbage":
        store.write_text("not json")
    elif damage == "truncated":
        store.write_text(text[: len(text) // 2])
    elif damage == "other parser":
        store.write_text(json.dumps({**data, "parser": "0" * 32}))
    else:
        record = data["files"]["evidence/2026-01-01-good.md"]
        record["entry"]["metrics"] = "not a list"
        store.write_text(json.dumps(data))
    loader = EvidenceLoader(store)
    loaded = loader.load(folder, tmp_path)
    same(load_evidence(folder, tmp_path), loaded)
    assert loader.parses >= 1
    assert EvidenceLoader(store).load(folder, tmp_path).parsed == 1  # rewritten whole


def test_the_cache_never_writes_into_the_evidence_folder(tmp_path: Path) -> None:
    folder = folder_with_problems(tmp_path)
    before = {p: p.read_bytes() for p in folder.rglob("*")}
    EvidenceLoader(cache_file(tmp_path, folder)).load(folder, tmp_path)
    assert {p: p.read_bytes() for p in folder.rglob("*")} == before
    assert cache_file(tmp_path, folder).parent == tmp_path / CACHE_DIR


def test_a_warm_cache_builds_the_same_site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cold = set_options(make_packet(tmp_path / "cold"), "cache: false")
    warm = make_packet(tmp_path / "warm")
    build_site(cold, tmp_path / "site-cold")
    assert not (cold / CACHE_DIR).exists()
    build_site(warm, tmp_path / "site-warm-1")
    assert list((warm / CACHE_DIR).glob("evidence-*.json"))
    # Moved, so that nothing comes from the plugin's memory of the first build: all from disk.
    moved = warm.rename(tmp_path / "moved")
    caplog.set_level("INFO", logger="mkdocs.plugins.promo_packet")
    build_site(moved, tmp_path / "site-warm-2")
    assert re.search(r"\b0 of \d+ evidence files parsed", caplog.text)
    pages = sorted(p.relative_to(tmp_path / "site-cold") for p in (tmp_path / "site-cold").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        warm_page, cold_page = tmp_path / "site-warm-2" / page, tmp_path / "site-cold" / page
        assert warm_page.read_bytes() == cold_page.read_bytes(), page


def test_a_second_mkdocs_build_parses_nothing(tmp_path: Path) -> None:
    root = generate(tmp_path / "packet", 30)
    command = [str(Path(sys.executable).with_name("mkdocs")), "build", "-d", str(tmp_path / "site")]
    env = {**os.environ, "PROMO_PDF": "0"}
    logs = [subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True).stderr
            for _ in range(2)]
    assert "30 of 30 evidence files parsed" in logs[0]
    assert "0 of 30 evidence files parsed" in logs[1]


def test_mkdocs_serve_writes_the_cache_when_it_stops_not_on_every_rebuild(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = set_options(make_packet(tmp_path), "pdf: false")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    store = cache_file(root, root / "evidence")
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
        assert not store.exists()
        config.plugins.on_shutdown()
        assert json.loads(store.read_text())["files"]
    finally:
        config.plugins.on_startup(command="build", dirty=False)  # the plugin lives on in this process
