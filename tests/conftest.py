from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["scheduling", "theme_listing", "rendered_pdfs", "unsynced_writes"]

# Material prints a notice about MkDocs 2 on its first import unless this is set, and sets it
# itself afterwards: set here, every build a test runs prints the same, whatever ran before.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

TESTS = Path(__file__).parent
FIXTURE = TESTS / "fixtures" / "packet"
REPO = TESTS.parent
PLAN = TESTS / "fixtures" / "plan.yml"
"""The fixture plan, with every section of plan.yml filled in."""
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
PASSWORD = "correct horse battery staple"
"""The password of the protected packets the tests build."""

CANARIES = {
    "private": ["CANARY-PRIVATE-TITLE-xq7", "CANARY-PRIVATE-OUTCOME-xq7", "CANARY-PRIVATE-NAME-xq7",
                "CANARY-PRIVATE-QUOTE-xq7", "CANARY-PRIVATE-TAG-xq7", "CANARY-PRIVATE-BODY-xq7",
                "canary-private-xq7"],
    "sponsor": ["CANARY-SPONSOR-TITLE-kw2", "CANARY-SPONSOR-OUTCOME-kw2", "CANARY-SPONSOR-NAME-kw2",
                "CANARY-SPONSOR-QUOTE-kw2", "CANARY-SPONSOR-TAG-kw2", "CANARY-SPONSOR-BODY-kw2",
                "canary-sponsor-kw2"],
}
"""The words of the fixture packet's private and sponsor-only entries, by their visibility."""
SEEN_BY = {"self": {"private", "sponsor"}, "sponsor": {"sponsor"}, "committee": set()}
"""Which visibilities of :data:`CANARIES` each audience's build may show."""


def make_packet(dest: Path, overlay: Path | None = None) -> Path:
    """A copy of the fixture packet in ``dest``, with ``overlay``'s files laid over it."""
    root = dest / "packet"
    shutil.copytree(FIXTURE, root)
    if overlay is not None:
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    return root


def packet_with(dest: Path, files: Mapping[str, str]) -> Path:
    """A copy of the fixture packet in ``dest`` with ``files`` (path in the packet: text) written into it."""
    root = make_packet(dest)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def commit_all(root: Path, when: str = "2026-07-01T12:00:00Z") -> str:
    """Make ``root`` a git repository with everything in it committed at ``when``; the commit's id."""
    import subprocess

    env = {"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "PATH": os.environ["PATH"],
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "packet"]):
        subprocess.run(["git", *command], cwd=root, check=True, env=env)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()


def user_files(root: Path) -> dict[str, str]:
    """A digest of every file of the packet at ``root`` but the ones builds write: the site and
    the project's cache folder (``.cache/promo-packet``, rendered PDFs)."""
    from promo_packet.model.settings import CACHE_DIR

    cache = root / CACHE_DIR
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and "site" not in p.relative_to(root).parts and not p.is_relative_to(cache)}


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """``promo ARGS`` in this process, in ``cwd`` if given: its exit code, stdout and stderr."""
    from click.testing import CliRunner

    from promo_packet.cli import main

    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def self_report(packet: Path, command: str, *options: str) -> dict[str, Any]:
    """``promo COMMAND --format json`` for the author (``--audience self``) of the packet at
    ``packet``: what it printed, read as JSON."""
    code, out, err = run(command, "-f", str(packet / "mkdocs.yml"), "--audience", "self", *options,
                         "--format", "json")
    assert code == 0, err
    found: dict[str, Any] = json.loads(out)
    return found


def unlabelled(output: str) -> str:
    """Problems as ``promo`` or a build shows them, in the one-line form ``str(problem)`` has:
    without the ``error`` label, each hint after a semicolon."""
    return output.replace(": error: ", ": ").replace("\n    hint: ", "; ").replace("\n  hint: ", "; ")


def set_options(root: Path, *lines: str) -> Path:
    """Add plugin option lines (``"pdf: false"``) to the packet's mkdocs.yml; returns root."""
    config = root / "mkdocs.yml"
    options = "".join(f"\n      {line}" for line in lines)
    config.write_text(config.read_text().replace("packet_size: 2", "packet_size: 2" + options))
    return root


