"""Drafts from merged pull requests: the JSON ``gh`` writes, or GitHub's search API.

The file is what either of these commands writes (GitHub CLI 2.x)::

    gh pr list --state merged --author @me --limit 1000 \\
        --json number,title,url,mergedAt,body,additions,deletions,changedFiles > prs.json
    gh search prs --author @me --merged --limit 1000 \\
        --json number,title,url,closedAt,repository > prs.json

``gh pr list`` reads the repository it runs in and knows the line counts (it has no
``repository`` field: the repository is read from the URL); ``gh search prs`` reads every
repository, without line counts, and dates a pull request by when it was closed, which for a
merged one is when it was merged. A pull request whose title says it is trivial (a typo fix, a
release: :mod:`.trivial`) is marked so; neither command gives the files it changed.

:func:`read` turns that JSON into one :class:`~promo_packet.authoring.drafts.Draft` per pull request and a
problem ``FILE:LINE: [N].field: message`` for each item it cannot read, at the line the item
starts on. :func:`fetch` asks the
REST API for the same (``GET /search/issues?q=is:pr is:merged author:<login>``), following
the ``Link`` header's next page and waiting out a short rate limit, with urllib only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from ..authoring.drafts import Approval, Draft
from ..errors import Problem, RequestError, quoted
from ..render.pages import text
from .exports import Found, export_day, link_problem, text_problem
from .trivial import trivial_reason

API_URL = "https://api.github.com"
"""The REST API's root, unless ``GITHUB_API_URL`` says otherwise (GitHub Enterprise, tests)."""
MAX_WAIT = 60
"""A rate limit that lifts within this many seconds is waited out; a longer one stops the import."""
MAX_RETRIES = 3
"""How many times one page is asked for again after a rate limit before the import stops."""
MAX_PAGES = 100
"""The search API gives at most 1,000 results, ten pages of 100: more pages is a server astray."""
PER_PAGE = 100
_PULL_URL = re.compile(r"^https?://[^/]+/([^/]+/[^/]+)/pull/\d+")
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_DESCRIPTION_CHARS = 300


GH_JSON_HINT = "write the file with gh's --json option, as the manual's importers page shows"


def read(text: str, shown: str) -> Found:
    """One draft per pull request of ``gh``'s JSON ``text``; ``shown`` names the file in problems."""
    found = Found()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        found.problems.append(Problem(shown, exc.lineno, f"not JSON: {exc.msg}",
                                      hint=GH_JSON_HINT))
        return found
    except RecursionError:
        found.problems.append(Problem(shown, None, "nested too deeply to be gh's JSON",
                                      hint=GH_JSON_HINT))
        return found
    except ValueError:  # a number past Python's limit of digits: no pull request has one
        found.problems.append(Problem(shown, None, "holds a number of more than 4,300 digits: not gh's JSON",
                                      hint=GH_JSON_HINT))
        return found
    if not isinstance(data, list):
        found.problems.append(Problem(shown, None, f"expected a list of pull requests, got a "
                                      f"{type(data).__name__}", hint="write it with gh pr list --json"))
        return found
    for index, (item, line) in enumerate(zip(data, _item_lines(text), strict=True)):
        if not isinstance(item, dict):
            found.problems.append(Problem(shown, line, f"expected an object, got {quoted(json.dumps(item))}",
                                          field=f"[{index}]"))
            continue
        draft, problems = draft_of(item, Problem(shown, line, "", field=f"[{index}]"))
        found.problems += problems
        if draft is not None:
            found.drafts.append(draft)
    return found


def _item_lines(text: str) -> list[int]:
    """The line each item of the JSON list ``text`` starts on (``text`` is known to be one)."""
    decoder, lines = json.JSONDecoder(), list[int]()
    at = text.index("[") + 1
    while True:
        at += len(text[at:]) - len(text[at:].lstrip())
        if text[at] == "]":
            return lines
        lines.append(text.count("\n", 0, at) + 1)
        at = decoder.raw_decode(text, at)[1]
        at += len(text[at:]) - len(text[at:].lstrip())
        at += text[at] == ","


