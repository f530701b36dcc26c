"""The Content-Security-Policy of every built page: the theme's scripts by hash, nothing inline else."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import PASSWORD, build_site, make_packet, set_options
from promo_packet.options import read_options
from promo_packet.sharing.policy import (
    content_security_policy,
    inline_script_hashes,
    known_script_hashes,
    theme_scripts,
    with_policy,
)
from promo_packet.sharing.protect import Protector, read_lock_asset
from promo_packet.sharing.sealer import Sealer, SealSettings


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_inline_scripts_are_hashed_and_data_blocks_and_files_are_not() -> None:
    html = ('<script>a()</script><SCRIPT type="module">b()</SCRIPT><script src="x.js"></script>'
            '<script type="application/json">{"c": 1}</script><script type=text/javascript>d()\r\n</script >')
    assert inline_script_hashes(html) == [sha256("a()"), sha256("b()"), sha256("d()\n")]


def test_the_policy_lists_what_we_ship_never_what_the_page_holds() -> None:
    carried = "<script>b()</script><script>a()</script>"
    policy = content_security_policy("<script>a()</script>", carried=[carried])
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"].split() == ["'self'", *known_script_hashes(["."])]
    assert sha256("a()") not in policy and sha256("b()") not in policy
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["connect-src"] == "'self' blob:"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy


def test_the_policy_comes_before_any_script() -> None:
    html = '<!doctype html><html><head>\n<meta charset="utf-8">\n<script>a()</script></head></html>'
    out = with_policy(html)
    assert out.index('<meta charset="utf-8">') < out.index("Content-Security-Policy") < out.index("<script>")
    assert with_policy("no head") == "no head"


def test_a_policy_further_down_the_page_is_no_policy_and_the_page_gets_ours() -> None:
    from promo_packet.sharing.sealer import finished_page

    body = '<meta http-equiv="Content-Security-Policy" content="script-src *">'
    html = f'<!doctype html><html><head>\n<meta charset="utf-8">\n</head><body>{body}</body></html>'
    head = finished_page(html, base="./", script_origins=[]).split("</head>")[0]
    assert "Content-Security-Policy" in head and "script-src *" not in head
    sealed = finished_page(f"<html><head>{body}</head></html>", base="./", script_origins=[])
    assert sealed.count("Content-Security-Policy") == 1  # one in the head already: kept as it is


def policies(site: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    """Per page: its policy, the hashes of the inline scripts it runs and its script-src hashes."""
    found = {}
    for file in sorted(site.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        meta = soup.select("meta[http-equiv=Content-Security-Policy]")
        assert len(meta) == 1, file
        first_script = html.find("<script")
        assert first_script < 0 or html.find("Content-Security-Policy") < first_script, file
        policy = str(meta[0]["content"])
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src ")).split()[1:]
        ran = [sha256(s.string or "") for s in soup.find_all("script")
               if not s.get("src") and s.get("type", "text/javascript") != "application/json"]
        found[file.relative_to(site).as_posix()] = (policy, ran, script_src)
    return found


@pytest.mark.parametrize("password", [False, True])
def test_every_page_carries_the_policy_of_its_own_scripts(password: bool, tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    if password:
        set_options(root, f"password: {PASSWORD}")
    site = build_site(root, tmp_path / "site")
    found = policies(site)
    # A password build hashes entry URLs.
    entry = set() if password else {"evidence/2026-01-10-batch-speedup/index.html"}
    assert {"index.html", "404.html", "timeline/index.html", "notes/index.html", *entry} <= set(found)
    for uri, (policy, ran, script_src) in found.items():
        assert script_src[0] == "'self'" and set(ran) <= set(script_src), uri
        assert "'unsafe-inline'" not in script_src, uri
        assert re.search(r"\bstyle-src 'self' 'unsafe-inline'", policy), uri
    if password:
        page = (site / "index.html").read_text(encoding="utf-8")
        sealed = json.loads(BeautifulSoup(page, "html.parser").select_one("#pp-sealed").string)
        opened = Protector(PASSWORD, salt=base64.b64decode(sealed["salt"]),
                           iterations=sealed["iterations"]).open(sealed["data"]).decode()
        # The lock page writes the opened page over itself and keeps its own policy: it must
        # allow the opened page's scripts too, which carries its own policy as well.
        inner = inline_script_hashes(opened)
        assert inner and set(inner) <= set(found["index.html"][2])
        assert opened.count("Content-Security-Policy") == 1


def test_what_the_site_loads_from_elsewhere_is_allowed_and_nothing_more(tmp_path: Path) -> None:
    root = make_packet(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_javascript:\n  - https://cdn.example.com/mathjax/tex.js\n"
                      "  - extra.js\n  - path: https://esm.example.com/chart.mjs\n    type: module\n")
    (root / "docs" / "extra.js").write_text("")
    policy = policies(build_site(root, tmp_path / "site"))["index.html"][0]
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert {"https://cdn.example.com", "https://esm.example.com"} <= set(directives["script-src"].split())
    # The fixture keeps Material's Google Fonts: its stylesheet and the fonts it loads.
    assert directives["style-src"].split() == ["'self'", "'unsafe-inline'", "https://fonts.googleapis.com"]
    assert directives["font-src"].split() == ["'self'", "https://fonts.gstatic.com"]
    assert directives["img-src"].split() == ["'self'", "data:"]
    assert directives["default-src"] == "'self'"


INJECTED_NAME = "</title><script>alert(108)</script>"
MINE = "alert(109)"


def injected_packet(tmp_path: Path, *options: str) -> Path:
    """The fixture packet with a script in its site name (which must reach the pages as text) and
    in a docs page of the person's (which Markdown passes through as it is)."""
    root = set_options(make_packet(tmp_path), *options)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Test packet", f"site_name: '{INJECTED_NAME}'"))
    (root / "docs" / "mine.md").write_text(f"# Mine\n\n<script>{MINE}</script>\n")
    return root


