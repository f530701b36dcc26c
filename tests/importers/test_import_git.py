"""`promo import git` on real repositories built in a temp folder: merges, squashes, several authors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import make_packet, run, set_options
from promo_packet.authoring.drafts import existing_sources, keyword_map, suggest
from promo_packet.importers.git import forge

ME, OTHER = "me@example.com", "other@example.com"
SHOP = "https://github.com/acme/shop"


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(repo: Path, *args: str, email: str = ME, day: str = "2026-03-02") -> str:
    stamp = f"{day}T10:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    done = subprocess.run(["git", "-c", f"user.name={email.split('@')[0]}", "-c", f"user.email={email}",
                           "-c", "init.defaultBranch=main", *args],
                          cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, name: str, message: str, **who: str) -> str:
    (repo / name).write_text(f"{message}\n" * 3)
    git(repo, "add", name, **who)
    git(repo, "commit", "-q", "-m", message, **who)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """Direct commits, a pull request merged by someone else, squashes by two authors."""
    repo = tmp_path / "shop"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", ME)
    git(repo, "remote", "add", "origin", "git@github.com:acme/shop.git")
    commit(repo, "README.md", "Initial import")
    commit(repo, "alarm.py", "Fix outage alarm")
    git(repo, "checkout", "-q", "-b", "cart")
    commit(repo, "cart.py", "Add cart", day="2026-03-03")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "cart", "-m",
        "Merge pull request #7 from acme/cart\n\nShopping cart checkout", email=OTHER, day="2026-03-04")
    commit(repo, "search.py", "Speed up search (#12)", day="2026-03-05")
    commit(repo, "theirs.py", "Their own work (#13)", email=OTHER, day="2026-03-06")
    return repo


def drafts(root: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((root / "evidence" / "drafts").glob("*.md"))}


def test_pull_requests_and_days_are_drafted_once(tmp_path: Path, shop: Path) -> None:
    root = set_options(make_packet(tmp_path), "draft_keywords: {scope: [outage]}")
    code, out, err = run("import", "git", str(shop), cwd=root)
    assert code == 0, err
    assert "3 drafts written, 0 already known, 1 repository" in out
    found = drafts(root)
    assert list(found) == ["2026-03-02-initial-import.md", "2026-03-04-shopping-cart-checkout.md",
                           "2026-03-05-speed-up-search.md"]
    day = found["2026-03-02-initial-import.md"]
    first = git(shop, "rev-list", "--max-parents=0", "HEAD")
    assert f"source: {SHOP}/commit/{first}" in day
    assert "dimensions: []   # suggested: scope" in day
    assert "Also that day:\n- Fix outage alarm" in day and "Repository: acme/shop" in day
    merged = found["2026-03-04-shopping-cart-checkout.md"]  # merged by OTHER, written by ME
    assert "title: Shopping cart checkout" in merged and "date: 2026-03-04" in merged
    assert f"source: {SHOP}/pull/7" in merged
    assert f"  - {{title: 'Pull request #7', url: {SHOP}/pull/7}}" in merged
    assert "1 file changed, +3 -0" in merged and "Main paths: cart.py" in merged
    assert f"source: {SHOP}/pull/12" in found["2026-03-05-speed-up-search.md"]

    code, out, _ = run("import", "git", str(shop), cwd=root)
    assert code == 0 and "0 drafts written, 3 already known" in out
    assert len(drafts(root)) == 3


def test_author_and_since_filter(tmp_path: Path, shop: Path) -> None:
    root = make_packet(tmp_path)
    code, _, err = run("import", "git", str(shop), "--author", OTHER.upper(), "--since", "2026-03-04",
                       cwd=root)
    assert code == 0, err
    assert existing_sources(root / "evidence" / "drafts") == {f"{SHOP}/pull/7", f"{SHOP}/pull/13"}
    code, _, err = run("import", "git", str(shop), "--since", "2026-03-05", cwd=root)
    assert code == 0, err
    assert {f"{SHOP}/pull/12"} < existing_sources(root / "evidence" / "drafts")
    assert len(drafts(root)) == 3


def test_the_default_repository_is_the_packets_and_without_a_forge_sources_are_shas(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    git(root, "init", "-q")
    git(root, "config", "user.email", ME)
    sha = commit(root, "notes.txt", "Tidy the packet (#3)")
    code, _, err = run("import", "git", cwd=root)
    assert code == 0, err
    text = drafts(root)["2026-03-02-tidy-the-packet.md"]
    assert f"source: git:packet@{sha}" in text and "links:" not in text


def test_a_folder_that_is_not_a_repository_is_an_error(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    plain = tmp_path / "plain"
    plain.mkdir()
    code, _, err = run("import", "git", str(plain), cwd=root)
    assert code == 1
    assert f"{plain}: error: is not in a git repository" in err
    assert not (root / "evidence" / "drafts").exists()


@pytest.mark.parametrize(("url", "expected"), [
    ("git@github.com:acme/shop.git", ("github.com", SHOP)),
    ("https://github.com/acme/shop", ("github.com", SHOP)),
    ("ssh://git@gitlab.com/group/sub/app.git", ("gitlab.com", "https://gitlab.com/group/sub/app")),
    ("https://jo@bitbucket.org/team/app.git", ("bitbucket.org", "https://bitbucket.org/team/app")),
    ("git@git.example.com:acme/shop.git", None),
    ("/srv/git/shop.git", None),
])
def test_forges_are_known_from_the_remote_in_https_and_ssh_forms(
        url: str, expected: tuple[str, str] | None) -> None:
    assert forge(url) == expected


def test_the_built_in_words_go_to_matching_dimensions_and_the_option_replaces_them() -> None:
    dimensions = [("delivery", "Execution"), ("scope", "Scope and impact"), ("mentorship", "Mentoring")]
    found = keyword_map({}, dimensions)
    assert set(found) == {"delivery", "mentorship"} and "outage" in found["delivery"]
    assert suggest("Postmortem of the checkout outage", found) == ("delivery",)
    assert keyword_map({"draft_keywords": {"scope": "migration", "bad": 3}}, dimensions) == {
        "scope": ("migration",)}


@pytest.mark.parametrize("forged", [
    # A whole record in the old separators, claiming a pull request for someone else.
    "\x1e{sha}\x1f{parent}\x1f" + ME + "\x1f2026-03-09T10:00:00+00:00\x1fForged work (#99)\x1f\x1f",
    # Separators with nothing sensible between them.
    "a\x1eb\x1fc\x1fd\x1fe\x1ff\x1fg\x1f\x1e\x1e",
])
def test_text_in_a_commit_message_never_becomes_a_field(tmp_path: Path, shop: Path, forged: str) -> None:
    parent = git(shop, "rev-parse", "HEAD")
    message = "Tidy up\n\n" + forged.format(sha="f" * 40, parent=parent)
    commit(shop, "tidy.py", message, email=OTHER, day="2026-03-09")
    root = make_packet(tmp_path)
    code, out, err = run("import", "git", str(shop), "--author", ME, cwd=root)
    assert code == 0, err
    assert "3 drafts written" in out
    written = "".join(drafts(root).values())
    assert "Forged" not in written and "pull/99" not in written