def draft_of(item: Mapping[str, Any], where: Problem) -> tuple[Draft | None, list[Problem]]:
    """The draft of one pull request as ``gh`` names its fields, or the problems of the item,
    located as ``where`` is (its field the item's, such as ``[3]``)."""
    problems: list[Problem] = []

    def problem(message: str, key: str) -> Problem:
        return dataclasses.replace(where, message=message, field=f"{where.field}.{key}")

    def text(key: str) -> str | None:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        problems.append(problem("missing" if value in (None, "") else
                                f"expected text, got {quoted(json.dumps(value))}", key))
        return None

    title, url = text("title"), text("url")
    if url is not None and not url.startswith(("https://", "http://")):
        problems.append(problem(f"expected the pull request's web address, got {quoted(url)}", "url"))
    elif url is not None and (wrong := link_problem(url)):
        problems.append(problem(wrong, "url"))
    for key, one_line in (("title", True), ("body", False), *_REPOSITORY_KEYS):
        value = _field(item, key)
        wrong = text_problem(value, one_line=one_line) if isinstance(value, str) else None
        if wrong:
            problems.append(problem(wrong, key))
    date_key = "mergedAt" if "mergedAt" in item or "closedAt" not in item else "closedAt"
    stamp = text(date_key)
    day = None
    if stamp is not None:
        day, wrong = export_day(stamp)
        if wrong:
            problems.append(problem(wrong, date_key))
    if problems or title is None or url is None or day is None:
        return None, problems
    number = item.get("number")
    label = f"PR #{number}" if isinstance(number, int) else "Pull request"
    return Draft(title, day, url, links=((label, url),), notes=_notes(item, url),
                 approvals=approvals_of(item.get("reviews"), url), trivial=trivial_reason(title)), []


def approvals_of(reviews: object, url: str) -> tuple[Approval, ...]:
    """Each reviewer who approved the pull request at ``url``, once, with their review's link.

    ``reviews`` is what ``gh pr view --json reviews`` gives (``author.login``, ``state``,
    ``submittedAt``; no link, so the pull request's) or the REST API's list of a pull request's
    reviews (``user.login``, ``state``, ``submitted_at``, ``html_url``). An approval is a record a
    reader can follow, not a quote: it carries no words.
    """
    if isinstance(reviews, dict):
        reviews = reviews.get("reviews")
    if not isinstance(reviews, list):
        return ()
    found: dict[str, Approval] = {}
    for review in reviews:
        if not isinstance(review, dict) or review.get("state") != "APPROVED":
            continue
        who = review.get("author") or review.get("user")
        login = who.get("login") if isinstance(who, dict) else None
        if not isinstance(login, str) or not login.strip() or login in found:
            continue
        link = review.get("html_url")
        stamp = review.get("submittedAt") or review.get("submitted_at")
        day = export_day(stamp)[0] if isinstance(stamp, str) else None
        found[login] = Approval(login.strip(), link if isinstance(link, str) and link.startswith("https://")
                                else url, day)
    return tuple(found.values())


def reviews_of(api: _Api, result: Mapping[str, Any]) -> object:
    """The reviews of the search result ``result``'s pull request, from the REST API."""
    pull = result.get("pull_request")
    address = pull.get("url") if isinstance(pull, dict) else None
    if not isinstance(address, str) or not address.startswith(api.base):
        return None
    reviews, _ = api.get(f"{address}/reviews?per_page={PER_PAGE}")
    return reviews


_REPOSITORY_KEYS = (("repository", True), ("repository.nameWithOwner", True), ("repository.name", True))


