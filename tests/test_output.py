"""-o/--output on every command that prints data: the format from the extension, a mismatch
refused, a missing folder named as such; and the CSV Dutch Excel opens in columns."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import PLAN, SCENARIOS
from conftest import bdur as in_process


def bdur(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = in_process(*args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_report_writes_what_the_extension_says(tmp_path: Path) -> None:
    for name in ("t.csv", "t.md", "t.xlsx", "t.json", "t.txt"):
        code, out, err = bdur("report", "-f", str(PLAN), "-o", str(tmp_path / name))
        assert (code, out, err) == (0, "", f"wrote {tmp_path / name}\n"), name
    rows = list(csv.reader((tmp_path / "t.csv").open(encoding="utf-8")))
    assert rows[0][:5] == ["goal", "kind", "theme", "2023 i", "2023 s"]
    markdown = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert markdown.startswith("| Main goal / kind | Theme |")
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["columns"]
    from openpyxl import load_workbook

    assert "Table 2" in load_workbook(tmp_path / "t.xlsx").sheetnames
    text = (tmp_path / "t.txt").read_text(encoding="utf-8")
    assert text.startswith("Table 2. Planned cost") and "\x1b[" not in text


def test_totals_compare_check_and_schema_take_output(tmp_path: Path) -> None:
    assert bdur("totals", "2024", "-f", str(PLAN), "-o", str(tmp_path / "t.json"))[0] == 0
    assert json.loads((tmp_path / "t.json").read_text())["planned"] == 1505000
    assert bdur("totals", "-f", str(PLAN), "-o", str(tmp_path / "t.md"))[0] == 0
    assert (tmp_path / "t.md").read_text().startswith("| Year | Funding |")
    code, _, _ = bdur("compare", str(PLAN), str(SCENARIOS / "bdur-cut-2026.yaml"), "-o",
                      str(tmp_path / "c.csv"))
    assert code == 0
    last = list(csv.DictReader((tmp_path / "c.csv").open()))[-1]
    assert (last["year"], last["gap"]) == ("2026", "555000")
    code, out, err = bdur("check", str(PLAN), "-o", str(tmp_path / "r.xml"))
    assert (code, out) == (0, "")
    assert err == f"wrote {tmp_path / 'r.xml'}\nbdur check: 1 file, 0 errors, 0 warnings\n"
    assert ET.parse(tmp_path / "r.xml").getroot().get("failures") == "0"
    assert bdur("schema", "-o", str(tmp_path / "s.json"))[0] == 0
    assert (tmp_path / "s.json").read_text() == bdur("schema")[1]


@pytest.mark.parametrize(("args", "message"), [
    (["totals", "-o", "t.csv", "--format", "json"],
     "--output t.csv does not match --format json: a .csv file holds csv; drop --format, or "
     "name the file for json (.json)"),
    (["totals", "-o", "t.xlsx"],
     "bdur totals does not write xlsx (.xlsx); its files are .csv, .json, .markdown, .md, "
     ".text, .txt"),
    (["report", "-o", "t.md", "--format", "csv"],
     "--output t.md does not match --format csv: a .md file holds markdown; drop --format, or "
     "name the file for csv (.csv)"),
    (["schema", "-o", "s.csv"], "--output s.csv: a schema is JSON; use a name ending in .json"),
    (["totals", "--excel"], "--excel is a CSV layout; use it with --format csv (or -o "
                            "FILE.csv)"),
])
def test_a_mismatch_is_refused(args: list[str], message: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if args[0] != "schema":
        args = [*args, "-f", str(PLAN)]
    code, out, err = bdur(*args)
    assert (code, out, err) == (2, "", f"error: {message} [usage]\n")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named_as_such(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "t.csv"
    code, _, err = bdur("totals", "-f", str(PLAN), "-o", str(target))
    assert code == 2
    assert err == (f"{target}: error: cannot write t.csv: the folder {target.parent} does not "
                   f"exist [unwritable] (hint: create it first (mkdir -p {target.parent}), or "
                   "write somewhere else)\n")


def test_excel_csv_for_dutch_excel() -> None:
    code, out, _ = bdur("totals", "-f", str(PLAN), "--format", "csv", "--locale", "nl")
    assert code == 0
    assert out.startswith("\ufeffyear;funding;planned;")
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][:3] == ["2023", "1407149", "1685000"]
    assert rows[1][7] == "11,5"  # fte with a decimal comma
    assert bdur("totals", "-f", str(PLAN), "--format", "csv", "--excel")[1] == out


def test_plain_csv_stays_the_machine_contract() -> None:
    # BDUR_LOCALE=nl for the tables must not turn a script's CSV into Excel's.
    code, out, _ = bdur("totals", "-f", str(PLAN), "--format", "csv", env={"BDUR_LOCALE": "nl"})
    assert code == 0
    assert out.splitlines()[1].startswith("2023,1407149,1685000,485000,1200000,1275000,410000,"
                                          "11.5,")
