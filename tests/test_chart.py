"""`bdur chart`: terminal bars (literally) and the SVG (bars proportional to the figures)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bdur_cli.cli import app
from bdur_cli.render.chart import nice_step
from conftest import PLAN

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"

TERMINAL = """\
Funding against planned, 2023-2026
each █ = €50,000

2023  funding  ████████████████████████████                      €1,407,149
      planned  ██████████████████████████████████                €1,685,000
2024  funding  █████████████████████████████████                 €1,650,000
      planned  ██████████████████████████████                    €1,505,000
2025  funding  ███████████████████████████████████████████       €2,150,000
      planned  ████████████████████████████████                  €1,605,000
2026  funding  ████████████████████████████████████████████████  €2,400,000
      planned  ████████████████████████████████                  €1,605,000

Cumulative gap (funding - planned, summed)

2023  ██████│                          -€277,851
2024     ███│                          -€132,851
2025        │████████                  +€412,149
2026        │████████████████████████  +€1,207,149
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-f", str(PLAN)])
    return result.exit_code, result.stdout, result.stderr


def test_terminal_chart_literally() -> None:
    code, out, err = run("chart")
    assert (code, err) == (0, "")
    assert out == TERMINAL
    assert "\x1b[" not in out


def test_terminal_chart_bars_follow_the_figures() -> None:
    # 1,407,149 / 50,000 = 28.1 -> 28 blocks; 1,685,000 / 50,000 = 33.7 -> 34 blocks.
    _, out, _ = run("chart")
    lines = out.splitlines()
    assert lines[3].count("█") == 28 and lines[4].count("█") == 34
    assert lines[-1].count("█") == 24  # 1,207,149 / 50,000


def test_terminal_chart_in_dutch() -> None:
    code, out, _ = run("chart", "--locale", "nl", "--years", "2025..2026")
    assert code == 0
    assert out.splitlines()[:4] == [
        "Beschikbaar tegenover gepland, 2025-2026", "elke █ = € 50.000", "",
        "2025  beschikbaar  ███████████████████████████████████████████       € 2.150.000"]
    assert out.splitlines()[-1] == "2026  │████████████████████████  € +1.207.149"


def _bars(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return [e for e in root.iter(f"{SVG}rect") if e.get("data-series")]


def test_svg_bars_are_proportional_to_the_figures(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    code, out, err = run("chart", "--output", str(target))
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    bars = _bars(target)
    figures = {(b.get("data-year"), b.get("data-series")): Decimal(b.get("data-value", ""))
               for b in bars}
    assert figures == {
        ("2023", "funding"): 1_407_149, ("2023", "planned"): 1_685_000,
        ("2023", "cumulative_gap"): -277_851,
        ("2024", "funding"): 1_650_000, ("2024", "planned"): 1_505_000,
        ("2024", "cumulative_gap"): -132_851,
        ("2025", "funding"): 2_150_000, ("2025", "planned"): 1_605_000,
        ("2025", "cumulative_gap"): 412_149,
        ("2026", "funding"): 2_400_000, ("2026", "planned"): 1_605_000,
        ("2026", "cumulative_gap"): 1_207_149}
    # One scale for every bar: height / |value| is the same (to the 0.01 px the SVG keeps).
    ratios = [Decimal(b.get("height", "")) / abs(Decimal(b.get("data-value", "")))
              for b in bars]
    for bar, ratio in zip(bars, ratios, strict=True):
        value = abs(Decimal(bar.get("data-value", "")))
        assert abs(ratio - ratios[0]) * value <= Decimal("0.01"), bar.attrib
    # The highest bar is funding 2026; planned 2023 rises above funding 2023.
    heights = {(b.get("data-year"), b.get("data-series")): Decimal(b.get("height", ""))
               for b in bars}
    assert max(heights.values()) == heights[("2026", "funding")]
    assert heights[("2023", "planned")] > heights[("2023", "funding")]


def test_svg_shortfall_hangs_below_the_zero_line(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    run("chart", "-o", str(target))
    bars = {(b.get("data-year"), b.get("data-series")): b for b in _bars(target)}
    shortfall, room = bars[("2023", "cumulative_gap")], bars[("2025", "cumulative_gap")]
    funding = bars[("2023", "funding")]
    zero = Decimal(funding.get("y", "")) + Decimal(funding.get("height", ""))
    assert abs(Decimal(shortfall.get("y", "")) - zero) <= Decimal("0.01")
    assert abs(Decimal(room.get("y", "")) + Decimal(room.get("height", "")) - zero) \
        <= Decimal("0.01")
    assert shortfall.get("fill") == "#d62728" and room.get("fill") == "#2ca02c"


def test_svg_has_axis_labels_legend_and_titles(tmp_path: Path) -> None:
    target = tmp_path / "grafiek.svg"
    run("chart", "-o", str(target), "--locale", "nl")
    root = ET.parse(target).getroot()
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Beschikbaar tegenover gepland, 2023-2026"
    assert {"beschikbaar", "gepland", "cumulatief ruimte / tekort"} <= set(texts)
    assert {"€ -500.000", "€ 0", "€ 2.500.000", "2023", "2026"} <= set(texts)
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert "2023 cumulatief ruimte / tekort: € -277.851" in tips


def test_chart_output_must_be_svg(tmp_path: Path) -> None:
    code, _, err = run("chart", "-o", str(tmp_path / "chart.png"))
    assert code == 2
    assert err == (f"error: --output {tmp_path / 'chart.png'}: the chart is saved as SVG; "
                   "use a name ending in .svg [usage]\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("raw", "step"), [
    (Decimal(50_000), 50_000), (Decimal("41666.7"), 50_000), (Decimal(446_308), 500_000),
    (Decimal(120_001), 200_000), (Decimal(2_100), 2_500), (Decimal("0.3"), Decimal("0.5")),
])
def test_nice_step(raw: Decimal, step: Decimal) -> None:
    assert nice_step(raw) == step
