"""A broken funding rule's hint names what to type also where funding is not one written BDuR
amount (issue 23): with a cut, another source, indexation, in a scenario. Each test takes a
plan that breaks the rule by a small visible patch, types the hint's amount as a patch, and
`bdur check` then passes that rule; one euro less still breaks it. The amounts are worked out
by hand in the comments (docs/rounding.md: a cut is a percentage of the written, indexed
amount, rounded half up, and funding uses the rounded cut)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from bdur_cli import load
from bdur_cli.plan.checks import rule_findings
from conftest import ROOT, bdur

NOORDERKUST = ROOT / "examples" / "noorderkust.yaml"
TWO_CUTS = ROOT / "examples" / "two-cuts"
CUT = "change: -10%, note: Korting BDuR"


def patched(tmp_path: Path, *pairs: str, name: str = "plan.yaml") -> Path:
    """examples/noorderkust.yaml with each (old, new) replaced, each old present once."""
    text = NOORDERKUST.read_text(encoding="utf-8")
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def findings(path: Path, code: str) -> list[dict[str, Any]]:
    result = bdur("check", "--format", "json", path)
    return [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["code"] == code]


def typed_amount(hint: str, year: int) -> int:
    """The amount the hint says to type for the year's BDuR (`funding: YEAR: {amount: N,
    status: S}`)."""
    match = re.search(rf"\(funding: {year}: \{{amount: (\d+), status: forecast\}}", hint)
    assert match, hint
    return int(match.group(1))


def with_bdur(path: Path, year: int, amount: int) -> Path:
    """The plan with the year's BDuR amount typed as the hint says, the rest as it was."""
    text = path.read_text(encoding="utf-8")
    old = re.search(rf"^  {year}: \{{amount: \d+,", text, re.M)
    assert old, year
    path.write_text(text.replace(old.group(0), f"  {year}: {{amount: {amount},"),
                    encoding="utf-8")
    return path


def test_a_cut_beside_another_source_and_a_reserve(tmp_path: Path) -> None:
    # Noorderkust with the BDuR cut by 20% instead of 10%, 2026 and 2027 alike: the cut is
    # 20% of 470,000 = 94,000, so funding 376,000 + gemeenten 41,902 = 417,902, against a net
    # cost of 491,141 of which the reserve draws 72,000: 419,141 to fund, short 1,239.
    # The BDuR must give 419,141 - 41,902 = 377,239 after its cut. Written A gives
    # A - round(20% of A): A = 471,549 cuts 94,309.80 -> 94,310 and gives 377,239; A = 471,548
    # cuts 94,309.60 -> 94,310 too and gives 377,238, one euro short.
    plan = patched(tmp_path, CUT, "change: -20%, note: Korting BDuR")
    broken = findings(plan, "over-funding")
    assert [f["message"].split(":")[0] for f in broken] == ["2026", "2027"]
    assert broken[0]["hint"] == (
        "lower 2026's planned cost by €1,239, or, when more is granted, raise funding for 2026 "
        "to at least €419,141 (funding: 2026: {amount: 471549, status: forecast}: the BDuR "
        "adjusted by -20% "
        "gives €377,239; with gemeenten €41,902 funding is €419,141)")
    assert [typed_amount(f["hint"], year) for f, year in zip(broken, (2026, 2027),
                                                              strict=True)] == [471549] * 2
    # One euro less: 2026 is still short, by a euro; 2027 typed as told holds.
    with_bdur(with_bdur(plan, 2026, 471548), 2027, 471549)
    [short] = findings(plan, "over-funding")
    assert short["message"].startswith("2026: ") and short["message"].endswith(
        "exceeds funding €419,140 (bdur €377,238, gemeenten €41,902, after adjustments of "
        "-€94,310); shortfall €1")
    # Typed as told, both years hold the rule.
    with_bdur(plan, 2026, 471549)
    assert findings(plan, "over-funding") == []


def test_an_indexed_bdur_with_a_cut(tmp_path: Path) -> None:
    # Noorderkust with the BDuR indexed with prices and cut by 25%. 2026's factor is
    # 1.027 x 1.02 = 1.04754: 470,000 x 1.04754 = 492,343.80 -> 492,344, cut 25% of
    # 492,343.80 = 123,085.95 -> 123,086, so the BDuR gives 369,258 and funding 411,160
    # against the 419,141 to fund (above): short 7,981. The BDuR must again give 377,239.
    # A = 480,158: x 1.04754 = 502,984.71132 -> 502,985, cut 125,746.18 -> 125,746, gives
    # 377,239. A = 480,157: 502,983.66378 -> 502,984, cut 125,745.92 -> 125,746, gives
    # 377,238. (Dividing, 377,239 / (1.04754 x 0.75) = 480,158.59 would say 480,159: the
    # roundings make 480,158 enough.)
    plan = patched(tmp_path, CUT, "change: -25%, note: Korting BDuR",
                   "  prices: {2025: 2.7%, 2026: 2.0%}\n",
                   "  prices: {2025: 2.7%, 2026: 2.0%}\n  bdur: prices\n")
    broken = findings(plan, "over-funding")
    assert [f["message"].split(":")[0] for f in broken] == ["2026", "2027"]
    assert broken[0]["message"].endswith("shortfall €7,981")
    assert broken[0]["hint"].endswith(
        "(funding: 2026: {amount: 480158, status: forecast}: the BDuR indexed x 1.04754 and "
        "adjusted by -25% "
        "gives €377,239; with gemeenten €41,902 funding is €419,141)")
    with_bdur(with_bdur(plan, 2026, 480157), 2027, typed_amount(broken[1]["hint"], 2027))
    [short] = findings(plan, "over-funding")
    assert short["message"].startswith("2026: ") and short["message"].endswith(
        "shortfall €1")
    with_bdur(plan, 2026, typed_amount(broken[0]["hint"], 2026))
    assert findings(plan, "over-funding") == []


def test_a_scenario_types_it_in_its_own_funding_set(tmp_path: Path) -> None:
    # examples/two-cuts/deeper-cuts.yaml: 2026's BDuR of 400,000 cut by 10% + 25% = 35%
    # (140,000) gives 260,000; with the province's 20,000 funding is 280,000 against the
    # structural 300,000. The BDuR must give 280,000: A = 430,769 cuts 150,769.15 -> 150,769
    # and gives 280,000; A = 430,768 cuts 150,768.80 -> 150,769 and gives 279,999.
    for name in ("plan.yaml", "deeper-cuts.yaml"):
        shutil.copy(TWO_CUTS / name, tmp_path / name)
    scenario = tmp_path / "deeper-cuts.yaml"
    [broken] = findings(scenario, "structural-not-covered")
    typed = "funding: {set: {2026: {amount: 430769, status: forecast}}}"
    assert broken["hint"].endswith(
        f"(in the scenario: {typed}: the BDuR adjusted by -35% gives €280,000; with "
        "provincie €20,000 funding is €300,000)")
    original = scenario.read_text(encoding="utf-8")
    # The snippet is YAML as it stands: typed at the end of the scenario, the rule holds.
    scenario.write_text(original + typed + "\n", encoding="utf-8")
    result = bdur("check", scenario)
    assert (result.exit_code, result.stdout) == (0, "")
    scenario.write_text(original + typed.replace("430769", "430768") + "\n",
                        encoding="utf-8")
    [short] = findings(scenario, "structural-not-covered")
    assert short["message"] == (
        "2026: structural costs €300,000 exceed funding €299,999 (bdur €279,999, provincie "
        "€20,000, after adjustments of -€150,769) by €1")


def test_the_bdur_alone_as_written_keeps_its_short_hint(tmp_path: Path) -> None:
    # The memo's plan ruled from 2023: 1,685,000 planned against 1,407,149, and no cut,
    # source or index in between: the amount is the funding itself.
    text = (ROOT / "data" / "allocations.yaml").read_text(encoding="utf-8")
    assert text.count("from_year: 2024") == 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("from_year: 2024", "from_year: 2023"), encoding="utf-8")
    [broken] = findings(plan, "over-funding")
    assert broken["hint"] == (
        "lower 2023's planned cost by €277,851, or, when more is granted, raise funding for "
        "2023 to at least €1,685,000 (funding: 2023: {amount: 1685000, status: granted})")


# --- the snippet typed as shown: a whole funding entry, with its status -------------------------

ALLOCATIONS = ROOT / "data" / "allocations.yaml"
ENTRY_2023 = ("  2023:\n    amount: 1407149\n    status: granted\n    note: Brief JenV 12 "
              "december 2022 (nettobedrag, landelijke reserveringen al afgehaald)\n")


def snippet(hint: str, year: int) -> str:
    """The `{amount: N, status: S}` the hint says to type for the year's funding."""
    match = re.search(rf"\(funding: {year}: (\{{[^}}]*\}})", hint)
    assert match, hint
    return match.group(1)


def test_the_snippet_pasted_over_the_years_entry_passes(write: Any, tmp_path: Path) -> None:
    # The memo's plan ruled from 2023 (test above): 2023's funding must be 1,685,000. The
    # review typed `{amount: 1685000}` over the entry and got "missing key 'status'"; the
    # snippet keeps the year's status (granted), so typed over the whole entry (its four lines,
    # note and all) the plan passes.
    text = ALLOCATIONS.read_text(encoding="utf-8")
    assert text.count(ENTRY_2023) == 1 and text.count("from_year: 2024") == 1
    ruled = text.replace("from_year: 2024", "from_year: 2023")
    [broken] = findings(write(ruled), "over-funding")
    assert snippet(broken["hint"], 2023) == "{amount: 1685000, status: granted}"
    plan = write(ruled.replace(ENTRY_2023, f"  2023: {snippet(broken['hint'], 2023)}\n"))
    result = bdur("check", plan)
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_year_without_a_funding_entry_gets_status_forecast(write: Any) -> None:
    # A plan whose 2023 has no BDuR entry: with nothing there, 2023's structural 1,200,000
    # (stated in the file) is 1,200,000 over funding. A new entry needs a status: forecast.
    # bdur check stops at 'funding-missing' before the rules, so the rules are asked directly.
    text = ALLOCATIONS.read_text(encoding="utf-8")
    loaded = load(write(text))
    plan = loaded.plan.model_copy(update={"funding": {
        y: e for y, e in loaded.plan.funding.items() if y != 2023}})
    [structural] = [f for f in rule_findings(plan) if f.code == "structural-not-covered"]
    assert structural.message.startswith("2023: structural costs €1,200,000 exceed funding €0")
    typed = snippet(structural.hint or "", 2023)
    assert typed == "{amount: 1200000, status: forecast}"
    # The file without the entry, then with the snippet typed where it was: it passes.
    missing = write(text.replace(ENTRY_2023, ""))
    assert bdur("check", missing).exit_code == 1
    result = bdur("check", write(text.replace(ENTRY_2023, f"  2023: {typed}\n")))
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(("funding", "typed", "pasted"), [
    # The scenario's funding has a scale: the set goes inside it, not in a second 'funding'.
    ("funding:\n  scale: {factor: 0.5, from_year: 2026}\n",
     "in the scenario's funding: set: {2026: {amount: 1605000, status: forecast}}",
     "funding:\n  scale: {factor: 0.5, from_year: 2026}\n"
     "  set: {2026: {amount: 1605000, status: forecast}}\n"),
    # It has a set for another year: the year goes in that set.
    ("funding:\n  set: {2025: {amount: 2150000}}\n  scale: {factor: 0.5, from_year: 2026}\n",
     "in the scenario's funding.set: 2026: {amount: 1605000, status: forecast}",
     "funding:\n  set: {2025: {amount: 2150000}, 2026: {amount: 1605000, status: forecast}}\n"
     "  scale: {factor: 0.5, from_year: 2026}\n"),
])
def test_a_scenario_with_funding_gets_the_set_inside_it(
        scenario: Any, funding: str, typed: str, pasted: str) -> None:
    # Half of 2026's 2,400,000 is 1,200,000 against 1,605,000 planned, all of it structural:
    # 405,000 short. The scenario's set wins over its scale, so the BDuR to write is 1,605,000
    # (no cut, no index, no other source), with the base's status for 2026.
    path = scenario(funding)
    hints = [f["hint"] for f in findings(path, "structural-not-covered")]
    assert len(hints) == 1 and hints[0].endswith(f"({typed})")
    # Before: typed beside the scenario's funding, a second 'funding' was a duplicate key.
    path.write_text(path.read_text(encoding="utf-8").replace(funding, pasted),
                    encoding="utf-8")
    result = bdur("check", path)
    assert (result.exit_code, result.stdout) == (0, "")
