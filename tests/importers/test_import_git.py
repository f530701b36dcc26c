"""`promo import git` on real repositories built in a temp folder: merges, squashes, several authors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import make_packet, run, set_options
from promo_packet.authoring.drafts import existing_sources
from promo_packet.importers.git import forge
from promo_packet.importers.suggestions import LadderIndex, keyword_option, stem, stems
from promo_packet.importers.trivial import trivial_reason
from promo_packet.model.rubric import parse_rubric

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
    # The day's first commit only touched three lines of a README: the day is titled by its next.
    assert list(found) == ["2026-03-02-fix-outage-alarm.md", "2026-03-04-shopping-cart-checkout.md",
                           "2026-03-05-speed-up-search.md"]
    day = found["2026-03-02-fix-outage-alarm.md"]
    first = git(shop, "rev-list", "--max-parents=0", "HEAD")
    assert f"source: {SHOP}/commit/{first}" in day
    assert "dimensions: []   # suggested: scope" in day
    assert "Also that day:\n- Initial import" in day and "Repository: acme/shop" in day
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


LADDER = """
name: Three dimensions
levels: [{id: senior, title: Senior}, {id: staff, title: Staff}]
dimensions:
  - id: delivery
    name: Execution
    expectations: {senior: Ships projects on time., staff: Ships programmes across teams.}
  - id: scope
    name: Scope and impact
    expectations: {senior: Owns a service end to end., staff: Owns outcomes across teams.}
  - id: mentorship
    name: Mentoring
    expectations: {staff: Grows engineers into senior roles.}
"""


def test_the_built_in_words_join_matching_dimensions_and_the_option_wins_where_set() -> None:
    ladder, problems = parse_rubric(LADDER, "ladder.yml")
    assert ladder is not None and not problems
    index = LadderIndex(ladder, target="staff")
    assert index.suggest("Postmortem of the checkout outage").dimensions == ("delivery",)
    assert index.suggest("Mentored two engineers").dimensions == ("mentorship",)
    # The option decides for the dimension it names, whatever the ladder says of it...
    named = LadderIndex(ladder, keyword_option({"scope": "migration", "bad": 3}))
    assert named.suggest("Owns the billing service").dimensions == ()
    assert named.suggest("Billing migration").dimensions == ("scope",)
    # ...and the ladder still speaks for the others.
    assert named.suggest("Grew two engineers into seniors").dimensions == ("mentorship",)
    assert keyword_option({"scope": "migration", "bad": 3}) == {"scope": ("migration",)}


def test_the_behaviours_suggested_are_the_target_level_s_when_one_matches() -> None:
    ladder, problems = parse_rubric(LADDER, "ladder.yml")
    assert ladder is not None and not problems
    index = LadderIndex(ladder, target="staff")
    # "Ships" is in a behaviour of both levels: the target's are the ones offered.
    shown = index.suggest("Ships the payments programme across teams").behaviours
    assert shown[0] == "delivery.staff.1" and all(".staff." in b for b in shown), shown
    assert index.suggest("Ships projects on time").behaviours == ("delivery.staff.1",)
    # Nothing at the target level matches "service": the level below is offered.
    assert index.suggest("Billing service rebuilt end to end").behaviours == ("scope.senior.1",)
    # Without a target, every level competes.
    assert "delivery.senior.1" in LadderIndex(ladder).suggest("Ships projects on time").behaviours


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


IMPACT_LADDER = """Dimension,Level,Level title,Behaviour
Impact,L4,Senior,Delivers projects that change how customers pay
Impact,L4,Senior,Reduces what running the services costs
Impact,L5,Staff,Drives initiatives that move revenue across several products
Mastery,L4,Senior,Writes maintainable code with automated tests
Mastery,L5,Staff,Designs the architecture of systems other teams build on
Mastery,L5,Staff,Raises the bar for code review and performance
Stewardship,L4,Senior,Mentors newer engineers
Stewardship,L5,Staff,Grows the hiring pipeline and interviews candidates
"""
WORK = {  # title: (file changed, dimension its words belong to)
    "Deliver the new payment flow for customers": ("src/pay.py", "impact"),
    "Cut the costs of running the billing services": ("src/billing.py", "impact"),
    "Drive the revenue initiative for two products": ("src/revenue.py", "impact"),
    "Automate the ledger tests": ("src/ledger.py", "mastery"),
    "Design the architecture of the event system": ("src/events.py", "mastery"),
    "Review the search code for performance": ("src/search.py", "mastery"),
    "Mentoring two newer engineers on the cart": ("src/cart.py", "stewardship"),
    "Interviewing candidates for the hiring loop": ("src/hiring.py", "stewardship"),
}
TRIVIAL = {  # title: (file changed, lines written)
    "Fix typo in the README": ("README.md", 40),
    "Bump version to 1.2.0": ("src/version.py", 1),
    "Drop private imports from test_cart.py": ("tests/test_cart.py", 3),
    "Drop private imports from test_pay.py": ("tests/test_pay.py", 3),
    "Drop private imports from test_search.py": ("tests/test_search.py", 3),
    "Update the dependencies": ("poetry.lock", 200),
    'Revert "Revert "Add the cart""': ("src/cart_again.py", 30),
}


def history(repo: Path) -> None:
    """One commit a day: the work in the ladder's words, inflected otherwise, then trivial changes."""
    git(repo, "init", "-q")
    git(repo, "config", "user.email", ME)
    changes = [(title, path, 20) for title, (path, _) in WORK.items()]
    changes += [(title, path, lines) for title, (path, lines) in TRIVIAL.items()]
    for day, (title, path, lines) in enumerate(changes, start=1):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("".join(f"line {n}\n" for n in range(lines)))
        git(repo, "add", path, day=f"2026-04-{day:02}")
        git(repo, "commit", "-q", "-m", title, day=f"2026-04-{day:02}")


