"""Hostile and malformed input: every bad value is a located problem, never a traceback or a hang."""

from __future__ import annotations

import pytest

from promo_packet.links import safe_url, url_problem

SAFE_URLS = ["https://example.com/a?b=1&copy=2#c", "http://intranet/x", "mailto:dana@example.com",
             "notes.md", "../design/", "#results", "/about/", "  https://example.com  "]
UNSAFE_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
               "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
               "javascript&#58;alert(1)", "&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)",
               "javascript&colon;alert(1)", "java&#x09;script:alert(1)", "data:text/html,<script>x</script>",
               "vbscript:msgbox(1)", "file:///etc/passwd", "blob:https://x/1", "not a url at all",
               "https://example.com/a b", "//evil.example", "/\\evil.example", "https:evil", "https://",
               "mailto:", "C:\\Users\\x", "x:y/z", "https://example.com/\u202egnp.exe", ""]


@pytest.mark.parametrize("url", SAFE_URLS)
def test_safe_urls_pass_stripped(url: str) -> None:
    assert safe_url(url) == url.strip()
    assert url_problem(url) is None


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_urls_are_refused_with_a_reason(url: str) -> None:
    assert safe_url(url) is None
    assert url_problem(url)