def build_site(root: Path, site_dir: Path, *, strict: bool = False, pdf: bool = False) -> Path:
    """Build the packet at ``root`` with MkDocs, in this process, into ``site_dir``.

    The PDF stage is skipped unless ``pdf`` is true (or PROMO_PDF is already set):
    most site tests do not read it and it is the slowest stage.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = os.environ.get("PROMO_PDF")
    if saved is None and not pdf:
        os.environ["PROMO_PDF"] = "0"
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir),
                             strict=strict)
        build(config)
    finally:
        if saved is None:
            os.environ.pop("PROMO_PDF", None)
    return site_dir


def site_text(site: Path) -> str:
    """Every file's name and content in the built site, gzip files unpacked."""
    parts = []
    for file in sorted(site.rglob("*")):
        parts.append(str(file.relative_to(site)))
        if file.is_file():
            parts.append(site_text_of(file))
    return "\n".join(parts)


def site_text_of(file: Path) -> str:
    data = file.read_bytes()
    return (gzip.decompress(data) if file.suffix == ".gz" else data).decode("utf-8", errors="replace")


PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</p><script>alert(1)</script>",
    "*x*{: onmouseover=alert(1) }",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "{{ 7*7 }}",
    "<Select>",
    "`code` _em_ | cell | # heading > quote",
    "- item {: onclick=alert(1) } [y](y){: onclick=alert(1) }",
)
"""Text that would become markup, a script or a template expression if it were not escaped."""
ALL = " ".join(PAYLOADS)
"""For the fields that take one value per packet (the options, the ladder's name)."""
URL = 'https://example.com/x?q="><svg/onload=alert(1)>'
HONEST = ("Replaced the `<Select>` widget", "5 * 3 = 15 _not_ emphasis [not] a link & <b>not bold</b>")
"""Text a person writes that looks like markup and must show as typed."""


def q(value: str) -> str:
    """A YAML scalar (JSON is YAML) holding ``value`` exactly."""
    return json.dumps(value)


def payload_packet(root: Path) -> Path:
    """A packet at ``root`` with each of :data:`PAYLOADS` in every field a person, a rubric or a plan
    can fill."""
    n = len(PAYLOADS)
    levels = "\n".join(f"  - id: l{i}\n    title: {q(p)}" for i, p in enumerate(PAYLOADS))
    dimensions = "\n".join(
        f"  - id: d{i}\n    name: {q(p)}\n    description: {q(p + ' and ' + p)}\n    expectations:\n"
        + "".join(f"      l{j}: [{q(p)}, {q(PAYLOADS[j])}]\n" for j in range(n))
        for i, p in enumerate(PAYLOADS))
    (root / "rubric").mkdir(parents=True)
    ladder = f"name: {q(ALL)}\nlevels:\n{levels}\ndimensions:\n{dimensions}"
    (root / "rubric" / "ladder.yml").write_text(ladder)
    (root / "evidence").mkdir()
    for i, p in enumerate(PAYLOADS):
        (root / "evidence" / f"2026-01-{i + 1:02d}-entry-{i}.md").write_text(f"""---
title: {q(p + " " + str(i))}
date: 2026-01-{i + 1:02d}
dimensions: [d{i}, d{(i + 1) % n}]
level: l{n - 1}
outcome: {q(p)}
metrics:
  - name: {q(p)}
    before: {q(p)}
    after: {q(p)}
corroboration:
  - name: {q(p)}
    role: {q(p)}
    quote: {q(p)}
    date: 2026-02-01
    link: {q(URL)}
links:
  - title: {q(p)}
    url: {q(URL)}
tags: [{q(p)}, {q(p)}]
highlight: {"true" if i % 2 else "false"}
visibility: committee
criteria: [c{i}]
---

## Situation

{p}

Inline {p} text.

- {p}

| a | b |
| - | - |
| {p} | x |
""")
    criteria = "\n".join(f"""  - id: c{i}
    demonstrate: {q(p)}
    dimensions: [d{i}]
    outcomes:
      - text: {q(p)}
        met: 2026-01-{i + 1:02d}
      - {q(p)}
    agreed_with: {q(p)}
    agreed_on: 2026-01-01""" for i, p in enumerate(PAYLOADS))
    stakeholders = "\n".join(f"  - name: {q(p)}\n    role: {q(p)}\n    needs: {q(p)}" for p in PAYLOADS)
    blockers = "\n".join(f"  - text: {q(p)}\n    raised: 2026-01-01" for p in PAYLOADS)
    checkins = "\n".join(f"""  - date: 2026-02-{i + 1:02d}
    with: {q(p)}
    discussed: {q(p + chr(10) + chr(10) + p)}
    decisions: [{q(p)}]
    next_steps: [{q(p)}]""" for i, p in enumerate(PAYLOADS))
    (root / "plan.yml").write_text(f"""target_level: l{n - 1}
review_date: 2026-09-30
checkin_days: 30
criteria:
{criteria}
stakeholders:
{stakeholders}
blockers:
{blockers}
checkins:
{checkins}
decisions:
  - date: 2026-03-01
    result: no
    gap: {q(ALL)}
    dimensions: [d0, d1]
    timeline: 2026-04-30
""")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(f"""site_name: Payloads
site_url: https://packet.example.com/
docs_dir: docs
theme:
  name: material
plugins:
  - search
  - promo-packet:
      person: {q(ALL)}
      sponsor: {q(ALL)}
      review_cycle: {q(ALL)}
      current_level: l0
      target_level: l{n - 1}
      audience: !ENV [PROMO_AUDIENCE, sponsor]
      demonstrated_at: 1
      packet_size: 3
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
""")
    return root