def test_an_imported_ladder_suggests_the_dimensions_of_most_drafts_and_trivial_changes_wait(
        tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    shutil.rmtree(root / "evidence")  # the fixture's entries are for the fixture's ladder
    (tmp_path / "ladder.csv").write_text(IMPACT_LADDER, "utf-8")
    code, _, err = run("rubric", "import", str(tmp_path / "ladder.csv"), "--force", cwd=root)
    assert code == 0, err
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("current_level: senior", "current_level: L4")
                      .replace("target_level: staff", "target_level: L5"))
    repo = tmp_path / "work"
    repo.mkdir()
    history(repo)

    code, out, err = run("import", "git", str(repo), cwd=root)
    assert code == 0, err
    assert "8 drafts written, 0 already known, 7 trivial skipped (--include-trivial writes them)" in out
    ladder, _ = parse_rubric((root / "rubric" / "ladder.yml").read_text(), "ladder.yml")
    assert ladder is not None
    ladder_ids = {b.id for d in ladder.dimensions for level in d.expectations.values() for b in level}
    right = 0
    for text in drafts(root).values():
        title = text.split("title: ", 1)[1].split("\n", 1)[0]
        dimensions = text.split("dimensions: []", 1)[1].split("\n", 1)[0]
        right += dimensions == f"   # suggested: {WORK[title][1]}"
        if "shows: []" in text:
            shown = text.split("shows: []   # suggested: ", 1)[1].split("\n", 1)[0].split(", ")
            assert set(shown) <= ladder_ids and all(i.startswith(WORK[title][1]) for i in shown), text
    assert right >= 7, drafts(root)
    code, out, err = run("check", cwd=root)
    assert code == 0, err

    code, out, err = run("import", "git", str(repo), "--include-trivial", cwd=root)
    assert code == 0, err
    assert "7 drafts written, 8 already known, 1 repository" in out
    assert "2026-04-11-drop-private-imports-from-test_cart-py.md" in drafts(root)


def test_progress_reads_as_progress(tmp_path: Path, shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("promo_packet.importers.git.PROGRESS_EVERY", 2)
    code, _, err = run("import", "git", str(shop), cwd=make_packet(tmp_path))
    assert code == 0, err
    assert "promo import git: read 2 commits so far\npromo import git: read 4 commits so far\n" in err


@pytest.mark.parametrize(("title", "paths", "reason"), [
    ("Fix typo in the install guide", [("src/app.py", 300)], "a typo fix"),
    ("style: sort imports", None, "formatting"),
    ("Reformat code with black", None, "formatting"),
    ("Bump lodash from 4.17.20 to 4.17.21", None, "a version bump or release"),
    ("Release 2.4.0", None, "a version bump or release"),
    ('Revert "Revert "Add the cart""', None, "a revert of a revert"),
    ("Refresh dependencies", [("package-lock.json", 900), ("web/yarn.lock", 40)],
     "dependency lockfiles only"),
    ("Tidy the tests", [("tests/test_cart.py", 4), ("docs/cart.md", 3)], "tests or docs alone, 7 lines"),
    ("Write the cart guide", [("docs/cart.md", 120)], ""),
    ("Format the invoice dates", [("src/invoice.py", 3)], ""),
    ("Pin the web framework", [("requirements.txt", 2)], ""),
    ("Bump up the connection pool", [("src/db.py", 2)], ""),
    ('Revert "Add the cart"', [("src/cart.py", 30)], ""),
    ("Update the lockfile and the code", [("poetry.lock", 9), ("src/db.py", 2)], ""),
])
def test_trivial_changes_are_told_by_their_title_and_files(
        title: str, paths: list[tuple[str, int]] | None, reason: str) -> None:
    assert trivial_reason(title, paths) == reason


@pytest.mark.parametrize(("words", "stemmed"), [
    ("mentoring mentored mentors mentorship", "mentor"),
    ("ship shipped shipping ships", "ship"),
    ("release released releases", "releas"),
    ("process processes", "process"),
    ("dependency dependencies", "dependency"),
    ("install installed installing", "install"),
    ("payment pay", "pay"),
    ("migration migrations", "migr"),
])
def test_a_word_and_its_forms_share_one_stem(words: str, stemmed: str) -> None:
    assert {stem(word) for word in words.split()} == {stemmed}


def test_names_and_paths_split_into_their_words_in_any_alphabet() -> None:
    assert stems("Retry InvoiceQueue in src/billing_jobs/HTTPServer.py (2026)") == {
        "retry", "invoic", "queu", "src", "bill", "job", "httpserv"}
    assert stems("Améliorer la fiabilité") == {"amélior", "fiabilité"}
