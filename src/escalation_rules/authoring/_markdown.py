"""The page of a policy as Markdown, with a Mermaid flowchart that code hosts draw."""

from __future__ import annotations

from ..policy._model import Policy
from ._page import Block, Flowchart, Heading, Node, Paragraph, Table, page


def markdown(policy: Policy) -> str:
    """The readable page of a policy as Markdown."""
    return "\n".join(_block(block) for block in page(policy)).rstrip("\n") + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_inline(block.text)}\n"
    if isinstance(block, Paragraph):
        return f"{_inline(block.text)}\n"
    if isinstance(block, Table):
        lines = [
            "| " + " | ".join(_cell(h) for h in block.headers) + " |",
            "|" + "|".join(" --- " for _ in block.headers) + "|",
            *("| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows),
        ]
        return "\n".join(lines) + "\n"
    return _mermaid(block)


def _inline(text: str) -> str:
    """Text as Markdown shows it literally: characters that would start markup escaped,
    except inside `code`, which the page uses for ids."""
    parts = " ".join(text.split()).split("`")
    for i in range(0, len(parts), 2):  # the even parts are outside code spans
        parts[i] = "".join("\\" + c if c in "\\*_[]<>|" else c for c in parts[i])
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("|", "\\|")
    return "`".join(parts)


def _cell(text: str) -> str:
    return _inline(text) or " "


def _mermaid(chart: Flowchart) -> str:
    lines = ["```mermaid", "flowchart TD"]
    for node in (*chart.chain, *chart.side):
        lines.append(f"    {node.id}{_shape(node)}")
    for before, after in zip(chart.chain, chart.chain[1:], strict=False):
        label = "" if before.shape == "start" else "|escalated|"
        lines.append(f"    {before.id} -->{label} {after.id}")
    for edge in chart.edges:
        arrow = "-.->" if edge.dashed else "-->"
        label = f"|{_label(edge.label)}|" if edge.label else ""
        lines.append(f"    {edge.source} {arrow}{label} {edge.target}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _shape(node: Node) -> str:
    text = "<br/>".join(_label(line) for line in node.lines)
    if node.shape == "start":
        return f'(["{text}"])'
    if node.shape == "harm":
        return f'{{{{"{text}"}}}}'
    if node.shape == "referral":
        return f'[["{text}"]]'
    return f'["{text}"]'


def _label(text: str) -> str:
    """Text inside a Mermaid label: quotes and markup characters as entity codes."""
    codes = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;", "#": "#35;", "`": "#96;"}
    return "".join(codes.get(char, char) for char in " ".join(text.split()))
