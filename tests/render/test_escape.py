"""Escape by construction: user text shows as typed and never becomes markup or a script."""

from __future__ import annotations

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from markupsafe import Markup

from conftest import HONEST
from conftest import PAYLOADS as INJECTIONS
from promo_packet.model.rubric import Dimension
from promo_packet.reading.urls import safe_url
from promo_packet.reading.yaml_writer import scalar as yaml_scalar
from promo_packet.render.narrative import clean_html
from promo_packet.render.pages import environment, front_matter, page_title, text

PAYLOADS = (*INJECTIONS, *HONEST, "- a list? # a heading? > a quote? | a cell |",
            "1. numbered _and_ __strong__ ~~struck~~ \\*escaped\\*", "??? note ==mark== ^^caret^^",
            "/// html | div", "++ctrl+alt++ :smile: $x$ !!! warning", "+ item", "a@example.com https://x.y")
# The extensions a Material site commonly turns on, besides the ones the plugin requires.
MARKDOWN = markdown.Markdown(extensions=[
    "attr_list", "md_in_html", "tables", "toc", "admonition", "footnotes", "def_list", "abbr",
    "pymdownx.details", "pymdownx.blocks.html", "pymdownx.keys", "pymdownx.mark", "pymdownx.caret",
    "pymdownx.tilde", "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.betterem", "pymdownx.inlinehilite",
    "pymdownx.superfences", "pymdownx.tasklist", "pymdownx.critic", "pymdownx.smartsymbols",
])


def rendered(template: str, value: str) -> str:
    source = environment("site").from_string(template).render(value=value)
    return MARKDOWN.reset().convert(source)


@pytest.mark.parametrize("value", PAYLOADS)
@pytest.mark.parametrize("template", [
    "{{ value }}",
    "# {{ value }}",
    "- {{ value }}",
    "| A | B |\n| - | - |\n| {{ value }} | x |",
    "[{{ value }}](page.md)",
    "**{{ value }}**",
    '<p class="x">{{ value }}</p>',
])
def test_a_value_shows_as_typed_in_every_markdown_context(template: str, value: str) -> None:
    out = BeautifulSoup(rendered(template, value), "html.parser")
    plain = BeautifulSoup(rendered(template, "VALUE"), "html.parser")
    assert out.get_text() == plain.get_text().replace("VALUE", value)
    # The template's own elements and attributes, nothing more (ids come from the text).
    assert shape(out) == shape(plain)


def shape(soup: BeautifulSoup) -> list[tuple[str, list[str]]]:
    return [(tag.name, sorted(name for name in tag.attrs if name != "id")) for tag in soup.find_all(True)]


def test_text_is_one_escaped_line_and_leaves_our_markup_alone() -> None:
    assert text("a\n\n  b") == "a b"
    assert text("Replaced the `<Select>` widget") == "Replaced the &#96;&#60;Select&#62;&#96; widget"
    assert text("snake_case-id") == "snake_case-id"  # ids and slugs in links stay as they are
    assert text(Markup("<b>ours</b>")) == "<b>ours</b>"


def test_join_escapes_each_value() -> None:
    out = environment("site").from_string('{{ names | join(", ") }}').render(names=["*a*", "<b>"])
    assert out == "&#42;a&#42;, &#60;b&#62;"


@pytest.mark.parametrize("url", [
    "https://example.com/x?a=1&b=2", "http://example.com", "mailto:a@example.com", "HTTPS://EXAMPLE.COM",
    "../notes/", "design.pdf", "#section", "/abs/path", "./javascript:alert(1)",
])
def test_urls_we_link_to(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "jav\x00ascript:alert(1)", "\x01javascript:alert(1)", "java\u200bscript:x",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd", "",
    "javascript&colon;alert(1)x:y", "//example.com/x",
])
def test_urls_we_do_not_link_to(url: str) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_a_link_that_is_not_safe_is_shown_as_text(url: str) -> None:
    module = environment("site").get_template("site/_html.html.j2").module
    out = str(module.link(url, "label"))  # type: ignore[attr-defined]
    assert out == "label"
    assert str(module.link("https://example.com/?a=1&b=2", "x")) == (  # type: ignore[attr-defined]
        '<a href="https://example.com/?a=1&amp;b=2">x</a>')


@pytest.mark.parametrize(("written", "kept"), [
    ("<p>ok <em>yes</em></p>", "<p>ok <em>yes</em></p>"),
    ("<details open><summary>More</summary><p>text</p></details>",
     "<details open><summary>More</summary><p>text</p></details>"),
    ('<p class="note" onclick="alert(1)" style="x">a</p>', '<p class="note">a</p>'),
    ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
    ('<a href="javascript:alert(1)">x</a> <a href="JAVA\tSCRIPT:alert(1)">y</a>', "<a>x</a> <a>y</a>"),
    ('<a href="https://example.com/?a=1&amp;b=2">x</a>', '<a href="https://example.com/?a=1&amp;b=2">x</a>'),
    ('<img src=x onerror=alert(1)><svg onload=alert(1)><path d="M0"/></svg>',
     '<img src="x"><svg><path d="M0"></path></svg>'),
    ("<iframe srcdoc='<script>alert(1)</script>'>in</iframe>after", "after"),
    ("<noscript><p>hidden</noscript><p>shown</p>", "<p>shown</p>"),
    ("<select><option>a</option></select><Select> widget", "a widget"),
    ('<div id="__config">{"base": "https://evil"}</div>', '<div>{"base": "https://evil"}</div>'),
    ("<p>&lt;Select&gt; &amp; 5 * 3</p>", "<p>&lt;Select&gt; &amp; 5 * 3</p>"),
    ("<div><p>unclosed", "<div><p>unclosed</p></div>"),
    ("</div></article><p>x</p>", "<p>x</p>"),
    ('<th style="text-align: right;">n</th><p style="position: fixed; inset: 0">cover</p>',
     '<th style="text-align: right;">n</th><p>cover</p>'),
    ('<input type="radio" name="__tabbed_1" id="__tabbed_1_1"><label for="__tabbed_1_1">A',
     '<input type="radio" name="__tabbed_1" id="__tabbed_1_1"><label for="__tabbed_1_1">A</label>'),
    ('<input id="__search" type="checkbox"><label for="__drawer">x</label>',
     '<input type="checkbox"><label>x</label>'),
])
def test_a_narrative_keeps_its_html_but_nothing_that_runs(written: str, kept: str) -> None:
    assert clean_html(written) == kept


