"""A pathway's flowchart as inline SVG: the stages in a column, each leading to the next, and
the significant-harm route beside them with dashed arrows to where it leads. Laid out here,
with no script and nothing fetched, so the page draws the same offline and on paper."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

from ._page import Flowchart, Node

_CHAIN_X = 10
_CHAIN_WIDTH = 440
_SIDE_X = 520
_SIDE_WIDTH = 250
_LINE = 16
_PAD = 10
_GAP = 40
_CHARS_CHAIN = 60
_CHARS_SIDE = 32
_FILL = {"start": "#e8eef7", "stage": "#ffffff", "referral": "#f3ecf8", "harm": "#fdecea"}


@dataclass(frozen=True, slots=True)
class _Box:
    node: Node
    x: int
    y: int
    width: int
    lines: tuple[str, ...]
    title_lines: int
    """How many of `lines` are the node's first line, its title, wrapped."""

    @property
    def height(self) -> int:
        return 2 * _PAD + _LINE * len(self.lines)

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


def svg(chart: Flowchart) -> str:
    """The flowchart as an `<svg>` element, scaled to the width it is given."""
    boxes: dict[str, _Box] = {}
    y = 10
    for node in chart.chain:
        box = _Box(node, _CHAIN_X, y, _CHAIN_WIDTH, *_wrapped(node, _CHARS_CHAIN))
        boxes[node.id] = box
        y += box.height + _GAP
    side_y = boxes[chart.chain[1].id].y if len(chart.chain) > 1 else 10
    for node in chart.side:
        box = _Box(node, _SIDE_X, side_y, _SIDE_WIDTH, *_wrapped(node, _CHARS_SIDE))
        boxes[node.id] = box
        side_y += box.height + _GAP
    height = max(box.y + box.height for box in boxes.values()) + 10
    width = _SIDE_X + _SIDE_WIDTH + 10 if chart.side else _CHAIN_X + _CHAIN_WIDTH + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="Flowchart of the pathway {escape(chart.title)}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
    ]
    for before, after in zip(chart.chain, chart.chain[1:], strict=False):
        top, bottom = boxes[before.id], boxes[after.id]
        x = _CHAIN_X + _CHAIN_WIDTH // 2
        parts.append(
            f'<line x1="{x}" y1="{top.y + top.height}" x2="{x}" y2="{bottom.y - 2}" '
            'stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
        if before.shape != "start":
            parts.append(_text(x + 8, top.y + top.height + _GAP // 2 + 4, "escalated", "label"))
    for edge in chart.edges:
        source, target = boxes[edge.source], boxes[edge.target]
        dash = ' stroke-dasharray="6 4"' if edge.dashed else ""
        parts.append(
            f'<path d="M{source.x},{source.middle} C{source.x - 40},{source.middle} '
            f"{target.x + target.width + 40},{target.middle} "
            f'{target.x + target.width + 2},{target.middle}" fill="none" stroke="#b3261e" '
            f'stroke-width="1.5"{dash} marker-end="url(#arrow)"/>'
        )
        if edge.label:
            parts.append(
                _text(target.x + target.width + 6, target.middle - 6, edge.label, "label harm")
            )
    parts += [_box(box) for box in boxes.values()]
    parts.append("</svg>")
    return "\n".join(parts)


def _wrapped(node: Node, width: int) -> tuple[tuple[str, ...], int]:
    lines: list[str] = []
    title_lines = 0
    for n, line in enumerate(node.lines):
        lines += textwrap.wrap(line, width) or [""]
        if n == 0:
            title_lines = len(lines)
    return tuple(lines), title_lines


def _box(box: _Box) -> str:
    radius = box.height // 2 if box.node.shape == "start" else 6
    stroke = "#b3261e" if box.node.shape == "harm" else "#333"
    parts = [
        f'<g class="node {box.node.shape}">',
        f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" '
        f'rx="{radius}" fill="{_FILL[box.node.shape]}" stroke="{stroke}" stroke-width="1.5"/>',
    ]
    for n, line in enumerate(box.lines):
        weight = "title" if n < box.title_lines else "detail"
        parts.append(_text(box.x + _PAD, box.y + _PAD + 12 + n * _LINE, line, weight))
    parts.append("</g>")
    return "".join(parts)


def _text(x: int, y: int, text: str, kind: str) -> str:
    return f'<text x="{x}" y="{y}" class="{kind}">{escape(text)}</text>'
