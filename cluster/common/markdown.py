"""User text inside Markdown we hand out: a school's or a cluster's name in the SEN information
report extract, which a school pastes into its website, where a Markdown renderer may pass raw
HTML straight through. No Streamlit here."""

from __future__ import annotations

import html
import re

# Marks that could turn a name into formatting, a link, an image, a table cell or a heading; the
# backslash first, so an escape is never itself escaped twice.
_MARKS = "\\`*_[]|~#"
_ESCAPED_MARK = re.compile(r"\\([" + re.escape(_MARKS) + r"])")


def escape_markdown(text: str) -> str:
    """Typed text made inert inside Markdown: `<`, `>` and `&` become HTML entities, so a name can
    never carry a tag or a script; Markdown's marks are escaped with a backslash, so it can never
    make a link or emphasis; line breaks become spaces, so it cannot start a heading or a list.
    Every Markdown renderer shows the result as the characters that were typed."""
    one_line = " ".join(text.split())
    entities = html.escape(one_line, quote=False)
    return "".join("\\" + ch if ch in _MARKS else ch for ch in entities)


def unescape_markdown(text: str) -> str:
    """The characters as typed again, for a plain-text copy (which no renderer reads as markup)."""
    return html.unescape(_ESCAPED_MARK.sub(r"\1", text))