def _field(item: Mapping[str, Any], key: str) -> Any:
    """The value at a dotted ``key`` (``repository.name``), or ``None``."""
    value: Any = item
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _notes(item: Mapping[str, Any], url: str) -> tuple[str, ...]:
    notes: list[str] = []
    repository = item.get("repository")
    if isinstance(repository, dict):
        repository = repository.get("nameWithOwner") or repository.get("name")
    if not isinstance(repository, str) or not repository:
        match = _PULL_URL.match(url)
        repository = match.group(1) if match else None
    if repository:
        notes.append(f"Repository: {text(repository)}")
    additions, deletions = item.get("additions"), item.get("deletions")
    if isinstance(additions, int) and isinstance(deletions, int):
        notes.append(f"Lines: +{additions} -{deletions}")
    if isinstance(item.get("changedFiles"), int):
        notes.append(f"Files changed: {item['changedFiles']}")
    body = item.get("body")
    if isinstance(body, str) and body.strip():
        first = " ".join(body.strip().split("\n\n")[0].split())
        if len(first) > _DESCRIPTION_CHARS:
            first = first[:_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "..."
        notes.append(f"Description: {text(first)}")
    return tuple(notes)


def as_gh_item(result: Mapping[str, Any]) -> dict[str, Any]:
    """A search API result in ``gh``'s names, so one function reads both."""
    pull = result.get("pull_request")
    merged = pull.get("merged_at") if isinstance(pull, dict) else None
    repository = result.get("repository_url")
    item: dict[str, Any] = {"number": result.get("number"), "title": result.get("title"),
                            "url": result.get("html_url"), "mergedAt": merged or result.get("closed_at"),
                            "body": result.get("body")}
    if isinstance(repository, str) and "/repos/" in repository:
        item["repository"] = repository.split("/repos/", 1)[1]
    return item


Opener = Callable[[urllib.request.Request], Any]


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class _Api:
    def __init__(self, token: str, base: str, *, sleep: Callable[[float], None],
                 clock: Callable[[], float], opener: Opener) -> None:
        self.token, self.base = token, base.rstrip("/")
        self.sleep, self.clock, self.opener = sleep, clock, opener
        self.origin = _origin(self.base)

    def get(self, url: str) -> tuple[Any, str | None]:
        """The JSON at ``url`` and the next page's URL, waiting out a rate limit under a minute
        at most :data:`MAX_RETRIES` times."""
        if _origin(url) != self.origin:
            # The token is for this API alone: a link elsewhere is never followed with it.
            raise RequestError(Problem(self.base, None, f"its next page is on another server: {quoted(url)}",
                                       hint="check GITHUB_API_URL"))
        request = urllib.request.Request(url, headers={
            "Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "promo-packet"})
        for attempt in range(MAX_RETRIES + 1):
            try:
                with self.opener(request) as response:
                    body = response.read()
                    link = response.headers.get("Link") or ""
                break
            except urllib.error.HTTPError as exc:
                self._wait_or_stop(exc, last=attempt == MAX_RETRIES)
            except urllib.error.URLError as exc:
                raise RequestError(Problem(self.base, None, f"cannot reach it: {exc.reason}")) from exc
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise RequestError(Problem(url, None, "the answer is not JSON")) from exc
        match = _NEXT.search(link)
        return data, urllib.parse.urljoin(url, match.group(1)) if match else None

    def _wait_or_stop(self, error: urllib.error.HTTPError, *, last: bool) -> None:
        headers = error.headers
        limited = error.code in (403, 429) and (headers.get("X-RateLimit-Remaining") == "0"
                                                or headers.get("Retry-After") is not None)
        if limited and last:
            raise RequestError(Problem(self.base, None, f"GitHub's rate limit held after {MAX_RETRIES} waits",
                                       hint="run the import again later")) from error
        if not limited:
            raise RequestError(Problem(error.url or self.base, None,
                                       f"GitHub answered {error.code} {error.reason}: {_message(error)}",
                                       hint="check that GITHUB_TOKEN is a valid token" if error.code == 401
                                       else None)) from error
        retry = headers.get("Retry-After")
        reset = headers.get("X-RateLimit-Reset")
        wait = (float(retry) if retry and retry.isascii() and retry.isdigit() else
                float(reset) - self.clock() if reset and reset.isascii() and reset.isdigit()
                else float(MAX_WAIT + 1))
        if wait > MAX_WAIT:
            until = dt.datetime.fromtimestamp(self.clock() + wait, dt.timezone.utc)
            raise RequestError(Problem(self.base, None, f"GitHub's rate limit is reached until {until:%H:%M} "
                                       f"UTC (in {round(wait / 60)} min)", hint="run the import again then")
                               ) from error
        self.sleep(max(wait, 0) + 1)


def _message(error: urllib.error.HTTPError) -> str:
    try:
        message = json.loads(error.read()).get("message")
    except (ValueError, AttributeError, OSError):
        message = None
    return str(message) if message else "no message"


def fetch(token: str, *, since: dt.date | None = None, base: str = API_URL,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time,
          opener: Opener = urllib.request.urlopen) -> Found:
    """The merged pull requests of the token's owner (merged on or after ``since``), from the
    search API, page by page; raises :class:`~promo_packet.errors.RequestError` when GitHub
    cannot be read (unreachable, refused, rate-limited for more than :data:`MAX_WAIT` s)."""
    api = _Api(token, base, sleep=sleep, clock=clock, opener=opener)
    user, _ = api.get(f"{api.base}/user")
    login = user.get("login") if isinstance(user, dict) else None
    if not isinstance(login, str):
        raise RequestError(Problem(f"{api.base}/user", None, "named no login"))
    query = f"is:pr is:merged author:{login}" + (f" merged:>={since.isoformat()}" if since else "")
    url: str | None = (f"{api.base}/search/issues?"
                       + urllib.parse.urlencode({"q": query, "per_page": PER_PAGE}))
    found, page, asked = Found(), 0, set[str]()
    while url is not None:
        page += 1
        if url in asked or page > MAX_PAGES:
            raise RequestError(Problem(f"{api.base} search page {page}", None,
                                       "the pages never end: a next page was given twice, or too many",
                                       hint="check GITHUB_API_URL"))
        asked.add(url)
        data, url = api.get(url)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise RequestError(Problem(f"{api.base} search page {page}", None, "has no items"))
        for index, result in enumerate(items):
            if not isinstance(result, dict):
                continue
            where = Problem(f"{api.base} search page {page}", None, "", field=f"items[{index}]")
            draft, problems = draft_of({**as_gh_item(result), "reviews": reviews_of(api, result)}, where)
            found.problems += problems
            if draft is not None:
                found.drafts.append(draft)
    return found
