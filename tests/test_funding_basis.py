"""--funding granted beyond `bdur totals` (issue 23 point 3): compare, report and chart on
granted money alone, their figures those of `bdur totals --funding granted` (the route
test_cli_totals.py checks by hand), the table saying so above it; compare's funding status."""

from __future__ import annotations

import json

from conftest import bdur

PLAN, OTHER = "examples/noorderkust.yaml", "examples/noorderkust-analist-2026.yaml"
NOTE = "Granted money only: forecast and conditional funding, sources and income count as 0."


def granted_totals() -> dict[int, int]:
    result = bdur("totals", "-f", PLAN, "--funding", "granted", "--format", "json")
    return {y["year"]: y["funding"] for y in json.loads(result.stdout)}


def test_compare_on_granted_money() -> None:
    funding = granted_totals()
    # Granted (the plan's comments): the BDuR's 600,000 of 2024 and the municipalities'
    # 40,000 x 1.027 = 41,080 of 2025; the rest is forecast or conditional.
    assert funding == {2024: 600000, 2025: 41080, 2026: 0, 2027: 0}
    data = json.loads(bdur("compare", PLAN, OTHER, "--funding", "granted", "--format",
                           "json").stdout)
    for f in (data["base"], *data["others"]):
        assert {y["year"]: y["funding"] for y in f["years"]} == funding
    table = bdur("compare", PLAN, OTHER, "--funding", "granted", env={"COLUMNS": "200"})
    assert table.stdout.startswith(NOTE + "\n")
    markdown = bdur("compare", PLAN, OTHER, "--funding", "granted", "--format", "markdown")
    assert markdown.stdout.startswith(f"_{NOTE}_\n\n")
    # Without it: every source, and no note.
    plain = bdur("compare", PLAN, OTHER)
    assert NOTE not in plain.stdout
    assert "€661,080" in plain.stdout


def test_report_and_chart_on_granted_money() -> None:
    csv = bdur("report", "-f", PLAN, "--funding", "granted", "--format", "csv").stdout
    row = next(line for line in csv.splitlines() if ",Funding (" in line)
    assert row == ",,Funding (BDuR and other sources),,600000,,41080,0,0,,"
    table = bdur("report", "-f", PLAN, "--funding", "granted", env={"COLUMNS": "100"})
    assert table.stdout.startswith(NOTE + "\n")
    chart = bdur("chart", "-f", PLAN, "--funding", "granted", env={"COLUMNS": "100"})
    assert chart.stdout.startswith(NOTE + "\n")
    assert "€41,080" in chart.stdout and "€661,080" not in chart.stdout
    refused = bdur("chart", "-m", "examples/realisation/mapping.yaml", "--funding", "granted")
    assert refused.exit_code == 2
    assert "--funding granted is a view of the plan" in refused.stderr


def test_compare_names_each_years_funding_status() -> None:
    data = json.loads(bdur("compare", PLAN, OTHER, "--format", "json").stdout)
    # The plan: the BDuR granted in 2024 and forecast after; the municipalities granted in
    # 2025, forecast in 2026 and conditional in 2027.
    assert [y["funding_status"] for y in data["base"]["years"]] == [
        "granted", "granted+forecast", "forecast", "forecast+conditional"]
    narrow = bdur("compare", PLAN, OTHER, env={"COLUMNS": "80"}).stdout
    assert " Status                      g        g+f          f        f+c" in narrow
    assert "Status: g granted, f forecast, c conditional" in narrow


def test_table_2_names_each_sources_status_under_the_funding() -> None:
    # examples/two-cuts: the BDuR granted in 2025 and forecast in 2026; the province's grant
    # granted in 2025 and conditional in 2026 (the plan's funding and sources).
    line = ("Funding status: 2025 bdur granted, provincie granted; 2026 bdur forecast, "
            "provincie conditional")
    table = bdur("report", "-f", "examples/two-cuts/plan.yaml", env={"COLUMNS": "200"})
    assert table.stdout.rstrip("\n").endswith(line)
    markdown = bdur("report", "-f", "examples/two-cuts/plan.yaml", "--format", "markdown",
                    "--locale", "nl")
    assert ("Status beschikbaar: 2025 bdur toegekend, provincie toegekend; 2026 bdur prognose, "
            "provincie voorwaardelijk") in markdown.stdout
    # A plan of the BDuR alone names the BDuR's status, consecutive years together
    # (data/allocations.yaml: 2023 granted, 2024-2026 forecast).
    assert bdur("report", env={"COLUMNS": "200"}).stdout.rstrip("\n").endswith(
        "\nFunding status: 2023 granted; 2024-2026 forecast")


def test_the_chart_names_each_sources_status() -> None:
    chart = bdur("chart", "-f", "examples/two-cuts/deeper-cuts.yaml", env={"COLUMNS": "200"})
    assert chart.stdout.rstrip("\n").endswith(
        "Funding status: 2025 bdur granted, provincie granted; 2026 bdur forecast, provincie "
        "conditional")
