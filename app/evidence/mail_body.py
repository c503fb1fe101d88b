"""A mail body's text as its reader sees it: HTML reduced to its visible text, format=flowed
lines joined. Plain text in, plain text out; the MIME reading is app/evidence/mail.py's."""

from __future__ import annotations

from typing import Any

import lxml.etree
import lxml.html


def unflowed(text: str, delsp: bool) -> str:
    """format=flowed (RFC 3676): a line ending in a space goes on with the next one (without
    that space under delsp=yes); a line's first space is stuffing; "-- " stays the signature
    mark. Quotes of different depths are never joined."""
    lines: list[str] = []
    joined, depth = "", 0
    for line in text.replace("\r\n", "\n").split("\n"):
        quotes = len(line) - len(line.lstrip(">"))
        content = line[quotes:]
        content = content[1:] if content.startswith(" ") else content
        if joined and quotes != depth:
            lines.append(_quoted(depth, joined))
            joined = ""
        depth = quotes
        if content.endswith(" ") and content != "-- ":
            joined += content[:-1] if delsp else content
        else:
            lines.append(_quoted(depth, joined + content))
            joined = ""
    if joined:
        lines.append(_quoted(depth, joined))
    return "\n".join(lines)


def _quoted(depth: int, text: str) -> str:
    return f"{'>' * depth} {text}" if depth else text


def html_to_text(html: str) -> str:
    """The visible text of an HTML body: scripts, styles and comments dropped, one line per
    block. Parsed as UTF-8 bytes (the text is already decoded), so that an XML declaration
    naming another encoding neither fails nor misleads the parser."""
    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        tree = lxml.html.fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except lxml.etree.ParserError:  # nothing but comments or declarations: no text
        return ""
    for element in tree.xpath("//script|//style|//head"):
        element.drop_tree()
    blocks = ("br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "pre", "table", "dt", "dd", "hr", "address", "section", "article", "header",
              "footer")
    for element in tree.xpath("|".join(f"//{tag}" for tag in blocks)):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":  # and a line of its own: "1 280,00 €Message cité"
            _line_before(element)
    # a table's cells side by side, not run together ("F-2026-121 200,00 €" read as one
    # amount); the separator goes before every cell but a row's first
    for cell in tree.xpath("//td[preceding-sibling::td or preceding-sibling::th]"
                           "|//th[preceding-sibling::td or preceding-sibling::th]"):
        cell.text = " | " + (cell.text or "")
    lines = (line.strip() for line in tree.text_content().splitlines())
    return "\n".join(lines)


def _line_before(element: Any) -> None:
    """End the text before `element` with a line break, unless it already ends with one."""
    before = element.getprevious()
    if before is not None:
        if not (before.tail or "").endswith("\n"):
            before.tail = (before.tail or "") + "\n"
    elif (parent := element.getparent()) is not None and (parent.text or "").strip():
        parent.text = parent.text + "\n"
