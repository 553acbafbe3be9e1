"""`show`: the readable page of a policy, as Markdown with a Mermaid flowchart and as one
self-contained HTML file, checked for what it says, kept current under docs/policies/, and
drawn in a real headless Chromium."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from browser import chromium, mermaid_script

from escalation_rules import bundled_policies, load_policy
from escalation_rules.authoring._html import html
from escalation_rules.authoring._markdown import markdown
from escalation_rules.cli import run

DOCS = Path(__file__).resolve().parent.parent / "docs" / "policies"


def mermaid(text: str) -> list[str]:
    block = text[text.index("```mermaid\n") + 11 :]
    return block[: block.index("```")].splitlines()


def test_the_markdown_flowchart_has_every_stage_the_referral_and_the_harm_route() -> None:
    lines = mermaid(markdown(load_policy("newcastle")))
    assert lines[0] == "flowchart TD"
    assert '    raised(["Raised"])' in lines
    assert lines[2] == (
        '    s1["Stage 1: Practitioner to practitioner<br/>Practitioner<br/>5 working days'
        '<br/>(5.1.I)"]'
    )
    assert [line for line in lines if "-->" in line] == [
        "    raised --> s1",
        "    s1 -->|escalated| s2",
        "    s2 -->|escalated| s3",
        "    s3 -->|escalated| s4",
        "    s4 -->|escalated| s5",
        "    s5 -->|escalated| referral",
    ]
    assert any(line.startswith('    referral[["Final referral:') for line in lines)
    harm = next(line for line in lines if line.startswith("    harm{{"))
    assert "The stage does not change" in harm and "(1.5)" in harm


@pytest.mark.parametrize(
    ("name", "edges"),
    [
        ("rutland", ["    harm -.->|goes straight to| s4"]),
        (
            "brighton_hove",
            [
                "    harm -.->|the raiser chooses| s1",
                "    harm -.-> s2",
                "    harm -.-> s3",
                "    harm -.-> s4",
            ],
        ),
        ("halton", []),
    ],
)
def test_the_harm_route_leads_where_the_document_says(name: str, edges: list[str]) -> None:
    lines = mermaid(markdown(load_policy(name)))
    assert [line for line in lines if line.startswith("    harm -")] == edges


def test_the_stage_table_says_who_with_whom_how_long_from_when_if_missed_and_where() -> None:
    text = markdown(load_policy("newcastle"))
    assert (
        "| 2\\. Line manager or safeguarding/designated lead to their equivalent | Line manager "
        "or safeguarding/designated lead | Line manager or safeguarding/designated lead | 5 "
        "working days | entering this stage | If there remains disagreement Stage 3 is "
        "implemented | 5.1.II |"
    ) in text.replace("2. Line", "2\\. Line")
    assert (
        "| 1. Practitioner to practitioner | Practitioner | Practitioner | 5 working days | the "
        "date given: when the practitioner became concerned about the professional "
        "disagreement |"
    ) in text
    pan_dorset = markdown(load_policy("pan_dorset"))
    assert "| entering stage 2 (" in pan_dorset  # stage three counts from entering stage two
    assert "## Calendar" in text and "Close of business: 17:00" in text
    assert "The calendar covers 2000 to 2099." in text


def test_the_html_is_one_self_contained_file_that_prints_on_a4() -> None:
    page = html(load_policy("newcastle"))
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.IGNORECASE)
    assert "@import" not in page and "url(http" not in page
    assert "@page { size: A4;" in page
    assert page.count("<svg") == len(load_policy("newcastle").pathways)

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in {"meta", "br", "col", "path", "rect", "line", "marker", "defs"}:
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in {"meta", "br", "col", "path", "rect", "line", "marker", "defs"}:
                return
            assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
            self.open.pop()

    checker = Checker()
    checker.feed(page)
    assert checker.open == []


AWKWARD = (
    resources.files("escalation_rules")
    .joinpath("policies", "newcastle.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "title: Practitioner to practitioner", 'title: "<b>Practitioner</b> | `x` \\"q\\" #1"', 1
    )
)


def test_text_from_the_policy_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "escaped.yaml"
    path.write_text(AWKWARD, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["show", str(path), "--format", "html"], out, err) == 0, err.getvalue()
    assert "<b>Practitioner</b>" not in out.getvalue()
    assert "&lt;b&gt;Practitioner&lt;/b&gt;" in out.getvalue()
    out = io.StringIO()
    assert run(["show", str(path)], out, err) == 0
    assert "\\<b\\>Practitioner\\</b\\> \\| " in out.getvalue()
    assert "#lt;b#gt;Practitioner#lt;/b#gt; #124; #96;x#96; #quot;q#quot; #35;1" in out.getvalue()


@pytest.mark.parametrize("name", bundled_policies())
def test_the_pages_under_docs_are_current(name: str) -> None:
    if not DOCS.is_dir():
        pytest.skip("docs/policies is not in this checkout")
    policy = load_policy(name)
    for suffix, made in (("md", markdown(policy)), ("html", html(policy))):
        committed = DOCS / f"{name}.{suffix}"
        assert committed.read_text(encoding="utf-8") == made, (
            f"docs/policies/{name}.{suffix} is out of date: run escalation-rules show {name} "
            f"--format {'markdown' if suffix == 'md' else 'html'} -o docs/policies/{name}.{suffix}"
        )


def test_show_writes_to_a_file_and_refuses_a_policy_that_does_not_load(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "page.html"
    assert run(["show", "halton", "--format", "html", "-o", str(target)], out, err) == 0
    assert target.read_text(encoding="utf-8") == html(load_policy("halton"))
    assert run(["show", "no_such_policy"], out, err) == 2
    assert "unknown_policy" in err.getvalue()


@pytest.fixture(scope="module")
def browser_path() -> str:
    path, why = chromium()
    if path is None:
        pytest.skip(f"the page is not drawn in a browser here: {why}")
    return path


@pytest.mark.parametrize("name", ["newcastle", "rutland"])
def test_the_html_renders_in_headless_chromium(
    name: str, browser_path: str, tmp_path: Path
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    image = pytest.importorskip("PIL.Image")
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(html(load_policy(name)), encoding="utf-8")
    problems: list[str] = []
    requests: list[str] = []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            shot = tmp_path / f"{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            # On A4 (210 mm less 14 mm margins each side, at 96 px an inch) nothing is wider
            # than the paper.
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 688, "height": 1000})
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert problems == []
    assert requests == [page_file.as_uri()]  # nothing fetched but the page itself
    assert overflow <= 0
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    with image.open(shot) as picture:
        width, height = picture.size
        assert width == 1000 and height > 2000
        dark = sum(picture.convert("L").histogram()[:128])
    # Text, lines and boxes: far from blank, far from filled.
    assert 0.01 < dark / (width * height) < 0.5


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)


def test_every_flowchart_renders_in_mermaid_itself(
    browser_path: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("mermaid")
    script, why = mermaid_script(str(folder))
    if script is None:
        pytest.skip(f"the flowcharts are not drawn by Mermaid here: {why}")
    page_file = folder / "page.html"
    page_file.write_text(
        f"<!DOCTYPE html><html><body><script src='{Path(script).as_uri()}'></script></body></html>",
        encoding="utf-8",
    )
    charts = [
        block
        for name in bundled_policies()
        for block in mermaid_blocks(markdown(load_policy(name)))
    ]
    assert len(charts) == sum(len(load_policy(name).pathways) for name in bundled_policies())
    draw = """async (charts) => {
        mermaid.initialize({startOnLoad: false});
        const drawn = [];
        for (const [n, chart] of charts.entries()) {
            try { drawn.push((await mermaid.render('chart' + n, chart)).svg.length); }
            catch (error) { drawn.push(String(error)); }
        }
        return drawn;
    }"""
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=browser_path, args=["--no-sandbox", "--allow-file-access-from-files"]
        )
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            drawn = page.evaluate(draw, charts)
            broken = page.evaluate(draw, ['flowchart TD\n    a["x"] -->|y z'])
        finally:
            browser.close()
    assert [d for d in drawn if not isinstance(d, int)] == []
    assert all(size > 10_000 for size in drawn)  # an SVG with every box and arrow
    assert isinstance(broken[0], str) and "Parse error" in broken[0]  # the check can fail
