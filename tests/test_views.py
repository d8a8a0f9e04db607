"""Views and formats meet in one interface (`render.view`): every format is one function of
any view that offers it, every view answers each format it offers, and each command offers
exactly its view's formats. The list of views is checked against the classes in render/, so a
new view cannot stay out of it."""

from __future__ import annotations

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import bdur_cli
from bdur_cli import api
from bdur_cli.plan import tables as core
from bdur_cli.render import chart, diff, months, realisation, report
from bdur_cli.render.compare import CompareView
from bdur_cli.render.findings import CheckFormat
from bdur_cli.render.formats import DiffFormat, Format, Output, RealisationFormat, ReportFormat
from bdur_cli.render.style import ENGLISH, Style
from bdur_cli.render.totals import TotalsView
from bdur_cli.render.view import NEEDS, RENDERERS, View, render
from bdur_cli.review import plandiff
from conftest import PLAN, ROOT, SCENARIOS, bdur

MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"
RENDER = ROOT / "bdur_cli" / "render"


def test_every_output_has_exactly_one_renderer() -> None:
    assert set(RENDERERS) == set(Output) == set(NEEDS)


def _views() -> list[View]:
    plan = bdur_cli.load(PLAN).plan
    june = SCENARIOS / "staff-from-june-2023.yaml"
    t2, fte, inc = core.table2(plan), core.fte_table(plan), core.incidental_overview(plan)
    analysis = api.realisation(MAPPING, through="2026-10")
    monthly = api.realisation(MAPPING, year=2026, through="2026-10", by_month=True)
    later = bdur_cli.load(june).plan
    changed = plandiff.RevisionDiff("HEAD", "0" * 40, [
        plandiff.diff("data/allocations.yaml", "data/allocations.yaml", plan, later)])
    return [TotalsView(bdur_cli.totals(plan)), TotalsView(bdur_cli.totals(plan, 2024)),
            CompareView(bdur_cli.compare(PLAN, june)),
            CompareView(bdur_cli.compare(PLAN, june, explain=True), explain=True),
            report.ReportView(t2, fte, inc, "table2"), report.ReportView(t2, fte, inc, "fte"),
            report.ReportView(t2, fte, inc, "incidental"),
            report.TidyView(core.tidy(plan)),
            realisation.RealisationView(analysis), realisation.UnmappedView(analysis),
            realisation.BoardView(analysis, range(2025, 2027)),
            diff.DiffView(changed),
            chart.ChartView(bdur_cli.totals(plan).years),
            chart.RealisationChartView(analysis.realisation.years),
            months.MonthView(monthly, 2026)]


@pytest.fixture(scope="module")
def views() -> list[View]:
    return _views()


def _view_classes() -> set[str]:
    """Every class in render/ that declares the formats it offers."""
    out = set()
    for path in RENDER.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and
                                                      t.id == "formats" for t in s.targets)
                    for s in node.body):
                out.add(node.name)
    return out


def test_every_view_is_in_the_dispatch_test(views: list[View]) -> None:
    assert {type(v).__name__ for v in views} == _view_classes()


def test_every_view_answers_every_format_it_offers(views: list[View]) -> None:
    for view in views:
        assert isinstance(view, View) and view.formats
        for fmt in Output:
            if fmt in view.formats:
                assert isinstance(view, NEEDS[fmt]), (view, fmt)
                assert render(view, fmt, ENGLISH) is not None
                assert render(view, fmt, Style.make("nl", "thousand")) is not None
            else:
                with pytest.raises(ValueError, match="does not offer"):
                    render(view, fmt, ENGLISH)


def test_each_command_offers_its_views_formats(views: list[View]) -> None:
    offered = {type(v).__name__: {f.value for f in v.formats} for v in views}
    assert offered["TotalsView"] == offered["CompareView"] == {f.value for f in Format}
    assert offered["ReportView"] == offered["BoardView"] == {f.value for f in ReportFormat}
    assert offered["DiffView"] == {f.value for f in DiffFormat}
    # bdur realisation writes table, json and csv, and one year month by month as xlsx too;
    # bdur chart draws or saves SVG.
    assert offered["RealisationView"] == offered["UnmappedView"] == {"table", "json", "csv"}
    assert offered["ChartView"] == offered["RealisationChartView"] == {"table", "svg"}
    assert offered["TidyView"] == {"csv"}
    assert offered["MonthView"] == {f.value for f in RealisationFormat} == {
        "table", "json", "csv", "xlsx"}


#: Which views each command with --format shows (report with --mapping: the board's view).
COMMAND_VIEWS = {"totals": ["TotalsView"], "compare": ["CompareView"],
                 "report": ["ReportView", "BoardView"],
                 "realisation": ["RealisationView", "UnmappedView", "MonthView"],
                 "diff": ["DiffView"]}


