"""Every field, every payload, every audience: text from the packet shows as text and runs nothing.

The packet is written with each payload in every field a person, a rubric or a plan can fill;
the built site is read with BeautifulSoup for any element, attribute, script or link the
payloads made, and a few pages are opened in a real headless Chromium with an alert trap.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ALL, HONEST, PAYLOADS, build_site, payload_packet, q

THEME_SCRIPTS = 5
"""Material's scripts on each page: three inline, its configuration (JSON) and its bundle."""
CHART_ELEMENTS = {"title", "desc", "g", "rect", "line", "text"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")


@pytest.fixture(scope="module", params=["self", "sponsor", "committee"])
def payload_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp(f"payloads-{request.param}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROMO_AUDIENCE", request.param)
        return build_site(payload_packet(base / "packet"), base / "site")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_payload_makes_an_element_an_attribute_a_script_or_a_link(payload_site: Path) -> None:
    built = {f.relative_to(payload_site).as_posix() for f in html_files(payload_site)}
    assert {"index.html", "packet/index.html", "plan/index.html", "gaps/index.html",
            "timeline/index.html", "dimensions/d0/index.html", "evidence/2026-01-01-entry-0/index.html",
            "404.html"} <= built
    problems = []
    for file in html_files(payload_site):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        where = file.relative_to(payload_site).as_posix()
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            if handlers:
                problems.append(f"{where}: <{tag.name}> has {handlers}")
            for name in URL_ATTRIBUTES:
                value = re.sub(r"[\x00-\x20]", "", str(tag.get(name, ""))).lower()
                if value.startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{where}: <{tag.name} {name}={value!r}>")
        scripts = soup.find_all("script")
        ran = [s for s in scripts if "alert" in (s.string or "") + str(s.get("src", ""))]
        if len(scripts) != THEME_SCRIPTS or ran:
            problems.append(f"{where}: {len(scripts)} scripts")
        # A narrative may hold HTML (harmless once cleaned); the rest of a page is text from fields.
        for narrative in soup.select("article > .pp-card ~ *"):
            narrative.decompose()
        # Our charts are SVG made of shapes and text only; whatever else is there, a payload made it.
        for chart in soup.select("article div.pp-chart > svg.pp-chart-svg"):
            odd = {tag.name for tag in chart.find_all(True)} - CHART_ELEMENTS
            if odd:
                problems.append(f"{where}: a chart holds {sorted(odd)}")
            chart.decompose()
        made = soup.select("article img, article svg, article iframe, article object, article embed")
        if made:
            problems.append(f"{where}: {made}")
    assert not problems, "\n".join(problems[:40])


def article_text(site: Path, uri: str) -> str:
    article = BeautifulSoup((site / uri).read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None
    return article.get_text()


def test_the_payloads_show_as_typed(payload_site: Path) -> None:
    assert f"{ALL}: promotion packet" in article_text(payload_site, "index.html")
    plan = article_text(payload_site, "plan/index.html")
    timeline = article_text(payload_site, "timeline/index.html")
    for i, p in enumerate(PAYLOADS):
        assert p in plan
        assert f"{p} {i}" in timeline
    words = article_text(payload_site, "dimensions/d0/index.html")
    assert words.lstrip().startswith(PAYLOADS[0])  # the heading
    assert f"{PAYLOADS[0]} and {PAYLOADS[0]}" in words  # the description, as text
    assert PAYLOADS[-1] in words  # an expectation at the target level
    assert not any("49" in article_text(payload_site, uri) for uri in ("index.html", "plan/index.html"))
    # The navigation and the window title hold the dimension names as text too.
    dimension = BeautifulSoup((payload_site / "dimensions/d0/index.html").read_text(encoding="utf-8"),
                              "html.parser")
    nav = [a.get_text(" ", strip=True) for a in dimension.select("nav.md-nav--primary a")]
    assert all(p in nav for p in PAYLOADS), nav
    assert dimension.title is not None and dimension.title.get_text().startswith(PAYLOADS[0])


def test_honest_text_shows_literally_on_every_page_and_in_the_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from conftest import make_packet

    root = make_packet(tmp_path)
    (root / "evidence" / "2026-06-02-select.md").write_text(f"""---
title: {q(HONEST[0])}
date: 2026-06-02
dimensions: [scope]
outcome: {q(HONEST[1])}
highlight: true
corroboration:
  - name: {q(HONEST[0])}
    quote: {q(HONEST[1])}
---
It is fast.
""")
    site = build_site(root, tmp_path / "site", pdf=True)
    for uri in ("index.html", "packet/index.html", "dimensions/scope/index.html",
                "evidence/2026-06-02-select/index.html"):
        words = " ".join(article_text(site, uri).split())
        assert HONEST[0] in words and HONEST[1] in words, uri
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(site / "packet.pdf").pages).split())
    assert HONEST[0] in pdf and HONEST[1] in pdf


