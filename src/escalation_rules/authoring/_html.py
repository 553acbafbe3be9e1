"""The page of a policy as one self-contained HTML file: inline CSS and SVG, no script,
nothing fetched, and laid out to print on A4."""

from __future__ import annotations

import re
from html import escape

from ..policy._model import Policy
from ._page import Block, Flowchart, Heading, Paragraph, Table, page
from ._svg import svg

_STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt;
  color: #1a1a1a; max-width: 190mm; margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; border-bottom: 1px solid #999; margin-top: 1.6em; break-after: avoid; }
h3 { font-size: 12pt; margin-top: 1.2em; break-after: avoid; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; background: #f2f2f2;
  padding: 0 0.2em; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0.5em 0 1em;
  table-layout: fixed; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; hyphens: auto; }
th { background: #eee; }
tr { break-inside: avoid; }
figure { margin: 0.5em 0 1em; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #555; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 12px; fill: #1a1a1a; }
svg text.title { font-weight: bold; }
svg text.label { font-size: 11px; fill: #444; }
svg text.harm { fill: #b3261e; }
@media print { body { margin: 0; max-width: none; } }
"""


def html(policy: Policy) -> str:
    """The readable page of a policy as a self-contained HTML document."""
    body = "\n".join(_block(block) for block in page(policy))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(policy.title)}: escalation policy</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_inline(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.text)}</p>"
    if isinstance(block, Table):
        head = "".join(f"<th>{_inline(h)}</th>" for h in block.headers)
        columns = "".join(f'<col style="width: {w}%">' for w in _widths(block.headers))
        rows = "\n".join(
            "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return (
            f"<table>\n<colgroup>{columns}</colgroup>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>"
        )
    return _figure(block)


def _widths(headers: tuple[str, ...]) -> list[int]:
    """Column widths in percent: the name of the thing wider, the paragraph narrow, the rest
    shared, so that a fixed layout (which keeps the table on the page) reads well."""
    first, last = 20, 12 if headers[-1] == "Paragraph" else 0
    rest = len(headers) - 1 - (1 if last else 0)
    share = (100 - first - last) // max(rest, 1)
    return [first, *([share] * rest), *([last] if last else [])]


def _figure(chart: Flowchart) -> str:
    return (
        f"<figure>\n{svg(chart)}\n<figcaption>The stages of {escape(chart.title)}, each "
        "leading to the next when the matter is escalated; dashed: where significant harm "
        "leads.</figcaption>\n</figure>"
    )


def _inline(text: str) -> str:
    """Text escaped for HTML, with the page's `ids` shown as code."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", escape(text, quote=False))
