"""``promo export``: the committee's packet as one reproducible bundle, whatever mkdocs.yml says."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ALL_CANARIES, PASSWORD, commit_all, make_packet, protected, run

# Two exports of one commit are compared byte for byte: each renders its PDF.
pytestmark = pytest.mark.renders_afresh

DRAFT = "CANARY-DRAFT-TITLE-dd4"


def bundle_text(bundle: Path) -> str:
    """Every entry's name and content, gzip entries unpacked and the PDF's text extracted."""
    parts = []
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            parts.append(info.filename)
            if info.filename.endswith(".pdf"):
                parts += [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
            else:
                parts.append((gzip.decompress(data) if info.filename.endswith(".gz") else data)
                             .decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def self_packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture packet configured for its author's own eyes, with a draft, in a git repository."""
    root = make_packet(tmp_path_factory.mktemp("export"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("!ENV [PROMO_AUDIENCE, sponsor]", "self"))
    (root / "evidence" / "drafts").mkdir()
    (root / "evidence" / "drafts" / "2026-06-02-draft.md").write_text(
        f"---\ntitle: {DRAFT}\ndate: 2026-06-02\ndimensions: []\ndraft: true\n---\n")
    commit_all(root)
    return root


@pytest.fixture(scope="module")
def exported(self_packet: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("bundles")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        for name in ("one.zip", "two.zip"):
            code, _, err = run("export", "-f", str(self_packet / "mkdocs.yml"), str(out / name))
            assert code == 0, err
            assert "committee bundle of Sam Tester" in err
    return out / "one.zip", out / "two.zip"


def test_the_same_commit_gives_the_same_bytes(exported: tuple[Path, Path]) -> None:
    one, two = exported
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        names = archive.namelist()
        assert names[0] == "facts.json" and names[1:] == sorted(names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_facts_say_what_the_committee_sees(exported: tuple[Path, Path], self_packet: Path) -> None:
    with zipfile.ZipFile(exported[0]) as archive:
        facts = json.loads(archive.read("facts.json"))
        names = archive.namelist()
        assert {"site/index.html", "site/evidence/2026-01-10-batch-speedup/index.html"} <= set(names)
        pdf = PdfReader(io.BytesIO(archive.read(facts["pdf"])))
    assert facts["format"] == 1 and facts["audience"] == "committee"
    assert facts["person"] == {"name": "Sam Tester"}
    assert facts["current_level"] == {"id": "senior", "title": "Senior Engineer"}
    assert facts["target_level"] == {"id": "staff", "title": "Staff Engineer"}
    assert facts["ladder"] == {"name": "Test Ladder", "levels": ["mid", "senior", "staff"]}
    assert [(d["id"], d["status"]) for d in facts["dimensions"]] == [
        ("scope", "demonstrated"), ("influence", "demonstrated"), ("mentorship", "gap")]
    assert facts["dimensions"][2]["reason"] == "No entry at Staff Engineer level or above (1 below it)."
    assert facts["counts"]["entries"] == 3 and facts["counts"]["demonstrated"] == 2
    assert facts["strongest"][0]["title"] == "Cut the nightly batch from 3 h to 40 min"
    assert facts["strongest"][0]["page"] == "site/evidence/2026-01-10-batch-speedup/"
    assert facts["strongest"][0]["links"][0]["title"] == "Design doc"
    # The commit's day, as the build day: no SOURCE_DATE_EPOCH was set.
    assert facts["built"] == "2026-07-01"
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self_packet, capture_output=True, text=True)
    assert len(facts["commit"]) == 40 and facts["commit"] == head.stdout.strip()
    assert pdf.metadata is not None and pdf.metadata["/Author"] == "Sam Tester"
    assert "the promotion committee" in pdf.pages[0].extract_text()


def test_nothing_private_sponsor_only_or_drafted_is_exported(exported: tuple[Path, Path]) -> None:
    text = bundle_text(exported[0])
    assert "Cut the nightly batch" in text
    assert [c for c in [*ALL_CANARIES, DRAFT] if c in text] == []


def test_source_date_epoch_sets_the_build_day(self_packet: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    code, _, err = run("export", "-f", str(self_packet / "mkdocs.yml"), str(tmp_path / "b.zip"))
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert json.loads(archive.read("facts.json"))["built"] == "2026-05-28"


def test_a_password_is_refused_and_its_variable_named(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = protected(make_packet(tmp_path))
    monkeypatch.setenv("PROMO_PASSWORD", PASSWORD)
    code, _, err = run("export", "-f", str(root / "mkdocs.yml"), str(tmp_path / "b.zip"))
    assert code == 1 and "a password is configured" in err and "Traceback" not in err
    assert "with PROMO_PASSWORD unset" in err and "PROMO_BINDER_PASSWORD" in err
    assert not (tmp_path / "b.zip").exists()


def test_without_the_password_the_committee_build_is_exported(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = protected(make_packet(tmp_path))
    monkeypatch.delenv("PROMO_PASSWORD", raising=False)
    code, _, err = run("export", "-f", str(root / "mkdocs.yml"), str(tmp_path / "b.zip"))
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert json.loads(archive.read("facts.json"))["audience"] == "committee"


def test_a_packet_that_does_not_build_writes_nothing(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    (root / "evidence" / "2026-07-01-broken.md").write_text("---\ntitle: Broken\ndate: someday\n---\n")
    code, _, err = run("export", "-f", str(root / "mkdocs.yml"), str(tmp_path / "b.zip"))
    assert code == 1 and "evidence/2026-07-01-broken.md:3: error: date" in err, err
    assert not (tmp_path / "b.zip").exists()
