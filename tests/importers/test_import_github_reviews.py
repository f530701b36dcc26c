"""`promo import github` keeps who approved each pull request: a linked record, not a quote."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import JsonApi, api_server, build_site, make_packet, run, site_text_of
from promo_packet.importers.github import approvals_of
from promo_packet.model.evidence import parse_evidence

PR = "https://github.com/acme/site/pull/41"
REVIEWED = [{"number": 41, "title": "Cache the rubric between builds", "url": PR,
             "mergedAt": "2026-04-02T09:15:00Z",
             "reviews": [
                 {"author": {"login": "dana-w"}, "state": "COMMENTED", "submittedAt": "2026-04-01T10:00:00Z",
                  "body": "Why not a dict?"},
                 {"author": {"login": "dana-w"}, "state": "APPROVED", "submittedAt": "2026-04-01T16:00:00Z",
                  "body": "Lovely."},
                 {"author": {"login": "li.chen"}, "state": "CHANGES_REQUESTED",
                  "submittedAt": "2026-04-01T11:00:00Z", "body": ""},
                 {"author": {"login": "omar"}, "state": "APPROVED", "submittedAt": "2026-04-02T08:00:00Z",
                  "body": ""},
             ]}]


def test_each_approving_reviewer_becomes_an_approval_without_a_quote(tmp_path: Path) -> None:
    packet = make_packet(tmp_path)
    (packet / "prs.json").write_text(json.dumps(REVIEWED))
    code, _, err = run("import", "github", "prs.json", cwd=packet)
    assert code == 0, err
    [draft] = sorted((packet / "evidence" / "drafts").glob("*.md"))
    text = draft.read_text("utf-8")
    assert "Lovely." not in text and "quote" not in text
    entry, problems = parse_evidence(text, "draft.md", "draft")
    assert entry is not None, problems
    assert [(c.name, c.approval, c.quote, c.link, c.date) for c in entry.corroboration] == [
        ("dana-w", True, None, PR, dt.date(2026, 4, 1)), ("omar", True, None, PR, dt.date(2026, 4, 2))]


def test_an_accepted_draft_shows_its_approvals_as_records_not_quotes(tmp_path: Path) -> None:
    packet = make_packet(tmp_path)
    (packet / "prs.json").write_text(json.dumps(REVIEWED))
    assert run("import", "github", "prs.json", cwd=packet)[0] == 0
    [draft] = sorted((packet / "evidence" / "drafts").glob("*.md"))
    code, _, err = run("accept", str(draft), "-d", "scope", cwd=packet)
    assert code == 0, err
    page = site_text_of(build_site(packet, tmp_path / "site") / "evidence"
                        / "2026-04-02-cache-the-rubric-between-builds" / "index.html")
    assert "Approved by <strong>dana-w</strong>" in page
    assert "<blockquote>" not in page.split("Approved by", 1)[1].split("</div>", 1)[0]


def test_a_quote_is_still_required_of_anything_but_an_approval() -> None:
    text = "---\ntitle: T\ndate: 2026-01-01\ndimensions: [scope]\ncorroboration:\n  - name: Ada\n---\n"
    entry, problems = parse_evidence(text, "e.md", "e")
    assert entry is None
    assert [str(p) for p in problems] == ["e.md:6: corroboration[0]: needs a quote (only an approval goes "
                                          "without one); paste what they said or wrote"]


def test_the_api_reviews_give_each_review_its_own_link() -> None:
    reviews = [{"user": {"login": "dana-w"}, "state": "APPROVED", "submitted_at": "2026-04-01T16:00:00Z",
                "html_url": f"{PR}#pullrequestreview-7"},
               {"user": {"login": "bot"}, "state": "DISMISSED", "html_url": f"{PR}#pullrequestreview-8"}]
    [approval] = approvals_of(reviews, PR)
    assert (approval.name, approval.link, approval.date) == ("dana-w", f"{PR}#pullrequestreview-7",
                                                             dt.date(2026, 4, 1))
    assert approvals_of({"reviews": reviews}, PR) == (approval,)
    assert approvals_of("not reviews", PR) == ()


class Reviewed(JsonApi):
    """The user, one merged pull request, and its reviews."""

    def do_GET(self) -> None:
        base = f"http://{self.headers['Host']}"
        if self.path == "/user":
            self.answer(200, {"login": "octo"})
        elif self.path.startswith("/repos/acme/api/pulls/5/reviews"):
            self.answer(200, [{"user": {"login": "omar"}, "state": "APPROVED",
                               "submitted_at": "2026-02-01T09:00:00Z",
                               "html_url": "https://github.com/acme/api/pull/5#pullrequestreview-1"}])
        else:
            self.answer(200, {"items": [{"number": 5, "title": "Change 5",
                                         "closed_at": "2026-02-01T10:00:00Z",
                                         "html_url": "https://github.com/acme/api/pull/5",
                                         "pull_request": {"url": f"{base}/repos/acme/api/pulls/5"},
                                         "repository_url": f"{base}/repos/acme/api"}]})


@contextlib.contextmanager
def reviewed_api() -> Iterator[str]:
    with api_server(Reviewed) as url:
        yield url


def test_the_api_import_reads_each_pull_requests_reviews(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    packet = make_packet(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    with reviewed_api() as url:
        monkeypatch.setenv("GITHUB_API_URL", url)
        code, _, err = run("import", "github", "--api", cwd=packet)
    assert code == 0, err
    [draft] = sorted((packet / "evidence" / "drafts").glob("*.md"))
    entry, problems = parse_evidence(draft.read_text("utf-8"), "draft.md", "draft")
    assert entry is not None, problems
    assert [(c.name, c.approval, c.link) for c in entry.corroboration] == [
        ("omar", True, "https://github.com/acme/api/pull/5#pullrequestreview-1")]