HYPOTHESIS_HOME = pytest.StashKey[Path]()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the cores. Workers spend much of their time waiting, on
    chromium, on a ``mkdocs serve`` to notice a save, on the subprocesses of the command-line tests;
    the extra one runs meanwhile (on 2 cores: 214 s for the suite against 247 s, and 241 s with two
    extra)."""
    return (os.cpu_count() or 1) + 1


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps what it learns (it starts while tests are collected) in a temporary
    folder of each test process: a run writes nothing into the repository, and parallel workers
    share no folder."""
    from hypothesis.configuration import set_hypothesis_home_dir

    config.stash[HYPOTHESIS_HOME] = Path(tempfile.mkdtemp(prefix="promo-packet-hypothesis-"))
    set_hypothesis_home_dir(config.stash[HYPOTHESIS_HOME])


def pytest_unconfigure(config: pytest.Config) -> None:
    close_chromium()
    home = config.stash.get(HYPOTHESIS_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None],
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI (``CI=true``) a skipped test fails: every test there has what it needs, so a skip
    means a test that silently stopped running."""
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, and nothing is skipped in CI: {report.longrepr}"
    return report


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by its path and a hash of its content."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Path]]:
    """The fixture packet as it is, built for an audience (with its PDF or without) once per test
    process and shared: read it, never change it (copy it first); a change fails the run.

    Only the audience is set: every other ``PROMO_*`` variable and ``SOURCE_DATE_EPOCH`` is unset
    while it builds, whatever the test that asks first has set.
    """
    built: dict[tuple[str, bool], tuple[Path, dict[str, str]]] = {}

    def site(audience: str = "sponsor", *, pdf: bool = False) -> Path:
        if (audience, pdf) not in built:
            base = tmp_path_factory.mktemp(f"fixture-{audience}-{'pdf' if pdf else 'html'}")
            with pytest.MonkeyPatch.context() as patch:
                for name in [n for n in os.environ if n.startswith("PROMO_") or n == "SOURCE_DATE_EPOCH"]:
                    patch.delenv(name)
                patch.setenv("PROMO_AUDIENCE", audience)
                found = build_site(make_packet(base), base / "site", pdf=pdf)
            built[audience, pdf] = found, digest(found)
        return built[audience, pdf][0]

    yield site
    changed = [str(found) for found, before in built.values() if digest(found) != before]
    assert not changed, f"a test changed a shared site: {changed}"


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    return make_packet(tmp_path)


def broken_links(site: Path) -> list[str]:
    """Every relative link or image of the site's pages that leads to no file it wrote."""
    from urllib.parse import unquote, urlsplit

    from bs4 import BeautifulSoup

    broken = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.select("a[href], img[src], link[href], script[src]"):
            url = urlsplit(str(tag.get("href") or tag.get("src")))
            if url.scheme or url.netloc or not url.path:
                continue
            base = site if url.path.startswith("/") else page.parent  # 404.html links from the root
            target = (base / unquote(url.path).lstrip("/")).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)}: {tag.get('href') or tag.get('src')}")
    return broken


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update"]