@pytest.mark.parametrize("written", [
    '<h2 id="situation">Situation</h2>\n<p>Cut p99 &lt;b&gt; from 3 h to 40 min &amp; kept it.</p>',
    "<ul>\n<li>one<br>two</li>\n</ul>\n<hr>\n<blockquote>\n<p>quoted</p>\n</blockquote>",
    "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>",
    '<p class="x">a</p>', '<h2 id="a b">x</h2>',
    # An entry page's card, as the page template writes it, and a heading's permalink.
    '<div class="pp-card">\n<p class="pp-meta pp-facts" data-search-exclude="">'
    '<a href="../../dimensions/scope/">Scope</a></p>\n</div>',
    '<h2 id="result">Result<a class="headerlink" href="#result" title="Permanent link">¶</a></h2>',
    '<a href="https://example.com/?a=1&amp;b=2">x</a>',
])
def test_plain_prose_is_kept_as_it_is_and_as_the_cleaner_would_rebuild_it(written: str) -> None:
    from promo_packet.render.narrative import _Cleaner, _is_plain

    cleaner = _Cleaner()
    cleaner.feed(written)
    cleaner.close()
    assert _is_plain(written) and clean_html(written) == written == "".join(cleaner.out)


def test_void_elements_written_as_xhtml_are_plain() -> None:
    from promo_packet.render.narrative import _is_plain

    written = "<p>a</p>\n<hr />\n<p>b<br />c</p>"  # as Python-Markdown writes them
    assert _is_plain(written) and clean_html(written) == written


@pytest.mark.parametrize("written", [
    "<p>a", "<p>a</div>", '<p id="__config">x</p>', "<p>a<!-- x --></p>", "<br></br>",
    "<style>p{}</style>", "<select>a</select>", '<p onclick="alert(1)">a</p>', "<P>a</P>",
    '<a href="javascript:alert(1)">x</a>', '<p style="color: red">a</p>', "<p class='x'>a</p>",
    '<img src="x" onerror="alert(1)">', '<a href="java&#115;cript:alert(1)">x</a>',
    '<p data-x="1">a</p>', '<p class="a"class="b">a</p>', "<p />a",
])
def test_anything_but_plain_prose_is_rebuilt(written: str) -> None:
    from promo_packet.render.narrative import _is_plain

    assert not _is_plain(written)


def test_a_description_or_a_discussion_keeps_its_paragraphs_as_text() -> None:
    written = "First *point*.\n\n  Second <b>point</b>\nstill second.\n\n\n# Not a heading"
    out = BeautifulSoup(rendered("{{ value | paragraphs }}", written), "html.parser")
    assert [p.get_text() for p in out.find_all("p")] == [
        "First *point*.", "Second <b>point</b> still second.", "# Not a heading"]
    assert shape(out) == [("p", []), ("p", []), ("p", [])]


@pytest.mark.parametrize("ident", ["scope", "scope_", "a-_b_", "x__y"])
def test_ids_in_links_anchors_and_code_stay_as_they_are(ident: str) -> None:
    source = environment("site").from_string(
        '{% import "site/_macros.md.j2" as m %}{{ m.dimension_link(d, "../") }} `x: [{{ d.id | id }}]`'
    ).render(d=Dimension(ident, "Name_", ""))
    out = BeautifulSoup(MARKDOWN.reset().convert(source), "html.parser")
    link = out.find("a")
    assert link is not None and link["href"] == f"../dimensions/{ident}.md" and link.get_text() == "Name_"
    assert out.code is not None and out.code.get_text() == f"x: [{ident}]"
    assert environment("site").from_string("{{ v | id }}").render(v="<b>") == "&#60;b&#62;"


@pytest.mark.parametrize("title", [
    *PAYLOADS, "Cut the billing export (12)", "Shipped v2.1", "API_versioning", "a", "yes", "No", "NULL",
    "off", "y", "Led on-call.", "trailing space ", "x: y", "Ends with -", "Café launch", "(draft) plan",
])
def test_a_page_title_reads_back_from_its_front_matter_as_the_emitter_writes_it(title: str) -> None:
    written = front_matter(title)
    assert written == f"---\ntitle: {yaml_scalar(page_title(title))}\n---\n\n"
    assert yaml.safe_load(written.split("---")[1])["title"] == page_title(title)


def test_the_site_name_shows_as_typed_in_the_theme_s_title_header_and_labels(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from conftest import build_site, make_packet

    name = 'Ana <Dev> Ruiz & "Co": promotion packet'
    root: Path = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test packet", f"site_name: {yaml_scalar(name)}"))
    site = build_site(root, tmp_path / "site")
    page = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    logo = page.select_one("a.md-header__button.md-logo")
    assert page.title is not None and page.title.get_text().endswith(name)
    # Escaped once, not twice, where the theme escapes it itself (the title attribute).
    assert logo is not None and logo["title"] == name and logo["aria-label"] == name
    assert page.select_one(".md-header__topic .md-ellipsis").get_text().strip() == name  # type: ignore[union-attr]
