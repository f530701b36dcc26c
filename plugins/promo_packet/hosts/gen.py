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

- an entry's narrative is Markdown as the person wrote it, which passes HTML through, and the
  engine converts it with the site's extensions, not ours (under ``pymdownx.superfences`` a
  fenced block lets the indented line after it through as HTML): every narrative is written
  converted and cleaned (:func:`~promo_packet.render.narrative.clean_html`), as headings and
  lines of HTML no extension reads anything into (:func:`~promo_packet.render.narrative.inert_markdown`);
- every page is put under the page policy (policy.py): a theme override of ``main.html``
  writes it as a ``<meta>`` before anything a page holds, for MkDocs and Zensical alike (the
  person's own ``main.html``, if any, is kept and extended);
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
from ruamel.yaml import YAML

from ..errors import Problem, RefusedError, plural
from ..model.evidence import MARKDOWN_SUFFIXES
from ..reading.config import PLUGIN_NAME, docs_folder, load_config, plugin_name
from ..render.narrative import clean_html, inert_markdown
from ..render.pages import GeneratedPage, Links
from ..render.pdf import render_pdf
from ..sharing.policy import FONTS, content_security_policy, origin, policy_meta, site_roots
from ..sharing.protect import site_root
from ..sharing.publish import discard, put_in_place, stage
from .build import REQUIRED_EXTENSIONS, SiteBuild, start

THEME_DIR = "overrides"
"""Where the theme override goes when the person has no ``custom_dir``."""
PERSONS_MAIN = "promo-packet-main.html"
"""The person's own ``main.html``, renamed so that ours can extend it."""
MAIN = """{{#- The page policy, before anything a page holds (its title, its description): written by
    promo gen, from what the site ships. The first character set is the one a browser reads. -#}}
{{% extends "{parent}" %}}
{{% block site_meta %}}
  <meta charset="utf-8">
  {meta}
  {{{{ super() }}}}
{{% endblock %}}
"""
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
    """Narratives whose HTML lost something to cleaning (every narrative is written as HTML)."""
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
    """The page with its narrative cleaned and inert (:func:`inert_markdown`), and whether cleaning
    removed anything."""
    head = page.content.removesuffix(narrative)
    converted = markdown.markdown(narrative, extensions=extensions)
    cleaned = clean_html(converted)
    return head + inert_markdown(cleaned), cleaned != converted


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
    _write_theme(config, config_file.parent, out, _site_policy(build, config, out / DOCS))
    text = io.StringIO()
    yaml.dump(config, text)
    (out / "mkdocs.yml").write_text(text.getvalue(), encoding="utf-8")


def _site_policy(build: SiteBuild, config: Mapping[str, Any], docs: Path) -> str:
    """The policy of every page of the site: one ``<meta>`` for all, so it lists the theme's
    scripts for each depth a page can be at, and Material's fonts unless ``font: false``."""
    depth = max((p.relative_to(docs).as_posix().count("/") + 1 for p in docs.rglob("*.md")), default=1)
    theme = config.get("theme")
    fonts = not isinstance(theme, Mapping) or theme.get("font") is not False
    stylesheets = [found for css in config.get("extra_css") or [] if (found := origin(str(css))) is not None]
    return content_security_policy(
        "", script_origins=build.script_origins, allowed=build.options.allowed_scripts,
        roots=site_roots(depth, site_root(str(config.get("site_url") or "")), build.scope),
        stylesheets=[*stylesheets, *([*FONTS] if fonts else [])])


def _write_theme(config: Any, root: Path, out: Path, policy: str) -> None:
    """Put ``policy`` on every page with a theme override of ``main.html`` (see :data:`MAIN`),
    into the person's ``custom_dir`` (copied) or a folder of its own."""
    theme = config.get("theme")
    if not isinstance(theme, Mapping):
        theme = config["theme"] = {"name": theme if isinstance(theme, str) else "material"}
    custom = theme.get("custom_dir")
    folder = THEME_DIR
    if isinstance(custom, str) and (root / custom).is_dir():
        folder = Path(custom).name
        shutil.copytree(root / custom, out / folder, dirs_exist_ok=True)
    (out / folder).mkdir(parents=True, exist_ok=True)
    parent = "base.html"
    if (out / folder / "main.html").is_file():
        (out / folder / "main.html").rename(out / folder / PERSONS_MAIN)
        parent = PERSONS_MAIN
    (out / folder / "main.html").write_text(MAIN.format(parent=parent, meta=policy_meta(policy)), "utf-8")
    theme["custom_dir"] = folder


def _write_text(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def summary(done: Generated, seconds: float) -> str:
    line = (f"{plural(done.pages, 'generated page')}, {plural(done.copied, 'file')} of the docs folder"
            f"{', the PDF' if done.pdf else ''} -> {done.out} ({seconds:.2f} s)")
    if done.cleaned:
        line += f"; {plural(done.cleaned, 'narrative')} held HTML a page may not run: cleaned"
    if done.keyed:
        line += (f"; entry URLs are keyed with the password: build {done.out} (zensical build or "
                 f"mkdocs build there), then run 'promo seal {done.out / 'site'}' here, before you publish "
                 "it: until then every page is plaintext")
    return line