_CHROMIUM: dict[str, Any] = {}


def chromium() -> Any:
    """Debian's chromium, driven through Playwright: one browser per test process, started on first
    use and closed when the process ends (each launch costs about a second)."""
    if "browser" not in _CHROMIUM:
        from playwright.sync_api import sync_playwright

        _CHROMIUM["playwright"] = sync_playwright().start()
        _CHROMIUM["browser"] = _CHROMIUM["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return _CHROMIUM["browser"]


def close_chromium() -> None:
    if "browser" in _CHROMIUM:
        _CHROMIUM.pop("browser").close()
        _CHROMIUM.pop("playwright").stop()


@contextlib.contextmanager
def chromium_page(**context: Any) -> Iterator[Any]:
    """A page of :func:`chromium` in a browser context of its own (``context``: Playwright's
    ``new_context`` options, such as ``color_scheme``): no cookie, storage or cache is shared
    with another test's page. The context closes after."""
    opened = chromium().new_context(**context)
    try:
        yield opened.new_page()
    finally:
        opened.close()


class JsonApi(http.server.BaseHTTPRequestHandler):
    """A stand-in for a JSON web API on localhost: subclasses answer ``do_GET``."""

    def answer(self, status: int, body: object, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def api_server(handler: Callable[..., http.server.BaseHTTPRequestHandler], **state: object) -> Iterator[str]:
    """``handler`` serving on a free port of 127.0.0.1 (``state`` set on its server); yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for name, value in state.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The built ``site`` over HTTP on localhost; yields its root URL."""
    with api_server(functools.partial(QuietHandler, directory=str(site))) as url:
        yield url + "/"


# The policy's violations and anything a payload would run, as the page reports them. A
# listener on the document would not do: the unlock script's document.open() removes it.
TRAP = """
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function () { console.error("promo-packet-test: " + name + " ran"); };
}
"""


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """What went wrong on ``page`` from now on: policy violations, script errors, dialogs."""
    seen: list[str] = []
    page.add_init_script(TRAP)
    page.on("console", lambda message: seen.append(message.text) if message.type == "error"
            and ("Content Security Policy" in message.text or "promo-packet-test" in message.text) else None)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    return seen


def search(page, words: str) -> str:  # type: ignore[no-untyped-def]
    query = page.locator("input[data-md-component=search-query]")
    query.click()
    query.press_sequentially(words, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    return str(page.inner_text(".md-search-result"))


NOTE = "CANARY-NOTE-zz9"
ALL_CANARIES = [c for group in CANARIES.values() for c in group]


def protected(root: Path) -> Path:
    return set_options(root, "password: !ENV PROMO_PASSWORD")


def example_packet(dest: Path) -> Path:
    """A copy of the repository's example packet: everything but code, tests and dot-folders
    (so each build renders its PDF afresh instead of reading another's cache)."""
    root = dest / "packet"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
        ".*", "site", "plugins", "tests", "bench", "build", "dist", "*.egg-info", "__pycache__"))
    return root


def build_per_audience(root: Path, base: Path, *, pdf: bool = False) -> dict[str, Path]:
    """The packet at ``root`` built for each audience (self, sponsor, committee) into ``base``."""
    import pytest

    sites = {}
    for audience in ("self", "sponsor", "committee"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PROMO_AUDIENCE", audience)
            sites[audience] = build_site(root, base / audience, pdf=pdf)
    return sites
