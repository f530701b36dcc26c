"""``promo binder``: many committee bundles bound into one site and one PDF.

Folder and git packets are exported first (in parallel processes, each as ``promo export``
would), into a cache beside ``BINDER.yml``; then every bundle is opened and checked before
anything is written, so a binder holds either every packet it names or, with ``skip_failed``,
the ones that passed and a list of the others on its index page. Bundles are then read one at a
time: each person's site is unpacked under ``people/<slug>/``, their PDF copied into the binder's,
and the search index written out one person at a time, so memory holds one person at a time.

With a password (:data:`PASSWORD_VARIABLE`) the whole binder is sealed by the one sealer, as a
packet is (sharing/sealed_binder.py): every page locked, the search indexes and each person's PDF
sealed, each person's folder and each entry's page named by a key rather than by its name or
title; the binder's PDF, which lives beside the site, is encrypted on its own to open in any PDF
reader.

The binder's PDF is written as it grows, one packet at a time (render/binder_pdf.py), and numbers
its pages continuously: page N prints N in its footer, in place of the packet's own number, its
page label (what a viewer shows and goes to) is N too, and each packet's contents give the binder's
page numbers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError, Problem, PromoPacketError, RefusedError, plural
from ..model.packet import keyed_slug, today
from ..reading.binder import (
    MAX_BUNDLE_BYTES,
    SITE,
    Binder,
    Facts,
    PacketSource,
    bundle_members,
    extract_site,
    read_binder,
    read_facts,
    read_limited,
)
from ..reading.ids import slug_of
from ..reading.vcs import run_git
from ..render.binder import Person, Skipped, cover_html, cover_pdf, index_page
from ..render.pages import page_title
from ..sharing.policy import with_policy
from ..sharing.sealed_binder import PEOPLE, KeyedEntries, seal_binder
from ..sharing.sealer import Sealer, SealSettings, noindex
from .build import CSS_URI, ROBOTS, ROBOTS_URI
from .export import export_packet
from .project import PASSWORD_RULE, is_weak

CACHE = ".promo-binder"
"""Where folder and git packets are exported, beside BINDER.yml."""
MARKER = ".promo-binder.json"
"""Written into a binder's output folder: only a folder holding it is ever replaced."""
PDF_NAME = "binder.pdf"
INDEX_TITLE = "Index"
"""The index page's title in the navigation (the PDF's index is titled so too)."""
LEFT_OUT = ("404.html", "sitemap.xml", "sitemap.xml.gz", "robots.txt")
"""What of a person's site is the binder's own: a 404 page links from the root of the site, a
sitemap lists the person's own site's addresses."""
SITE_NAME = "site"
PASSWORD_VARIABLE = "PROMO_BINDER_PASSWORD"
"""The binder's password, if it is sealed: its own, so a packet's PROMO_PASSWORD never seals it by chance."""


@dataclass(frozen=True)
class Bundle:
    """A bundle checked to be bound: where it is, what it says, and its source in BINDER.yml."""

    source: PacketSource
    path: Path
    facts: Facts
    slug: str
    pages: int
    """How many pages its PDF has: where each packet starts is known before any is appended."""


@dataclass
class Bound:
    """What :func:`bind` wrote."""

    out: Path
    people: list[Person]
    skipped: list[Skipped] = field(default_factory=list)
    pages: int = 0
    sealed: bool = False


def bind(binder_file: Path, out: Path, *, jobs: int | None = None, skip_failed: bool = False,
         password: str | None = None, say: Callable[[str], None] = lambda _: None) -> Bound:
    """Bind the packets of ``binder_file`` into ``out`` (``site/`` and ``binder.pdf``), sealed
    under ``password`` if one is given.

    Raises :class:`InputError` with every located problem, having written nothing, unless
    ``skip_failed``: then the failed packets are left out and listed (still an error if none is left).
    """
    binder, problems = read_binder(binder_file)
    if binder is None:
        raise InputError(problems, nothing_written=True)
    sealer = _sealer(binder, password)
    _check_out(out)
    bundles, failed = _bundles(binder, jobs or os.cpu_count() or 1, say)
    if failed and not skip_failed:
        raise InputError(failed, nothing_written=True)
    if not bundles:
        raise InputError(failed or [Problem(binder.shown, None, "no packet to bind")], nothing_written=True)
    skipped = [Skipped(f"{p.path}:{p.line} {p.field}", p.message) for p in failed]
    if sealer is not None:  # a folder named after a person would tell who is in the binder
        bundles = [dataclasses.replace(b, slug=keyed_slug(sealer.url_key, b.slug)) for b in bundles]
    return _write(binder, bundles, skipped, out, sealer)


