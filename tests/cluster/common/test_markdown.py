"""User text inside Markdown handed out for websites: inert, and the same characters as typed."""

from __future__ import annotations

import pytest

from cluster.common.markdown import escape_markdown, unescape_markdown


@pytest.mark.parametrize(("typed", "escaped"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("St Peter & St Paul CE Primary", "St Peter &amp; St Paul CE Primary"),
    ("[Click](javascript:alert(1))", "\\[Click\\](javascript:alert(1))"),
    ("**Bold** _school_ `code`", "\\*\\*Bold\\*\\* \\_school\\_ \\`code\\`"),
    ("Two\n# lines", "Two \\# lines"),
    ("St Mary's (Aided)", "St Mary's (Aided)"),
])
def test_typed_text_is_escaped_and_comes_back_as_typed(typed: str, escaped: str) -> None:
    assert escape_markdown(typed) == escaped
    assert unescape_markdown(escaped) == " ".join(typed.split())


def test_text_that_already_looks_escaped_is_kept_as_typed() -> None:
    typed = "a \\* b &amp; c &lt;"
    assert unescape_markdown(escape_markdown(typed)) == typed
