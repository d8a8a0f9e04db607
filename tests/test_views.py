"""Views and formats meet in one interface (`render.view`): every format a command offers is
one function of any view, and every view answers every format."""

from __future__ import annotations

import json

import bdur_cli
from bdur_cli.render.compare import CompareView
from bdur_cli.render.formats import Format
from bdur_cli.render.style import ENGLISH
from bdur_cli.render.totals import TotalsView
from bdur_cli.render.view import RENDERERS, View, render
from conftest import PLAN, SCENARIOS


def test_every_format_has_exactly_one_renderer() -> None:
    assert set(RENDERERS) == set(Format)
    assert len(RENDERERS) == len(Format)


def _views() -> list[View]:
    plan = bdur_cli.load(PLAN).plan
    june = SCENARIOS / "staff-from-june-2023.yaml"
    return [TotalsView(bdur_cli.totals(plan)), TotalsView(bdur_cli.totals(plan, 2024)),
            CompareView(bdur_cli.compare(PLAN, june)),
            CompareView(bdur_cli.compare(PLAN, june, explain=True), explain=True)]


def test_every_view_answers_every_format() -> None:
    for view in _views():
        assert isinstance(view, View)
        for fmt in Format:
            assert render(view, fmt, ENGLISH) is not None


def test_json_and_csv_come_from_the_views_data() -> None:
    totals, one_year, compared, explained = _views()
    # The memo's 2024: 1,505,000 planned against 1,650,000 (Table 2).
    assert json.loads(render(one_year, Format.json, ENGLISH))["planned"] == 1505000
    rows = render(totals, Format.csv, ENGLISH).splitlines()
    assert rows[0].startswith("year,") and rows[2].split(",")[0] == "2024"
    assert len(rows) == 1 + 4  # a header and the horizon's four years
    # June 2023: the staff lines start later, so 2023 costs 1,310,000 instead of 1,685,000.
    year = json.loads(render(compared, Format.json, ENGLISH))["others"][0]["years"][0]
    assert (year["year"], year["planned"]) == (2023, 1310000)
    assert render(explained, Format.csv, ENGLISH).startswith("file,year,")
