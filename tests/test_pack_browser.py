"""The board pack in a real browser: headless Chromium prints the HTML to PDF and takes a
screenshot; the PDF's pages are counted, its text must hold every figure of `--format json`
for the same files, and no table may be wider than the A4 text width. The PDF of WeasyPrint
(the `pdf` extra) is held to the same figures, with its fonts embedded.

Chromium is Debian's `chromium` (.ci/run installs it); without it these tests skip and say so.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, bdur

pypdf = pytest.importorskip("pypdf", reason="pypdf (the test extra) reads the PDF's text")

MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"
AMENDED = ROOT / "examples" / "realisation" / "begrotingswijziging-2024-1.yaml"
ARGS = ["-m", str(MAPPING), "--through", "2026-10", "--locale", "nl"]

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium; "
    ".ci/run installs it): the pack's print layout is not tested")


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True, text=True, timeout=180, check=True)


@pytest.fixture(scope="module")
def pack_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "pack.html"
    result = bdur("pack", *ARGS, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _json(*args: str) -> Any:
    result = bdur(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _whole(value: Any) -> str:
    """A figure as the Dutch board reads it in whole euros: 1314126.54 -> 1.314.127 (half up,
    as docs/rounding.md says), sign left out (the text has it before the euro sign)."""
    n = abs(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))
    return f"{n:,}".replace(",", ".")


def _cents(value: Any) -> str:
    return f"{abs(Decimal(str(value))):,.2f}".replace(",", "_").replace(".", ",") \
        .replace("_", ".")


def expected_figures() -> set[str]:
    """Every figure of the JSON the pack shows: the realisation (`report -m`), the year
    totals of the plan (`totals`), to whole euros; the reconciliation and the unmapped
    postings to the cent; percentages and fte as the Dutch write them."""
    analysis = _json("report", "-m", str(MAPPING), "--through", "2026-10")
    plan = _json("totals", "-f", str(AMENDED))
    money = ("primitive_budget", "budget", "realised", "forecast", "expected", "deviation",
             "funding", "result")
    out: set[str] = set()
    for y in analysis["years"]:
        for rows in [y, *y["parts"].values()]:
            out |= {_whole(rows[k]) for k in money if k in rows}
            if rows.get("percent") is not None:
                out.add(f"{Decimal(str(rows['percent'])):.1f}".replace(".", ",") + "%")
            out |= {str(rows[k]).replace(".", ",") for k in ("fte", "fte_in_place")}
    for r in analysis["reserve"]["years"]:
        out |= {_whole(r[k]) for k in ("opening", "additions", "withdrawals", "closing")}
    for part in ("read", "mapped", "unmapped", "outside_horizon", "ambiguous"):
        out.add(_cents(analysis["reconciliation"][part]["total"]))
        out.add(str(analysis["reconciliation"][part]["postings"]))
    out |= {_cents(p["amount"]) for p in analysis["unmapped"]}
    for y in plan:  # totals --format json: one object per year
        out |= {_whole(y[k]) for k in ("funding", "planned", "gap", "cumulative_gap")}
    return out


@pytest.fixture(scope="module")
def chromium_pdf(pack_html: Path) -> Path:
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed")
    pdf = pack_html.with_suffix(".pdf")
    _chromium(pack_html.parent, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
              pack_html.as_uri())
    return pdf


def _text(pdf: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", "", text)


@needs_chromium
def test_chromium_prints_every_figure_on_a_bounded_number_of_pages(chromium_pdf: Path) -> None:
    pages, text = _text(chromium_pdf)
    # Title, summary, plan (3), realisation (2), four years (2-3 each), appendix (2).
    assert 14 <= pages <= 26, pages
    missing = sorted(f for f in expected_figures() if f not in text)
    assert not missing, missing
    # The page numbers of the print CSS: "1 / N" on the first page, "N / N" on the last.
    assert f"1/{pages}" in text and f"{pages}/{pages}" in text


#: Injected into a copy of the pack (the pack itself has no script): each section is laid out
#: at its print text width (max-width 180 mm, or 267 mm for a landscape section); any element
#: reaching past its section's right edge is reported in <pre id="overflow">.
CHECK = """<script>
const out = [];
for (const s of document.querySelectorAll('section')) {
  const edge = s.getBoundingClientRect().right + 1;
  for (const el of s.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > edge)
      out.push(s.id + ' ' + el.tagName + ' ' + Math.round(r.right - edge));
  }
  if (s.scrollWidth > s.clientWidth + 1) out.push(s.id + ' scrollWidth ' + s.scrollWidth);
}
const pre = document.createElement('pre');
pre.id = 'overflow';
pre.textContent = JSON.stringify({width: document.documentElement.scrollWidth, out: out});
document.body.appendChild(pre);
</script>"""


@needs_chromium
def test_nothing_is_wider_than_the_a4_text_width(pack_html: Path, tmp_path: Path) -> None:
    html = pack_html.read_text(encoding="utf-8")
    # The copy drops the policy that forbids scripts, and gets the check.
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    copy = tmp_path / "check.html"
    copy.write_text(html.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    # 1,100 CSS pixels: wider than a landscape A4 text width (267 mm = 1,009 px).
    dom = _chromium(tmp_path, "--window-size=1100,1600", "--dump-dom", copy.as_uri()).stdout
    found = re.search(r'<pre id="overflow">(.*?)</pre>', dom, re.S)
    assert found, dom[-500:]
    report = json.loads(found.group(1).replace("&quot;", '"'))
    assert report["out"] == []
    assert report["width"] <= 1100


@needs_chromium
def test_screenshot_of_the_first_page(pack_html: Path, tmp_path: Path) -> None:
    shot = tmp_path / "pack.png"
    # A4 portrait at 96 dpi: 794 x 1123 CSS pixels.
    _chromium(tmp_path, "--window-size=794,1123", "--hide-scrollbars",
              f"--screenshot={shot}", pack_html.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (794, 1123)
    assert len(data) > 20_000  # a page with text on it, not a blank one


#: The stripes of the reserve's segments (bdur_cli.render.chart.RESERVE_PATTERN) and the blue
#: of the funding, as RGB.
STRIPES = ((0x2C, 0xA0, 0x2C), (0xC7, 0xE9, 0xC0))
FUNDING = (0x1F, 0x77, 0xB4)


@needs_chromium
def test_screenshot_shows_the_reserve_on_the_bars(tmp_path: Path) -> None:
    """examples/two-cuts/plan.yaml: the 30,000 drawn in 2026 on the funding bar and the 10,000
    added in 2025 on the cost bar are seen striped in the browser, where the SVG puts them."""
    image = pytest.importorskip("PIL.Image", reason="Pillow (WeasyPrint's) reads the PNG")
    svg = tmp_path / "chart.svg"
    result = bdur("chart", "-f", str(ROOT / "examples" / "two-cuts" / "plan.yaml"),
                  "-o", str(svg))
    assert result.exit_code == 0, result.output
    root = ET.parse(svg).getroot()
    shot = tmp_path / "chart.png"
    _chromium(tmp_path, f"--window-size=760,{root.get('height')}", "--hide-scrollbars",
              "--force-device-scale-factor=1", f"--screenshot={shot}", svg.as_uri())
    png = image.open(shot).convert("RGB")

    def near(pixel: tuple[int, int, int], colour: tuple[int, int, int]) -> bool:
        return all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True))

    def pixels(bar: ET.Element) -> list[tuple[int, int, int]]:
        """The bar's inside, a pixel in from its edges (anti-aliased)."""
        x, y = float(bar.get("x", "")), float(bar.get("y", ""))
        w, h = float(bar.get("width", "")), float(bar.get("height", ""))
        return [png.getpixel((i, j)) for i in range(round(x) + 1, round(x + w) - 1)
                for j in range(round(y) + 1, round(y + h) - 1)]

    bars = {(b.get("data-year"), b.get("data-series")): b
            for b in root.iter("{http://www.w3.org/2000/svg}rect") if b.get("data-series")}
    for key in (("2026", "reserve_drawn"), ("2025", "reserve_added")):
        inside = pixels(bars[key])
        assert len(inside) > 300, key  # 24 x 83 px and 8 x 83 px
        for colour in STRIPES:  # both stripes, each a good part of the segment
            assert sum(near(p, colour) for p in inside) > len(inside) // 5, (key, colour)
        assert not any(near(p, FUNDING) for p in inside), key
    # Under the drawn money, the funding bar is solid blue.
    funding = pixels(bars[("2026", "funding")])
    assert sum(near(p, FUNDING) for p in funding) == len(funding)


def test_weasyprint_pdf_holds_every_figure_with_fonts_embedded(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="WeasyPrint (the pdf extra) is not installed")
    out = tmp_path / "pack.pdf"
    result = bdur("pack", *ARGS, "-o", str(out))
    assert result.exit_code == 0, result.output
    pages, text = _text(out)
    assert 14 <= pages <= 26, pages
    missing = sorted(f for f in expected_figures() if f not in text)
    assert not missing, missing
    reader = pypdf.PdfReader(out)
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                d = descendant.get_object().get("/FontDescriptor")
                if d is not None:
                    d = d.get_object()
                    fonts[str(d["/FontName"])] = any(
                        k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
