"""`bdur chart`: terminal bars (literally) and the SVG (bars proportional to the figures)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from bdur_cli.render.chart import nice_step
from conftest import PLAN, bdur

SVG = "{http://www.w3.org/2000/svg}"
ZERO_D = Decimal(0)

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
Funding status: 2023 granted; 2024-2026 forecast
"""


def run(*args: str) -> tuple[int, str, str]:
    result = bdur(*args, "-f", str(PLAN))
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
    assert lines[-2].count("█") == 24  # 1,207,149 / 50,000


def test_terminal_chart_in_dutch() -> None:
    code, out, _ = run("chart", "--locale", "nl", "--years", "2025..2026")
    assert code == 0
    assert out.splitlines()[:4] == [
        "Beschikbaar tegenover gepland, 2025-2026", "elke █ = € 50.000", "",
        "2025  beschikbaar  ███████████████████████████████████████████       € 2.150.000"]
    assert out.splitlines()[-2:] == ["2026  │████████████████████████  € +1.207.149",
                                     "Status beschikbaar: 2025-2026 prognose"]


def test_terminal_chart_in_thousands_says_so() -> None:
    # "each █ = €50" alone read as fifty euros: the unit stands under the chart, as under the
    # tables and in the SVG; in euros there is no such line.
    _, out, _ = run("chart", "--unit", "thousand")
    lines = out.splitlines()
    assert lines[1] == "each █ = €50"
    assert lines[-3:] == ["", "amounts x €1,000",
                          "Funding status: 2023 granted; 2024-2026 forecast"]
    _, out, _ = run("chart", "--unit", "thousand", "--locale", "nl")
    assert out.splitlines()[-2] == "bedragen x € 1.000"
    assert "amounts x" not in run("chart")[1]


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


# --- a plan with income: net cost against funding ---------------------------------------------

NOORDERKUST = PLAN.parent.parent / "examples" / "noorderkust.yaml"


def test_plan_with_income_draws_net_cost_in_the_terminal() -> None:
    # examples/noorderkust.yaml, by hand in its comments: 2025 gross 672,005, income 45,810,
    # net 626,195; at 20,000 a block: 626,195 -> 31 blocks, 672,005 -> 34 (3 of income).
    result = bdur("chart", "-f", str(NOORDERKUST))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Funding against net cost, 2024-2027", "each █ = €20,000",
                         "░ income from partners (net cost + income = planned)"]
    row = next(line for line in lines if line.strip().startswith("net cost") and "45,810" in
               line)
    assert (row.count("█"), row.count("░")) == (31, 3)
    assert row.endswith("€626,195 + €45,810 income")
    assert "2024  funding   ██████████████████████████████      €600,000" in lines


def test_plan_with_income_svg_stacks_income_on_net_cost(tmp_path: Path) -> None:
    target = tmp_path / "noorderkust.svg"
    result = bdur("chart", "-f", str(NOORDERKUST), "-o", str(target))
    assert result.exit_code == 0, result.output
    bars = {(b.get("data-year"), b.get("data-series")): b for b in _bars(target)}
    assert not any(series == "planned" for _, series in bars)
    net, income = bars[("2025", "net")], bars[("2025", "income")]
    funding = bars[("2025", "funding")]
    assert (Decimal(net.get("data-value", "")), Decimal(income.get("data-value", "")),
            Decimal(funding.get("data-value", ""))) == (626_195, 45_810, 661_080)
    height = {k: Decimal(b.get("height", "")) for k, b in
              (("net", net), ("income", income), ("funding", funding))}
    # One scale: the heights stand as the figures do (to the 0.01 px the SVG keeps).
    assert abs(height["net"] * 661_080 - height["funding"] * 626_195) <= 661_080 * \
        Decimal("0.02")
    # The income sits on top of the net cost: together the gross 672,005, above funding.
    assert abs(Decimal(income.get("y", "")) + height["income"] - Decimal(net.get("y", ""))) \
        <= Decimal("0.01")
    assert height["net"] + height["income"] > height["funding"] > height["net"]
    tips = [t.text for t in ET.parse(target).getroot().iter(f"{SVG}title")]
    assert {"2025 net cost: €626,195", "2025 income: €45,810"} <= set(tips)