def test_the_theme_scripts_are_read_from_its_templates() -> None:
    # Material's own: the one that sets its storage up holds the site's root, the palette's does not.
    assert any("__md_scope=new URL(" in text and "{{" in text for text in theme_scripts())
    assert any(text.startswith("var palette=__md_get") for text in theme_scripts())
    assert not any("page.meta" in text for text in theme_scripts())  # a redirect's target: not listed
    hashes = known_script_hashes([".", "../.."])
    assert sha256("\n" + read_lock_asset("unlock.js")) in hashes


@pytest.mark.parametrize("password", [False, True])
def test_a_script_injected_into_a_page_is_never_allowed(password: bool, tmp_path: Path) -> None:
    root = injected_packet(tmp_path, *([f"password: {PASSWORD}"] if password else []))
    found = policies(build_site(root, tmp_path / "site"))
    assert {"index.html", "404.html", "mine/index.html"} <= set(found)
    for uri, (_, ran, script_src) in found.items():
        assert sha256("alert(108)") not in script_src and sha256(MINE) not in script_src, uri
        assert sha256("alert(108)") not in ran, uri  # the theme is handed the site's name as text
        if not password:
            assert set(ran) - {sha256(MINE)} <= set(script_src), uri
            if uri == "mine/index.html":
                assert sha256(MINE) in ran, uri  # it is in the page: only the policy stops it
    if password:
        page = (tmp_path / "site" / "mine" / "index.html").read_text(encoding="utf-8")
        sealed = json.loads(BeautifulSoup(page, "html.parser").select_one("#pp-sealed").string)
        opened = Protector(PASSWORD, salt=base64.b64decode(sealed["salt"]),
                           iterations=sealed["iterations"]).open(sealed["data"]).decode()
        inner = BeautifulSoup(opened, "html.parser").select_one("meta[http-equiv=Content-Security-Policy]")
        assert inner is not None and sha256(MINE) not in str(inner["content"])
        assert sha256(MINE) in inline_script_hashes(opened)


def test_promo_seal_never_allows_a_script_it_finds_in_a_page() -> None:
    sealer = Sealer(SealSettings(password=PASSWORD, site_name="Sealed"))
    page = ('<!doctype html><html><head><meta charset="utf-8"><title>x</title></head>'
            "<body><script>alert(110)</script></body></html>")
    locked = sealer.lock(page, base="../", pdf=None)
    policy = str(BeautifulSoup(locked, "html.parser").select_one("meta[http-equiv=Content-Security-Policy]")
                 ["content"])
    assert sha256("alert(110)") not in policy
    assert set(inline_script_hashes(locked)) <= set(policy.split())  # the unlock script runs


def test_an_inline_script_of_ones_own_runs_when_an_option_names_it(tmp_path: Path) -> None:
    allowed = sha256(MINE).strip("'")
    root = injected_packet(tmp_path, f"allowed_scripts: ['{allowed}']")
    found = policies(build_site(root, tmp_path / "site"))
    assert sha256(MINE) in found["mine/index.html"][2]
    assert sha256("alert(108)") not in found["mine/index.html"][2]


def test_allowed_scripts_takes_only_hashes() -> None:
    given = {"allowed_scripts": ["sha256-" + "A" * 43 + "=", "alert(1)"]}
    values, problems = read_options(given, "mkdocs.yml")
    assert [p.field for p in problems] == ["promo-packet.allowed_scripts"]
    assert "'alert(1)'" in problems[0].message and values["allowed_scripts"] == []