FENCE_THEN_SCRIPT = "Intro.\n\n```\ncode\n```\n    <script>alert(107)</script>\n"
"""Plain to Python-Markdown's fenced_code (an indented code block), raw HTML to superfences."""


def test_promo_gen_writes_every_narrative_so_no_extension_set_makes_it_run(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from conftest import make_packet
    from promo_packet.hosts.gen import generate

    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    extensions = ("superfences", "highlight", "inlinehilite", "details", "mark", "tilde")
    config.write_text(config.read_text() + "markdown_extensions:\n"
                      + "".join(f"  - pymdownx.{name}\n" for name in extensions))
    (root / "evidence" / "2026-06-03-fence.md").write_text(f"""---
title: Fenced
date: 2026-06-03
dimensions: [scope]
outcome: Fenced then indented.
---
{FENCE_THEN_SCRIPT}
Then `[x](javascript:alert(106))` and ~~gone~~ ==marked== {{: onclick=alert(105) }}
""")
    done, problems = generate(config, tmp_path / "out")
    assert done is not None, problems
    written = (tmp_path / "out" / "docs" / "evidence" / "2026-06-03-fence.md").read_text()
    narrative = written[written.index("<p>Intro"):]
    # Lines of HTML whose text holds no Markdown syntax: no extension reads anything into them.
    assert "<script" not in narrative and "`" not in narrative and "[" not in narrative
    site = tmp_path / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path / "out")
        build(load_config(config_file=str(tmp_path / "out" / "mkdocs.yml"), site_dir=str(site)))
    page = BeautifulSoup((site / "evidence/2026-06-03-fence/index.html").read_text("utf-8"), "html.parser")
    article = page.select_one("article")
    assert article is not None
    assert not [s for s in page.find_all("script") if "alert" in (s.string or "")]
    assert not [a for a in article.find_all("a") if "javascript" in str(a.get("href", "")).lower()]
    assert not [t for t in article.find_all(True) if any(n.startswith("on") for n in t.attrs)]
    words = " ".join(article.get_text().split())
    assert "<script>alert(107)</script>" in words and "[x](javascript:alert(106))" in words


def test_inert_html_shows_the_same_and_holds_no_markdown_syntax() -> None:
    from promo_packet.render.narrative import clean_html, inert_html, inert_markdown

    cleaned = clean_html('<p>5 * 3 = 15 _a_ [b](c) `d` ~~e~~ ==f== {: .g } &lt;h&gt; &amp;</p>\n'
                         '<pre><code>line one\n    line two</code></pre>\n<a href="https://x.example/a_b*c">x</a>')
    inert = inert_html(cleaned)
    assert "\n" not in inert and not re.search(r"[*_\[\]`~=:{}]", re.sub(r"<[^>]*>", "", inert))
    before, after = BeautifulSoup(cleaned, "html.parser"), BeautifulSoup(inert, "html.parser")
    assert after.get_text() == before.get_text()
    def tags(soup: BeautifulSoup) -> list[tuple[str, dict[str, str]]]:
        return [(t.name, t.attrs) for t in soup.find_all(True)]

    assert tags(after) == tags(before)
    # A heading outside any element stays a Markdown heading: the engine's contents list holds it.
    markdown = inert_markdown('<h2 id="x">Don&#x27;t: a-b</h2>\n<details><h3>Kept</h3></details>\n'
                              "<p>y<br>z</p>\n<hr>\n<p>w</p>")
    assert markdown == ("## Don&#x27;t&#58; a&#45;b\n\n<details><h3>Kept</h3></details>\n\n<p>y<br>z</p>\n\n"
                        "<hr>\n\n<p>w</p>\n")