def _sealer(binder: Binder, password: str | None) -> Sealer | None:
    """The sealer for the binder's password, if it has one; a weak one is refused."""
    if password is None:
        return None
    if is_weak(password):
        raise InputError([Problem(PASSWORD_VARIABLE, None, "holds a password too weak to protect the binder",
                                  hint=PASSWORD_RULE)], nothing_written=True)
    # The binder's own title salts its key, as a packet's site name does.
    return Sealer(SealSettings(password=password, site_name=f"{binder.title} ({binder.cycle})",
                               pdf_name=PDF_NAME, kind="binder"))


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise RefusedError(f"{out} exists and is not a binder's folder: name a new or empty folder")


def _bundles(binder: Binder, jobs: int, say: Callable[[str], None]) -> tuple[list[Bundle], list[Problem]]:
    """Every packet of the binder as a checked bundle, or the problems of those that are not."""
    paths, problems = _exported(binder, jobs, say)
    bundles: list[Bundle] = []
    seen: dict[str, Bundle] = {}
    for source in binder.packets:
        path = paths.get(source.index)
        if path is None:
            continue
        facts, pages, reason = check_bundle(path)
        if facts is None:
            problems.append(binder.problem(source, f"{source.shown}: {reason}"))
            continue
        bundle = Bundle(source, path, facts, slug_of(facts.person) or f"person-{source.index}", pages)
        other = seen.get(bundle.slug)
        if other is not None:
            problems.append(binder.problem(
                source, f"a second packet for {facts.person!r} (packets[{other.source.index}] is theirs too)",
                "bind one packet per person"))
            continue
        seen[bundle.slug] = bundle
        bundles.append(bundle)
    return bundles, sorted(problems, key=lambda p: p.line or 0)


def check_bundle(path: Path) -> tuple[Facts | None, int, str | None]:
    """The facts of the bundle at ``path`` and its PDF's page count, or why it may not be bound
    (see reading/binder.py); its PDF must say, in its own metadata, that it is this person's
    packet at this target."""
    try:
        with zipfile.ZipFile(path) as archive:
            members, reasons = bundle_members(archive)
            if reasons:
                return None, 0, reasons[0]
            facts, reason = read_facts(archive, members)
            if facts is None:
                return None, 0, reason
            pdf = read_limited(archive, archive.getinfo(facts.pdf), MAX_BUNDLE_BYTES)
    except (OSError, zipfile.BadZipFile, KeyError, EOFError) as exc:
        return None, 0, f"not a readable zip: {exc}"
    pages, mismatch = _pdf_pages(pdf, facts)
    return (facts, pages, None) if mismatch is None else (None, 0, mismatch)


def _pdf_pages(data: bytes, facts: Facts) -> tuple[int, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        meta: Any = reader.metadata or {}
        pages = len(reader.pages)
    except (PyPdfError, ValueError, OSError) as exc:
        return 0, f"its PDF cannot be read: {exc}"
    author, title = str(meta.get("/Author", "")), str(meta.get("/Title", ""))
    if author != facts.person or not title.endswith(f", {facts.target_title}"):
        return 0, (f"its facts (for {facts.person!r}, {facts.target_title!r}) do not match its PDF "
                   f"(author {author!r}, title {title!r})")
    return pages, None


def _exported(binder: Binder, jobs: int,
              say: Callable[[str], None]) -> tuple[dict[int, Path], list[Problem]]:
    """Each packet's bundle by its index in ``packets:``: bundles as they are, folders and git
    repositories exported into the cache, in parallel processes."""
    cache = binder.path.parent / CACHE
    paths = {s.index: s.path for s in binder.packets if s.is_bundle and s.path is not None}
    todo = [s for s in binder.packets if not s.is_bundle]
    problems: list[Problem] = []
    if not todo:
        return paths, problems
    workers = max(1, min(jobs, len(todo)))
    say(f"exporting {plural(len(todo), 'packet')} in {plural(workers, 'process', 'processes')}")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_export_job, todo, [cache] * len(todo))
        for source, (path, reason) in zip(todo, results, strict=True):
            if path is None:
                problems.append(binder.problem(source, f"{source.shown}: {reason}"))
            else:
                paths[source.index] = path
    return paths, problems