def _format_help(command: str) -> tuple[list[str], str]:
    """The choices `bdur COMMAND --help` shows for --format, and the sentence beside them."""
    result = bdur(command, "--help", env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    rows = [r for r in result.stdout.splitlines() if r.lstrip("│ ").startswith("--format")]
    assert len(rows) == 1, rows
    shown = re.search(r"<([a-z|]+)>\s+(.*?)\s*│?$", rows[0])
    assert shown, rows[0]
    return shown.group(1).split("|"), shown.group(2)


@pytest.mark.parametrize("command", sorted(COMMAND_VIEWS))
def test_each_commands_help_offers_exactly_its_views_formats(views: list[View],
                                                             command: str) -> None:
    offered = {type(v).__name__: {f.value for f in v.formats} for v in views}
    choices, sentence = _format_help(command)
    # The command offers what its views offer together; a view that lacks one of them
    # (bdur realisation's xlsx is the month view's) is a usage error (test_realisation).
    assert set(choices) == set().union(*(offered[n] for n in COMMAND_VIEWS[command])), command
    for name in COMMAND_VIEWS[command]:
        assert offered[name] <= set(choices), (command, name)
    assert len(choices) == len(set(choices))
    # The sentence lists the same formats, in the same order, and no other.
    listed = re.findall(r"\b(table|json|csv|markdown|xlsx|svg)\b", sentence.split(";")[0])
    assert listed == choices, (command, sentence)


def test_realisation_help_does_not_offer_markdown() -> None:
    choices, sentence = _format_help("realisation")
    assert choices == ["table", "json", "csv", "xlsx"]
    assert "markdown" not in sentence
    assert "xlsx (YEAR --by month only, needs --output)" in sentence


def test_check_offers_its_ci_formats_and_chart_chooses_by_file() -> None:
    choices, sentence = _format_help("check")
    assert choices == [f.value for f in CheckFormat]
    assert sentence.startswith("Output format: text, json, github (annotations), gitlab")
    chart_help = bdur("chart", "--help", env={"COLUMNS": "250"}).stdout
    assert "--format" not in chart_help and "SVG image" in chart_help


def test_json_and_csv_come_from_the_views_data(views: list[View]) -> None:
    totals, one_year, compared, explained = views[:4]
    # The memo's 2024: 1,505,000 planned against 1,650,000 (Table 2).
    assert json.loads(render(one_year, Format.json, ENGLISH))["planned"] == 1505000
    rows = render(totals, Format.csv, ENGLISH).splitlines()
    assert rows[0].startswith("year,") and rows[2].split(",")[0] == "2024"
    assert len(rows) == 1 + 4  # a header and the horizon's four years
    # June 2023: the staff lines start later, so 2023 costs 1,310,000 instead of 1,685,000.
    year = json.loads(render(compared, Format.json, ENGLISH))["others"][0]["years"][0]
    assert (year["year"], year["planned"]) == (2023, 1310000)
    assert render(explained, Format.csv, ENGLISH).startswith("file,year,")


def test_report_views_figures(views: list[View]) -> None:
    t2, fte, inc = views[4:7]
    # Table 2's total per year 2023 is the memo's 1,685,000, in the year's last column.
    csv = render(t2, "csv", ENGLISH).splitlines()
    total = next(r for r in csv if "Total per year" in r).split(",")
    assert total[3:5] == ["", "1685000"]  # goal, kind, theme, 2023 i, 2023 s
    # Table 1's 2023: 11.5 fte = 2.5 incidental (external hire 1.5 + 1) + 9 structural.
    assert render(fte, "csv", ENGLISH).splitlines()[-1].split(",")[2:4] == ["2.5", "9"]
    # The incidental overview of 2023 adds up to 485,000.
    assert json.loads(render(inc, "json", ENGLISH))["years"][0]["total"] == 485000
    wb = render(t2, "xlsx", ENGLISH)
    assert wb.sheetnames == ["Table 2", "fte", "Incidental"] and wb.active.title == "Table 2"
    assert render(inc, "xlsx", ENGLISH).active.title == "Incidental"


def test_board_view_figures(views: list[View]) -> None:
    board, chart_view = views[10], views[13]
    # 2025 by hand: 1,601,000 realised against 1,605,000 (tests/test_report_realisation.py).
    rows = render(board, "csv", ENGLISH).splitlines()
    assert "2025,total,,Total 2025,1605000,1605000,1601000,0,1601000,-4000,-0.2,13,13," in rows
    assert not [r for r in rows if r.startswith(("2023,", "2024,"))]
    svg = render(chart_view, "svg", ENGLISH)
    assert 'data-series="forecast" data-year="2026" data-value="267500.00"' in svg


def test_diff_view_figures(views: list[View]) -> None:
    data = json.loads(render(views[11], "json", ENGLISH), parse_float=Decimal)
    year = data["files"][0]["years"][0]
    # Staff from June 2023: 2023 planned 1,685,000 -> 1,310,000.
    assert (year["year"], year["planned"]["old"], year["planned"]["new"]) == (
        2023, 1685000, 1310000)  # and 1,685,000 - 1,310,000 = 375,000 less


def test_render_takes_a_commands_format_name(tmp_path: Path, views: list[View]) -> None:
    assert render(views[1], Format.markdown, ENGLISH) == render(views[1], "markdown", ENGLISH)