# --- budget against realisation -----------------------------------------------------------------

MAPPING = PLAN.parent.parent / "examples" / "realisation" / "mapping.yaml"


def test_realisation_in_the_terminal() -> None:
    # By hand (tests/test_realisation.py): 2024 budget 1,505,000 + 112,500 amended =
    # 1,617,500, realised 1,559,265.44; 2026 to October 1,311,250 realised and 267,500
    # forecast (1,605,000 x 2/12). At 50,000 a block: 1,311,250 -> 26, expected 1,578,750 -> 32.
    result = bdur("chart", "-m", str(MAPPING), "--through", "2026-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Budget against realisation, 2023-2026"
    assert "2024  budget    ████████████████████████████████    €1,617,500" in lines
    assert "      realised  ███████████████████████████████     €1,559,265" in lines
    last = next(line for line in lines if "forecast" in line and line.startswith("      "))
    assert (last.count("█"), last.count("░")) == (26, 6)
    assert last.endswith("€1,311,250 + €267,500 forecast")
    assert "519 postings read" in result.stderr


def test_realisation_svg(tmp_path: Path) -> None:
    target = tmp_path / "realisatie.svg"
    result = bdur("chart", "-m", str(MAPPING), "--through", "2026-10",
                  "--years", "2024..2026", "-o", str(target), "--locale", "nl")
    assert result.exit_code == 0, result.output
    bars = {(b.get("data-year"), b.get("data-series")): b for b in _bars(target)}
    assert {y for y, _ in bars} == {"2024", "2025", "2026"}
    value = {k: Decimal(b.get("data-value", "")) for k, b in bars.items()}
    assert value[("2024", "budget")] == 1_617_500
    assert value[("2024", "realised")] == Decimal("1559265.44")
    assert (value[("2026", "realised")], value[("2026", "forecast")]) == (1_311_250, 267_500)
    assert ("2024", "forecast") not in bars  # a closed year has no forecast
    forecast, realised = bars[("2026", "forecast")], bars[("2026", "realised")]
    assert abs(Decimal(forecast.get("y", "")) + Decimal(forecast.get("height", "")) -
               Decimal(realised.get("y", ""))) <= Decimal("0.01")
    root = ET.parse(target).getroot()
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Begroting en realisatie, 2024-2026"
    assert {"begroting", "realisatie", "prognose"} <= set(texts)
    assert "2026 prognose: € 267.500" in [t.text for t in root.iter(f"{SVG}title")]


def test_chart_realisation_options_need_a_mapping() -> None:
    result = bdur("chart", "--through", "2026-10", "-f", str(PLAN))
    assert result.exit_code == 2
    assert "--through reads the ledger export; it needs --mapping FILE" in result.stderr


# --- fitted to the terminal, with the reserve ---------------------------------------------------

@pytest.mark.parametrize("columns", ["80", "60"])
def test_realisation_chart_at_80_columns_cuts_no_amount(columns: str) -> None:
    result = bdur("chart", "-m", str(MAPPING), "--through", "2026-10",
                  env={"COLUMNS": columns})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    last = next(line for line in lines if "forecast" in line and line.startswith("      "))
    assert last.endswith("€1,311,250 + €267,500 forecast")  # whole, on its line
    # 80 columns: 100,000 a block (50,000 would need 82); 1,311,250 -> 13, 1,578,750 -> 16.
    if columns == "80":
        assert "each █ = €100,000" in lines
        assert (last.count("█"), last.count("░")) == (13, 3)


def test_plan_chart_shows_what_the_reserve_covers() -> None:
    # Noorderkust 2026: funding 464,902 and 72,000 drawn from the reserve against net cost
    # 491,141; at 20,000 a block 464,902 -> 23 blocks, with the drawn money 536,902 -> 27.
    # 2024: net cost 530,000 and 50,000 added to the reserve: 27 blocks, 580,000 -> 29.
    result = bdur("chart", "-f", str(NOORDERKUST), env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert "▒ reserve: drawn beside funding, added beside the cost" in lines
    funding = next(line for line in lines if line.startswith("2026  funding"))
    assert (funding.count("█"), funding.count("▒")) == (23, 4)
    assert funding.endswith("€464,902 + €72,000 drawn")
    cost = next(line for line in lines if line.endswith("€530,000 + €50,000 added"))
    assert (cost.count("█"), cost.count("▒")) == (27, 2)
    assert max(len(line) for line in lines) <= 80


# --- the SVG with the reserve -------------------------------------------------------------------

TWO_CUTS = PLAN.parent.parent / "examples" / "two-cuts" / "plan.yaml"
RESERVE_SERIES = {"reserve_drawn", "reserve_added"}


def _scale(path: Path) -> tuple[Decimal, Decimal]:
    """The chart's own scale, read from its axis: the y of the €0 gridline and the pixels per
    euro between two labelled gridlines (English labels, '€100,000')."""
    axis = next(g for g in ET.parse(path).getroot().iter(f"{SVG}g") if g.get("class") == "axis")
    at = {t.text: Decimal(t.get("y", "")) for t in axis.iter(f"{SVG}text")}
    amounts = {Decimal((k or "").replace("€", "").replace(",", "")): y for k, y in at.items()}
    high = max(amounts)
    return amounts[Decimal(0)], (amounts[Decimal(0)] - amounts[high]) / high


def _reserve_segments(path: Path) -> dict[tuple[int, str], Decimal]:
    return {(int(b.get("data-year", "")), b.get("data-series", "")):
            Decimal(b.get("data-value", "")) for b in _bars(path)
            if b.get("data-series") in RESERVE_SERIES}


def _on_scale(path: Path, amounts: dict[tuple[int, str], Decimal]) -> None:
    """Every reserve segment as high as its amount on the axis's scale, and stacked: its
    bottom is the top of the segment under it (funding, or the cost)."""
    zero, per_euro = _scale(path)
    bars = {(int(b.get("data-year", "")), b.get("data-series", "")): b for b in _bars(path)}
    for (year, series), amount in amounts.items():
        bar = bars[(year, series)]
        assert abs(Decimal(bar.get("height", "")) - amount * per_euro) <= Decimal("0.02")
        under = bars[(year, "funding" if series == "reserve_drawn" else
                      "net" if (year, "net") in bars else "planned")]
        assert abs(Decimal(bar.get("y", "")) + Decimal(bar.get("height", ""))
                   - Decimal(under.get("y", ""))) <= Decimal("0.01")
        assert bar.get("x") == under.get("x") and bar.get("fill") == "url(#bdur-reserve)"
        # The funding (or cost) itself stands on the zero line, as high as its own figure.
        assert abs(Decimal(under.get("y", "")) + Decimal(under.get("height", "")) - zero) \
            <= Decimal("0.01")


def test_svg_stacks_the_reserve_of_two_cuts(tmp_path: Path) -> None:
    # examples/two-cuts/plan.yaml, by hand in its comments: 10,000 added to the reserve in
    # 2025, 30,000 drawn from it in 2026 (funding 360,000 + 30,000 against net 320,000).
    target = tmp_path / "two-cuts.svg"
    result = bdur("chart", "-f", str(TWO_CUTS), "-o", str(target))
    assert result.exit_code == 0, result.output
    amounts = {(2025, "reserve_added"): Decimal(10_000), (2026, "reserve_drawn"): Decimal(30_000)}
    assert _reserve_segments(target) == amounts  # no segment for a year that moves nothing
    _on_scale(target, amounts)
    # The axis runs to €400,000 in 80 px steps of €100,000: 30,000 is 24 px, 10,000 is 8 px.
    assert _scale(target) == (410, Decimal("0.0008"))
    root = ET.parse(target).getroot()
    tips = {t.text for t in root.iter(f"{SVG}title")}
    assert {"2025 added to reserve: €10,000", "2026 drawn from reserve: €30,000"} <= tips
    # One pattern, used by the legend's swatch and the segments.
    patterns = [p for p in root.iter(f"{SVG}pattern")]
    assert [p.get("id") for p in patterns] == ["bdur-reserve"]
    legend = [r.get("fill") for r in root.iter(f"{SVG}rect")
              if r.get("width") == "12" and not r.get("data-series")]
    assert legend.count("url(#bdur-reserve)") == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "reserve drawn / added" in texts
    # The gap bars are funding - net cost - added + drawn, summed: 2025 320,000 - 300,000
    # - 10,000 = +10,000; 2026 +10,000 + 360,000 - 320,000 + 30,000 = +80,000; the note says so.
    gap = {b.get("data-year"): Decimal(b.get("data-value", "")) for b in _bars(target)
           if b.get("data-series") == "cumulative_gap"}
    assert gap == {"2025": 10_000, "2026": 80_000}
    notes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "note"]
    assert notes[-2:] == [
        "Striped: the reserve, drawn on top of the funding bar, added on top of the net cost "
        "bar;", "cumulative gap = funding - net cost - added + drawn, summed"]


def test_svg_reserve_of_noorderkust_agrees_with_totals_json(tmp_path: Path) -> None:
    # The other route: `bdur totals --format json`, each reserve's additions and withdrawals
    # (a withdrawal holds the lines the reserve covers), which its balances confirm.
    result = bdur("totals", "-f", str(NOORDERKUST), "--format", "json")
    assert result.exit_code == 0, result.output
    expected: dict[tuple[int, str], Decimal] = {}
    gap = Decimal(0)
    gaps: dict[str, Decimal] = {}
    for year in json.loads(result.stdout, parse_float=Decimal):
        added = sum((Decimal(r["additions"]) for r in year["reserves"]), Decimal(0))
        drawn = sum((Decimal(r["withdrawals"]) for r in year["reserves"]), Decimal(0))
        assert sum((Decimal(r["opening"]) - Decimal(r["closing"]) for r in year["reserves"]),
                   Decimal(0)) == drawn - added
        expected |= {k: v for k, v in (((year["year"], "reserve_added"), added),
                                       ((year["year"], "reserve_drawn"), drawn)) if v}
        gap += Decimal(year["funding"]) - Decimal(year["net"]) - added + drawn
        gaps[str(year["year"])] = gap
    assert expected == {(2024, "reserve_added"): 50_000, (2026, "reserve_drawn"): 72_000,
                        (2027, "reserve_drawn"): 72_000}
    target = tmp_path / "noorderkust.svg"
    assert bdur("chart", "-f", str(NOORDERKUST), "-o", str(target)).exit_code == 0
    assert _reserve_segments(target) == expected
    _on_scale(target, expected)
    shown = {b.get("data-year"): Decimal(b.get("data-value", "")) for b in _bars(target)
             if b.get("data-series") == "cumulative_gap"}
    assert shown == gaps  # the gap bars follow funding - net cost - added + drawn
    # 2024: the addition sits between the net cost and the income (none that year).
    bars = {(b.get("data-year"), b.get("data-series")): b for b in _bars(target)}
    added, income = bars[("2024", "reserve_added")], bars[("2024", "income")]
    assert Decimal(income.get("y", "")) + Decimal(income.get("height", "")) == \
        Decimal(added.get("y", ""))


def test_svg_reserve_in_dutch_wraps_the_legend_and_moves_the_plot(tmp_path: Path) -> None:
    target = tmp_path / "noorderkust.svg"
    assert bdur("chart", "-f", str(NOORDERKUST), "-o", str(target),
                "--locale", "nl").exit_code == 0
    root = ET.parse(target).getroot()
    legend = [(t.text, t.get("y")) for t in root.iter(f"{SVG}text")
              if t.get("y") in ("69", "87")]
    # Five entries do not fit on one row of 620 px in Dutch: the reserve's starts the second.
    assert legend == [("beschikbaar", "69"), ("netto lasten", "69"),
                      ("bijdragen derden", "69"), ("reserve onttrokken / gedoteerd", "87"),
                      ("cumulatief ruimte / tekort", "87")]
    # The plot moves a row (18 px) down, the image grows as much: no bar reaches the legend.
    assert root.get("height") == str(460 + 18 + 16 * 3)  # a legend row, four lines of notes
    assert min(Decimal(b.get("y", "")) for b in _bars(target)) > 87 + 12
    tips = {t.text for t in root.iter(f"{SVG}title")}
    assert {"2024 gedoteerd aan reserve: € 50.000", "2026 onttrokken aan reserve: € 72.000"} \
        <= tips
    notes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "note"]
    assert notes[-1] == ("cumulatief ruimte / tekort = beschikbaar - netto lasten - dotatie + "
                         "onttrekking, opgeteld")