def _export_job(source: PacketSource, cache: Path) -> tuple[Path | None, str | None]:
    """Export one folder or git packet into ``cache``: the bundle, or why it could not be made."""
    # By place in the list too: the same folder named twice must not be exported into one file at once.
    key = f"{source.index}-{hashlib.sha256(source.shown.encode()).hexdigest()[:16]}"
    target = cache / "bundles" / f"{key}.zip"
    try:
        folder = source.path if source.git is None else _clone(source, cache / "git" / key)
        assert folder is not None
        export_packet(folder / "mkdocs.yml", target)
    except InputError as exc:
        return None, "the packet does not build: " + "; ".join(str(p) for p in exc.problems if p.is_error)
    except PromoPacketError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"cannot be exported: {exc}"
    return target, None


def _clone(source: PacketSource, dest: Path) -> Path:
    """A shallow clone of the source's ref into ``dest`` (afresh: a ref may have moved)."""
    assert source.git is not None and source.ref is not None
    shutil.rmtree(dest, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    done = run_git(dest.parent, "-c", "protocol.ext.allow=never", "clone", "--quiet", "--depth", "1",
                   "--branch", source.ref, "--", source.git, dest.name)
    if done is None or done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines() if done is not None else []
        raise RefusedError(f"cannot clone {source.git} at {source.ref!r}: "
                           + (said[-1] if said else "git cannot be run"))
    return dest


def _write(binder: Binder, bundles: Sequence[Bundle], skipped: list[Skipped], out: Path,
           sealer: Sealer | None) -> Bound:
    """Write the site and the PDF into a folder beside ``out``, seal them if ``sealer`` says so,
    then put it in place: nothing unsealed ever reaches ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        site = staging / SITE_NAME
        people, pages = _people_and_pdf(binder, bundles, staging / PDF_NAME, site, sealer)
        index_site(binder, people, skipped, site)
        if sealer is not None:
            _seal(sealer, bundles, site)
        # A sealed binder's marker names nothing of the binder's: only that it is one, and sealed.
        marker = {"sealed": True} if sealer is not None else {"title": binder.title, "people": len(people)}
        (staging / MARKER).write_text(json.dumps(marker), "utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.replace(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Bound(out, people, skipped, pages, sealed=sealer is not None)


def _seal(sealer: Sealer, bundles: Sequence[Bundle], site: Path) -> None:
    pdfs = {f"{PEOPLE}{b.slug}/": PurePosixPath(b.facts.pdf).relative_to(SITE).as_posix() for b in bundles}
    seal_binder(site, pdfs, sealer)


def _people_and_pdf(binder: Binder, bundles: Sequence[Bundle], pdf: Path, site: Path,
                    sealer: Sealer | None) -> tuple[list[Person], int]:
    """Unpack each person's site and copy their PDF into the binder's, one bundle open at a time."""
    from ..render.binder_pdf import BinderPdf
    from ..render.folio import learn_folio

    cover, cover_pages, people = _cover(binder, bundles)
    total = cover_pages + sum(b.pages for b in bundles)
    with pdf.open("wb") as stream:
        # Sealed, it is encrypted as it is written (AES-256, as encrypt_pdf does): never whole in memory.
        bound = BinderPdf(stream, total, learn_folio(), password=sealer.settings.password if sealer else None)
        bound.append(cover, binder.title, outline=False)
        for bundle in bundles:
            bound.append(_unpack(bundle, site / "people" / bundle.slug, sealer), bundle.facts.person)
        pages = bound.finish({"Title": binder.title, "Subject": binder.cycle, "Producer": "promo-packet"})
    if pages != total:  # every page would print the wrong total
        raise PromoPacketError(f"the binder's PDF has {pages} pages where its packets said {total}")
    return people, pages


def _cover(binder: Binder, bundles: Sequence[Bundle]) -> tuple[bytes, int, list[Person]]:
    """The cover and index table, its page count, and each person with the page they start on."""
    built = today().isoformat()
    cover, people, cover_pages = b"", [Person(b.slug, b.facts) for b in bundles], 0
    # The page column moves the packets if it makes the cover longer: render until it holds still.
    for _ in range(3):
        cover, pages = cover_pdf(cover_html(binder.title, binder.cycle, built, people))
        if pages == cover_pages:
            break
        cover_pages, starts = pages, itertools.accumulate((b.pages for b in bundles), initial=pages + 1)
        people = [Person(b.slug, b.facts, start) for b, start in zip(bundles, starts, strict=False)]
    return cover, cover_pages, people


def _unpack(bundle: Bundle, home: Path, sealer: Sealer | None) -> bytes:
    """Write the person's site into ``home``, their entries at keyed names if the binder is sealed;
    returns their PDF."""
    with zipfile.ZipFile(bundle.path) as archive:
        members, _ = bundle_members(archive)
        keyed = None
        if sealer is not None:
            paths = (PurePosixPath(m.filename).relative_to(SITE).as_posix() for m in members
                     if PurePosixPath(m.filename).parts[:1] == (SITE,))
            keyed = KeyedEntries.of(paths, sealer.url_key, f"{PEOPLE}{bundle.slug}/")
        extract_site(archive, members, home, leave=LEFT_OUT, place=keyed.path if keyed else str)
        data = read_limited(archive, archive.getinfo(bundle.facts.pdf), MAX_BUNDLE_BYTES)
    if keyed is not None and keyed.keys:
        # One page at a time, as it was written.
        for page in home.rglob("*.html"):
            page.write_text(keyed.page(page.relative_to(home).as_posix(), page.read_text("utf-8")), "utf-8")
        index = home / "search" / "search_index.json"
        if index.is_file():
            index.write_bytes(keyed.search_index(index.read_bytes()))
    return data


def index_site(binder: Binder, people: list[Person], skipped: list[Skipped], site: Path) -> None:
    """Build the index into ``site`` with MkDocs and Material, then make the search index cover
    every person (whose sites are in ``site/people/`` already)."""
    with tempfile.TemporaryDirectory(prefix="promo-binder-") as scratch:
        root = Path(scratch)
        (root / "docs").mkdir()
        page = index_page(binder.title, binder.cycle, people, skipped)
        (root / "docs" / "index.md").write_text(page, "utf-8")
        # The packets' own stylesheet: the grids are drawn at their own size and scroll in a region.
        css = root / "docs" / CSS_URI
        css.parent.mkdir()
        css.write_bytes((resources.files("promo_packet") / CSS_URI).read_bytes())
        # Material prints the site's name and the navigation's titles as HTML. The binder's title is
        # the site's name, which heads the navigation and the window's title: its one page is the index.
        title = page_title(binder.title)
        config = {"site_name": title, "docs_dir": "docs", "theme": {"name": "material"},
                  "plugins": ["search"], "extra_css": [CSS_URI],
                  "markdown_extensions": ["tables", "attr_list", "md_in_html"],
                  "nav": [{INDEX_TITLE: "index.md"}]}
        # JSON is YAML: no text of anyone's can change the configuration's structure.
        (root / "mkdocs.yml").write_text(json.dumps(config), "utf-8")
        built = root / "site"
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                               str(root / "mkdocs.yml"), "--site-dir", str(built)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PromoPacketError(f"the binder's site could not be built: {done.stderr.strip()[-500:]}")
        for built_file in built.iterdir():
            shutil.move(str(built_file), str(site / built_file.name))
    for html in site.glob("*.html"):
        html.write_text(with_policy(noindex(html.read_text("utf-8"))), "utf-8")
    (site / ROBOTS_URI).write_text(ROBOTS, "utf-8")
    _merge_search(site, people)


def _merge_search(site: Path, people: list[Person]) -> None:
    """One search for the binder: each person's index entries, at their pages under ``people/``."""
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text("utf-8"))
    docs = index.pop("docs")
    # Written as it is read, one person at a time: the index is the only thing that grows with them.
    with index_file.open("w", encoding="utf-8") as out:
        out.write(json.dumps(index, ensure_ascii=False)[:-1] + ', "docs": [')
        separator = ""
        others = ((person.slug, _search_docs(site, person.slug)) for person in people)
        for slug, found in itertools.chain([(None, docs)], others):
            for doc in found:
                if isinstance(doc, dict) and isinstance(doc.get("location"), str):
                    moved = doc if slug is None else {**doc, "location": f"people/{slug}/{doc['location']}"}
                    out.write(separator + json.dumps(moved, ensure_ascii=False))
                    separator = ","
        out.write("]}")


def _search_docs(site: Path, slug: str) -> list[Any]:
    own = site / "people" / slug / "search" / "search_index.json"
    docs = json.loads(own.read_text("utf-8")).get("docs", []) if own.is_file() else []
    return docs if isinstance(docs, list) else []
