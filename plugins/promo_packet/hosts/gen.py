"""``promo gen OUT``: the packet as a plain docs folder, for a generator that runs no plugin.

Zensical reads mkdocs.yml but skips every third-party plugin, so a packet built there has no
evidence in it; MkDocs or ProperDocs may be run without ours. ``OUT`` gets what our plugin
would hand the generator: every generated page (the same finished pages, see pages.py), the
navigation, the assets, the person's own docs pages, the theme's ``custom_dir``, the PDF, and
an ``mkdocs.yml`` of its own: the person's, round-tripped (comments, ``!ENV`` and other tags
kept), with our plugin taken out and what the pages need put in. ``cd OUT && zensical build``
(or ``mkdocs build``) then builds the packet.

What only our plugin does after the generator converts a page cannot happen there, so it is
done here or refused:

- an entry's narrative is Markdown as the person wrote it, which passes HTML through; one
  whose HTML :func:`~promo_packet.render.narrative.clean_html` would change is written as the
  cleaned HTML instead (plain narratives, the usual case, stay Markdown);
- a password build locks every page as it is written: with a password configured, the entries
  are written at the keyed URLs a password build gives them (the same key, see sealer.py), and
  the site the generator builds from ``OUT`` must be sealed after with ``promo seal SITE``,
  which refuses a site whose entry URLs still name their files.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from ruamel.yaml import YAML

from ..errors import Problem, RefusedError, plural
from ..model.evidence import MARKDOWN_SUFFIXES
from ..reading.config import PLUGIN_NAME, docs_folder, load_config, plugin_name
from ..render.narrative import clean_html
from ..render.pages import GeneratedPage, Links
from ..render.pdf import render_pdf
from ..sharing.protect import site_root
from ..sharing.publish import discard, put_in_place, stage
from .build import REQUIRED_EXTENSIONS, SiteBuild, start

MARKER = ".promo-gen.json"
"""Left in ``OUT``: a folder holding it is ours to replace."""
DOCS = "docs"


@dataclass(frozen=True)
class Generated:
    """What ``promo gen`` wrote: counts for its summary line."""

    out: Path
    pages: int
    copied: int
    cleaned: int
    """Narratives written as cleaned HTML rather than as the Markdown written."""
    pdf: str | None
    audience: str
    keyed: bool = False
    """Entries are at their keyed URLs: the built site is to be sealed with ``promo seal``."""


def generate(config_file: Path, out: Path) -> tuple[Generated | None, list[Problem]]:
    """Write the packet of ``config_file`` as a plain docs folder into ``out``.

    Returns the problems of the packet's inputs (and None) when it cannot be built. Raises
    :class:`RefusedError` when ``out`` is a folder of something else.
    """
    root = config_file.parent.resolve()
    data, given, problems = load_config(config_file)
    if problems:
        return None, problems
    docs_dir = docs_folder(data, root)
    build, problems = start(given, {**data, "config_file_path": str(config_file), "docs_dir": str(docs_dir)})
    if build is None:
        return None, problems
    _refuse_foreign(out)
    staging = stage(out)
    try:
        done = _write(build, config_file, data, docs_dir, staging)
        put_in_place(staging, out)
    except BaseException:
        discard(staging)
        raise
    return Generated(out, *done, audience=build.packet.settings.audience.value,
                     keyed=build.sealer is not None), problems


def _refuse_foreign(out: Path) -> None:
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise RefusedError(f"{out} is a folder promo gen did not write: it would be replaced whole; "
                           "name a new folder, or empty this one")


def _write(build: SiteBuild, config_file: Path, data: dict[str, Any], docs_dir: Path,
           out: Path) -> tuple[int, int, int, str | None]:
    docs = out / DOCS
    copied = _copy_docs(docs_dir, docs, build.own_page)
    # Zensical reads a relative link in HTML as relative to the source file, MkDocs as relative to
    # the page: a link from the site's root means the same to both.
    root = site_root(str(data.get("site_url") or ""))
    # A build for opening from disk (the offline option) has no directory URLs.
    directory = data.get("use_directory_urls", True) is not False and not build.options.offline
    links = Links(directory=directory, root=root)
    pages = build.pages(links)
    extensions = [*REQUIRED_EXTENSIONS, "fenced_code"]
    cleaned = 0
    for page in pages:
        content = page.content
        if page.narrative is not None:
            content, changed = _safe_narrative(page, page.narrative, extensions)
            cleaned += changed
        _write_text(docs / page.uri, content)
    for uri, content in build.assets().items():
        if not (docs / uri).exists():
            _write_text(docs / uri, content)
    own = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                 if p.relative_to(docs).as_posix() not in {page.uri for page in pages})
    _write_config(build, config_file, out, own)
    pdf = None
    if build.pdf is not None:
        render_pdf(build.packet, docs / build.pdf.name, build.pdf, cache_dir=build.options.pdf_cache,
                   plan=build.assembly.status, since=build.assembly.since, protected=build.sealer is not None)
        pdf = build.pdf.name
    (out / MARKER).write_text(json.dumps({"audience": build.packet.settings.audience.value}) + "\n")
    return len(pages), copied, cleaned, pdf


def _copy_docs(source: Path, target: Path, own_page: Callable[[str], str]) -> int:
    """Copy the docs folder, each Markdown page as ``own_page`` makes it for the audience."""
    def copy(src: str, dst: str) -> None:
        if Path(src).suffix.lower() in MARKDOWN_SUFFIXES:
            with contextlib.suppress(UnicodeDecodeError):  # not a page any engine reads: copied as is
                text = Path(src).read_bytes().decode("utf-8")
                if (page := own_page(text)) != text:
                    Path(dst).write_bytes(page.encode("utf-8"))
                    return
        shutil.copy2(src, dst)

    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return 0
    shutil.copytree(source, target, dirs_exist_ok=True, symlinks=False,
                    ignore=shutil.ignore_patterns(".*"), copy_function=copy)
    return sum(1 for path in target.rglob("*") if path.is_file())


def _safe_narrative(page: GeneratedPage, narrative: str, extensions: list[str]) -> tuple[str, bool]:
    """The page as written, or with its narrative as cleaned HTML if converting it would let
    HTML through that the plugin would have cleaned."""
    head = page.content.removesuffix(narrative)
    converted = markdown.markdown(narrative, extensions=extensions)
    cleaned = clean_html(converted)
    if cleaned == converted:
        return page.content, False
    return f'{head}<div class="pp-narrative">\n{cleaned}\n</div>\n', True


def _write_config(build: SiteBuild, config_file: Path, out: Path, own_pages: list[str]) -> None:
    yaml = YAML()  # round trip: the person's comments, order and tags stay
    yaml.width = 4096
    config = yaml.load(config_file.read_text("utf-8"))
    config["docs_dir"] = DOCS
    config["site_dir"] = "site"
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # the mapping form: {search: {}, promo-packet: {...}}
        plugins.pop(PLUGIN_NAME, None)
    else:
        plugins = [p for p in plugins if plugin_name(p) != PLUGIN_NAME]
    if plugins:
        config["plugins"] = plugins
    else:
        config.pop("plugins", None)
    config.setdefault("markdown_extensions", [])
    config.setdefault("extra_css", [])
    config.setdefault("extra", {})
    build.configure(config)
    config["nav"] = build.nav(own_pages) if "nav" not in config else config["nav"]
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and (config_file.parent / custom).is_dir():
        shutil.copytree(config_file.parent / custom, out / Path(custom).name, dirs_exist_ok=True)
        theme["custom_dir"] = Path(custom).name
    text = io.StringIO()
    yaml.dump(config, text)
    (out / "mkdocs.yml").write_text(text.getvalue(), encoding="utf-8")


def _write_text(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def summary(done: Generated, seconds: float) -> str:
    line = (f"{plural(done.pages, 'generated page')}, {plural(done.copied, 'file')} of the docs folder"
            f"{', the PDF' if done.pdf else ''} -> {done.out} ({seconds:.2f} s)")
    if done.cleaned:
        line += (f"; {plural(done.cleaned, 'narrative')} written as cleaned HTML "
                 "(they held HTML a page may not run)")
    if done.keyed:
        line += (f"; entry URLs are keyed with the password: build {done.out} (zensical build or "
                 f"mkdocs build there), then run 'promo seal {done.out / 'site'}' here, before you publish "
                 "it: until then every page is plaintext")
    return line