def test_svg_of_a_plan_without_reserves_has_no_reserve(tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    run("chart", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert "reserve" not in text and "<defs>" not in text and 'height="460"' in text


def test_a_segment_under_half_a_block_is_seen_and_segments_add_up(
        shipped: Callable[..., Path]) -> None:
    # examples/two-cuts/plan.yaml with Havenstad paying 10% of the 40,000 exercise, not 50%:
    # 2026 income 4,000, net cost 336,000, planned 340,000. At 20,000 a block: net 16.8 and
    # planned 17 blocks: rounded cumulative ends gave the income no block (17 - 17), so the
    # bar read as net cost alone. Now it has one, from the net cost (16 + 1 = 17, planned).
    plan = shipped(str(TWO_CUTS.relative_to(PLAN.parent.parent)),
                   "share: 50%, status: granted", "share: 10%, status: granted")
    lines = bdur("chart", "-f", plan, env={"COLUMNS": "80"}).stdout.splitlines()
    assert "each █ = €20,000" in lines
    cost = next(line for line in lines if line.endswith("€336,000 + €4,000 income"))
    assert cost == "      net cost  ████████████████░     €336,000 + €4,000 income"
    # Funding 360,000 (18 blocks) and 30,000 drawn: 390,000 is 19.5, half up 20 blocks.
    funding = next(line for line in lines if line.endswith("€360,000 + €30,000 drawn"))
    assert (funding.count("█"), funding.count("▒")) == (18, 2)
    # 2025: net cost 300,000 (15) and 10,000 added: 310,000 is 15.5, half up 16.
    added = next(line for line in lines if line.endswith("€300,000 + €10,000 added"))
    assert (added.count("█"), added.count("▒")) == (15, 1)


def test_stacked_segments_run_to_their_rounded_cumulative_ends() -> None:
    from bdur_cli.render.chart import _stack

    step = Decimal(50000)
    # A Zuidrand-like year: net 426,250 (8.5 blocks, half up 9), 50,000 added (to 476,250,
    # 9.5, 10) and 23,750 income (to 500,000, 10): the income rounds to no block and takes
    # one from the net cost; the three still make the rounded total, 10.
    assert _stack([Decimal(426250), Decimal(50000), Decimal(23750)], step) == [8, 1, 1]
    assert _stack([Decimal(528704), ZERO_D, Decimal(39463)], step) == [10, 0, 1]
    # A segment of money never vanishes, even when the bar is too short to give a block.
    assert _stack([Decimal(20000), Decimal(10000)], step) == [1, 1]
    assert _stack([ZERO_D, ZERO_D], step) == [0, 0]
    # Without a small segment nothing moves: 478,400 -> 9.568 -> 10.
    assert _stack([Decimal(478400)], step) == [10]
