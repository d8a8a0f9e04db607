"""A careless or hostile ledger export never costs a posting (issue 20): every row is read to
the cent, or is a located finding; nothing is merged, split, guessed or drifted silently.

Each export is a few lines written here, so the expected figures are plain to see.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bdur_cli.actuals.ledger import cell_amount, cell_text, parse_amount
from bdur_cli.actuals.realise import load_mapping, read_actuals
from bdur_cli.errors import BdurError
from bdur_cli.plan.pipeline import load_plan
from conftest import ROOT

PLAN = load_plan(ROOT / "data" / "allocations.yaml").plan
HEADER = "Datum;Omschrijving;Bedrag;Project\n"
COLUMNS = "{date: Datum, amount: Bedrag, project: Project, description: Omschrijving}"


def write(tmp: Path, text: str | bytes, extra: str = "", name: str = "e.csv") -> Path:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (tmp / name).write_bytes(data)
    (tmp / "m.yaml").write_text(
        f"export:\n  file: {name}\n{extra}  columns: {COLUMNS}\n"
        "rules:\n  - {line: netwerkmanagement-middelen, project: BDUR-NW}\n", encoding="utf-8")
    return tmp / "m.yaml"


def run(mapping: Path) -> Any:
    return read_actuals(PLAN, load_mapping(mapping))


def refused(mapping: Path) -> BdurError:
    with pytest.raises(BdurError) as err:
        run(mapping)
    return err.value


def codes(a: Any) -> list[tuple[str, int]]:
    return [(f.code, f.location.line if f.location else 0) for f in a.findings
            if f.level == "error"]


FOUR = "".join(f"0{d}-02-2024;post {d};1.000,00;BDUR-NW\n" for d in range(1, 5))


# --- 2. CSV reading that cannot lose a row ---------------------------------------------------

def test_a_stray_quote_that_swallows_a_row_is_a_located_error(tmp_path: Path) -> None:
    # Line 3 opens a quote; it closes on line 4, so lines 3 and 4 make one record of 4 cells:
    # read silently, four postings of 1,000 became three.
    text = HEADER + FOUR.replace("post 2", '"post 2').replace("post 3", 'post" 3')
    a = run(write(tmp_path, text))
    assert codes(a) == [("bad-row", 3)]
    assert "lines 3-4 are read as one row of 4 cells" in a.findings[0].message
    assert (a.reconciliation.read.count, a.reconciliation.read.total) == (2, Decimal(2000))
    assert a.reconciliation.bad_rows == 1


def test_a_quote_never_closed_is_a_located_error(tmp_path: Path) -> None:
    a = run(write(tmp_path, HEADER + FOUR.replace("post 3", '"post 3')))
    assert codes(a) == [("bad-row", 4)]
    assert "lines 4-5 are read as one row of 2 cells (the header has 4)" in \
        a.findings[0].message
    assert a.reconciliation.read.total == Decimal(2000)


def test_a_line_break_inside_a_quoted_description_is_still_one_posting(tmp_path: Path) -> None:
    a = run(write(tmp_path, HEADER + FOUR.replace("post 2", '"post\n2"')))
    assert codes(a) == []
    assert a.reconciliation.read == type(a.reconciliation.read)(4, Decimal(4000))


def test_more_cells_than_the_header_is_a_located_error(tmp_path: Path) -> None:
    # Unquoted 1234,56 in a ','-separated export is split in two: read, it was 1234 (or 56).
    text = "Datum,Omschrijving,Bedrag,Project\n01-02-2024,a,\"1.000,00\",BDUR-NW\n" \
           "02-02-2024,b,1234,56,BDUR-NW\n"
    a = run(write(tmp_path, text))
    assert codes(a) == [("bad-row", 3)]
    assert a.findings[0].message == "line 3 has 5 cells, the header 4: 'BDUR-NW' lies " \
                                    "beyond the last column"
    assert "1234,56" in (a.findings[0].hint or "")
    assert a.reconciliation.read.total == Decimal(1000)


def test_empty_cells_beyond_the_header_are_layout(tmp_path: Path) -> None:
    a = run(write(tmp_path, HEADER + FOUR.replace("BDUR-NW\n", "BDUR-NW;;\n")))
    assert codes(a) == []
    assert a.reconciliation.read.total == Decimal(4000)


def test_a_quoted_thousands_comma_is_not_a_decimal_comma(tmp_path: Path) -> None:
    text = 'Datum,Omschrijving,Bedrag,Project\n01-02-2024,a,"1,234",BDUR-NW\n' \
           '02-02-2024,b,"1,50",BDUR-NW\n'
    a = run(write(tmp_path, text))
    assert codes(a) == [("bad-amount", 2)]
    assert "may be 1.234 or 1234" in (a.findings[0].hint or "")
    assert a.reconciliation.read.total == Decimal("1.50")


def test_a_column_named_twice_is_a_located_error_when_used(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "Datum;Omschrijving;Bedrag;Project;Bedrag\n"
                                  "01-02-2024;a;1,00;BDUR-NW;2,00\n"))
    [f] = err.findings
    assert f.code == "duplicate-column"
    assert f.message.startswith("column 'Bedrag' (amount) appears 2 times in the header on "
                                "row 1 (columns 3, 5)")
    assert (f.location.line, f.location.column) == (1, 5)  # type: ignore[union-attr]
    # A duplicate the mapping does not use is harmless.
    a = run(write(tmp_path, "Datum;Omschrijving;Bedrag;Project;X;X\n01-02-2024;a;1,00;BDUR-NW;;\n"))
    assert a.reconciliation.read.total == Decimal(1)


def test_the_header_decides_the_delimiter(tmp_path: Path) -> None:
    # A title row holding ';' made the ','-separated export read as ';'.
    text = "Grootboek; export 2024\n" + HEADER.replace(";", ",") + \
        "01-02-2024,a,\"1.000,00\",BDUR-NW\n"
    a = run(write(tmp_path, text))
    assert a.reconciliation.read.total == Decimal(1000)


def test_a_tab_separated_export_is_read(tmp_path: Path) -> None:
    a = run(write(tmp_path, (HEADER + FOUR).replace(";", "\t")))
    assert a.reconciliation.read.total == Decimal(4000)


def test_a_missing_column_names_the_delimiter_setting(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "Datum|Omschrijving|Bedrag|Project\n01-02-2024|a|1,00|X\n"))
    assert "set export.delimiter" in (err.findings[0].hint or "")
    assert "split at ','" in (err.findings[0].hint or "")


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    a = run(write(tmp_path, (HEADER + FOUR).replace(";", "\t").encode("utf-16")))
    assert a.reconciliation.read.total == Decimal(4000)
    assert a.reconciliation.encoding == "utf-16"


def test_utf16_without_a_mark_is_refused_by_name(tmp_path: Path) -> None:
    err = refused(write(tmp_path, (HEADER + FOUR).encode("utf-16-le")))
    assert err.exit_code == 2
    assert "UTF-16 without a byte-order mark" in err.findings[0].message
    assert "UTF-16" in (err.findings[0].hint or "")


def test_a_utf8_mark_before_a_latin1_byte_is_located(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + HEADER.encode() + b"01-02-2024;caf\xe9;1,00;BDUR-NW\n"
    err = refused(write(tmp_path, data))
    [f] = err.findings
    assert (f.code, f.location.line, err.exit_code) == ("encoding", 2, 2)  # type: ignore[union-attr]
    assert "byte 0xe9 on line 2 is not UTF-8" in f.message


def test_declared_cp1252_with_a_utf8_mark_is_refused(tmp_path: Path) -> None:
    err = refused(write(tmp_path, b"\xef\xbb\xbf" + (HEADER + FOUR).encode(),
                        "  encoding: cp1252\n"))
    assert "starts with a UTF-8 byte-order mark" in err.findings[0].message
    assert "export.encoding: utf-8" in (err.findings[0].hint or "")


def test_a_field_over_the_csv_limit_is_located(tmp_path: Path) -> None:
    big = "x" * (csv.field_size_limit() + 1)
    err = refused(write(tmp_path, HEADER + f"01-02-2024;{big};1,00;BDUR-NW\n"))
    [f] = err.findings
    assert (f.code, f.location.line, err.exit_code) == ("bad-row", 2, 2)  # type: ignore[union-attr]
    assert "longer than 131,072 characters" in f.message
    assert len(f.message) < 300


def test_a_byte_order_mark_mid_file_is_shown(tmp_path: Path) -> None:
    # Two exports pasted together: the second one's mark sits before its first date.
    a = run(write(tmp_path, HEADER + FOUR + "\ufeff05-02-2024;x;1,00;BDUR-NW\n"))
    assert codes(a) == [("bad-date", 6)]
    assert a.findings[0].message == "'<U+FEFF>05-02-2024' is not a date (dd-mm-jjjj)"


def test_a_long_cell_is_quoted_as_a_short_excerpt(tmp_path: Path) -> None:
    a = run(write(tmp_path, HEADER + "01-02-2024;a;" + "9" * 5000 + ";BDUR-NW\n"))
    assert codes(a) == [("bad-amount", 2)]
    assert len(a.findings[0].message) < 80


# --- 3. amounts exact or refused -------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "1" * 16, "1" * 40, "1" * 5000, "1234567890123456789012345,67", "1,23456",
    "1e308", "1E5", "inf", "-inf", "Infinity", "NaN", "nan",
    "\u0661\u0662\u0663\u0664,\u0665\u0666",  # Arabic-Indic 1234,56
    "\uff11\uff12\uff13\uff14",  # fullwidth 1234
    "1\u00b2",  # superscript two
])
def test_amounts_beyond_exact_are_refused(text: str) -> None:
    assert parse_amount(text) is None


def test_the_largest_exact_amounts_are_read() -> None:
    assert parse_amount("999.999.999.999.999,9999") == Decimal("999999999999999.9999")
    assert parse_amount("-" + "9" * 15 + ",99") == Decimal("-999999999999999.99")


@pytest.mark.parametrize("value", [1e308, float("inf"), float("-inf"), float("nan"), 10**40,
                                   Decimal("1E+40"), Decimal("NaN"), Decimal("0.00001")])
def test_workbook_numbers_beyond_exact_are_refused(value: Any) -> None:
    assert cell_amount(value) is None
    assert isinstance(cell_text(value), str)  # nan and inf were an internal error


@pytest.mark.parametrize("value", [10**15, -10**15, 1e15, -1e15, Decimal(10**15),
                                   Decimal("-1000000000000000.00")])
def test_a_workbook_number_of_sixteen_digits_is_refused(value: Any) -> None:
    # The same edge as a text amount's: at most 15 digits before the decimal comma
    # (INT_DIGITS), so 10^15 itself, the first 16-digit number, is refused.
    assert cell_amount(value) is None


@pytest.mark.parametrize(("value", "read"), [
    (10**15 - 1, Decimal("999999999999999")), (-(10**15 - 1), Decimal("-999999999999999")),
    (999999999999999.0, Decimal("999999999999999")),
    (Decimal("999999999999999.9999"), Decimal("999999999999999.9999")),
])
def test_a_workbook_number_of_fifteen_digits_is_read(value: Any, read: Decimal) -> None:
    assert cell_amount(value) == read


@pytest.mark.parametrize("amount", ["1" * 40, "1" * 5000, "1e308", "inf", "NaN",
                                    "1234567890123456789012345678,91",
                                    "\u0661\u0662\u0663\u0664"])
def test_an_export_with_such_amounts_is_located_and_totals_hold(tmp_path: Path,
                                                                amount: str) -> None:
    a = run(write(tmp_path, HEADER + FOUR + f"05-02-2024;x;{amount};BDUR-NW\n"))
    assert codes(a) == [("bad-amount", 6)]
    assert a.reconciliation.read.total == Decimal(4000)
    assert a.reconciliation.balanced


# --- 5. nothing leaks ------------------------------------------------------------------------

SECRET = "AWS_SECRET=hunter2-very-secret\n"


@pytest.mark.parametrize(("key", "value", "said"), [
    ("export.file", ".env", "the export '.env' is not a .csv or .tsv or .xlsx or .xlsm file"),
    ("export.file", ".git/config", "the export '.git/config' is not a .csv"),
    ("export.file", "../outside.csv", "'../outside.csv' lies outside the mapping's folder"),
    ("explanations", ".env", "the explanations file '.env' is not a .yaml or .yml file"),
    ("staffing", "secret.txt", "the staffing file 'secret.txt' is not a .yaml or .yml file"),
    ("appropriations", ".env", "the appropriations file '.env' is not a .yaml or .yml file"),
])
def test_a_mapping_names_only_its_own_kind_of_file(tmp_path: Path, key: str, value: str,
                                                   said: str) -> None:
    from bdur_cli.api import realisation

    (tmp_path / ".git").mkdir()
    for name in (".env", ".git/config", "secret.txt", "../outside.csv"):
        (tmp_path / name).write_text(SECRET, encoding="utf-8")
    write(tmp_path, HEADER + FOUR)
    mapping = tmp_path / "m.yaml"
    text = mapping.read_text(encoding="utf-8")
    if key == "export.file":
        text = text.replace("file: e.csv", f"file: {value}\n  header_row: 1")
    else:
        text = f"{key}: {value}\n" + text
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(BdurError) as err:
        realisation(str(mapping), plan=str(ROOT / "data" / "allocations.yaml"))
    messages = " ".join(f"{f.message} {f.hint}" for f in err.value.findings)
    assert said in messages
    assert "hunter2" not in messages
    assert err.value.findings[0].code == "path-outside"


@pytest.mark.parametrize("plan", ["/etc/passwd.yaml", "../../elsewhere/plan.yaml", ".env"])
def test_a_mappings_plan_is_confined_like_a_base(tmp_path: Path, plan: str) -> None:
    from bdur_cli.actuals.realise import plan_path

    (tmp_path / "project" / ".git").mkdir(parents=True)
    write(tmp_path / "project", HEADER + FOUR)
    mapping = tmp_path / "project" / "m.yaml"
    mapping.write_text(f"plan: {plan}\n" + mapping.read_text(encoding="utf-8"),
                       encoding="utf-8")
    with pytest.raises(BdurError) as err:
        plan_path(load_mapping(mapping), None)
    [f] = err.value.findings
    assert (f.code, f.location.line) == ("path-outside", 1)  # type: ignore[union-attr]
    assert "it is not read" in f.message


def test_a_plan_inside_the_project_is_read(tmp_path: Path) -> None:
    from bdur_cli.actuals.realise import plan_path

    (tmp_path / ".git").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "actuals").mkdir()
    write(tmp_path / "actuals", HEADER + FOUR)
    mapping = tmp_path / "actuals" / "m.yaml"
    mapping.write_text("plan: ../data/allocations.yaml\n" + mapping.read_text(
        encoding="utf-8"), encoding="utf-8")
    assert plan_path(load_mapping(mapping), None) == tmp_path / "actuals" / \
        "../data/allocations.yaml"


def test_actuals_must_be_named_as_an_export(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("Datum;Bedrag\n" + SECRET, encoding="utf-8")
    mapping = write(tmp_path, HEADER + FOUR)
    with pytest.raises(BdurError) as err:
        read_actuals(PLAN, load_mapping(mapping), tmp_path / ".env")
    assert err.value.findings[0].code == "not-an-export"
    assert "hunter2" not in str([f.message for f in err.value.findings])


def test_a_missing_column_quotes_a_short_excerpt_of_the_header(tmp_path: Path) -> None:
    header = ";".join(f"Kolom {i} " + "x" * 100 for i in range(20))
    err = refused(write(tmp_path, header + "\n01-02-2024;a;1,00;BDUR-NW\n",
                        "  header_row: 1\n"))
    message = err.findings[0].message
    assert len(message) < 600
    assert "and 12 more" in message
    assert "x" * 60 not in message


# --- 6. text from an export is text ----------------------------------------------------------

HOSTILE_TEXT = ["clear \x1b[2J\x1b[H", "clip \x1b]52;c;aGFja2Vk\x07", "link \x1b]8;;http://x\x1b\\",
                "bidi \u202egnp.exe", "c1 \x9b31m"]


def test_descriptions_reach_no_terminal_raw(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bdur_cli.cli import app

    lines = "".join(f'0{i + 1}-02-2024;"{t}";1,00;BDUR-XX\n' for i, t in enumerate(HOSTILE_TEXT))
    mapping = write(tmp_path, HEADER + lines)
    a = run(mapping)
    assert [p.description for p in a.unmapped] == [
        "clear \ufffd[2J\ufffd[H", "clip \ufffd]52;c;aGFja2Vk\ufffd",
        "link \ufffd]8;;http://x\ufffd\\", "bidi \ufffdgnp.exe", "c1 \ufffd31m"]
    for fmt in ("table", "csv", "json"):
        out = CliRunner().invoke(app, ["realisation", "-m", str(mapping), "-f",
                                       str(ROOT / "data" / "allocations.yaml"), "--unmapped",
                                       "--format", fmt])
        assert out.exit_code in (0, 1), out.output
        for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert raw not in out.stdout, (fmt, raw)
        assert "clip" in out.stdout


def test_markdown_keeps_links_and_images_text() -> None:
    from bdur_cli.render.markdown import markdown_table
    from bdur_cli.render.safety import html

    assert html("[klik](https://x.example) ![img](https://x.example/p.png)") == \
        "&#91;klik&#93;(https://x.example) !&#91;img&#93;(https://x.example/p.png)"
    table = markdown_table(["Line"], [["[x](y)"]], [False])
    assert "[x]" not in table and "&#91;x&#93;(y)" in table


def test_a_workbook_text_cell_1_234_is_not_guessed() -> None:
    # Found by the fuzz run: text '1,234' in a workbook was read as 1.234.
    from bdur_cli.actuals.ledger import amount_hint

    assert cell_amount("1,234") is None
    assert cell_amount("1.234,00") == Decimal("1234.00")
    assert cell_amount("12,50") == Decimal("12.50")
    assert "may be 1.234 or 1234" in amount_hint("1,234", None)


def test_a_rule_matches_a_prefix_a_value_or_a_description(tmp_path: Path) -> None:
    # cost_centre ["34*", "2100"]: a cost centre starting with 34, or 2100 exactly (not 3510,
    # not 21000); description "congres": contained, whatever the case. Amounts are powers
    # of two, so each total names its postings: booked 1,000 + 4,000 on the data engineer
    # and 16,000 on the network; unmapped 2,000 + 8,000 + 32,000.
    (tmp_path / "e.csv").write_text(
        "Datum;Kpl;Project;Omschrijving;Bedrag\n"
        "05-02-2024;3410;BDUR-DE;Salaris;1.000,00\n"
        "05-02-2024;3510;BDUR-DE;Salaris;2.000,00\n"
        "05-02-2024;2100;BDUR-DE;Salaris;4.000,00\n"
        "05-02-2024;21000;BDUR-DE;Salaris;8.000,00\n"
        "05-02-2024;1000;X;Congres Veiligheid;16.000,00\n"
        "05-02-2024;1000;X;Reiskosten;32.000,00\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "export:\n  file: e.csv\n  columns: {date: Datum, amount: Bedrag, cost_centre: Kpl, "
        "project: Project, description: Omschrijving}\n"
        "rules:\n"
        "  - {line: data-engineer-fte, project: BDUR-DE, cost_centre: ['34*', '2100']}\n"
        "  - {line: netwerkmanagement-middelen, description: congres}\n"
        "  - {line: juridisch-fte, project: BDUR-JUR}\n", encoding="utf-8")
    a = run(tmp_path / "m.yaml")
    # The third rule matches nothing: a warning, the only one of its kind.
    assert [f.message for f in a.findings if f.code == "rule-unused"] == \
        ["rule 3 matches no posting"]
    booked = {a.buckets[b].id: v for (b, _, _), v in a.amounts.items()}
    assert booked == {"data-engineer-fte": Decimal(5000),
                      "netwerkmanagement-middelen": Decimal(16000)}
    assert sorted(p.amount for p in a.unmapped) == [2000, 8000, 32000]
    assert (a.reconciliation.mapped.count, a.reconciliation.unmapped.count) == (3, 3)


@pytest.mark.parametrize("outside", [20, 21])
def test_postings_outside_the_horizon_are_counted_and_the_first_20_located(
        tmp_path: Path, outside: int) -> None:
    # Postings of 2019 (the horizon is 2023-2026) at 100 each, on lines 2 up to outside + 1;
    # the four of 2024 are booked. Twenty are located one by one (MAX_ROW_FINDINGS), the
    # rest counted in one warning.
    rows = "".join(f"05-02-2019;old {i};100,00;BDUR-NW\n" for i in range(outside))
    a = run(write(tmp_path, HEADER + rows + FOUR))
    rec = a.reconciliation
    assert (rec.outside.count, rec.outside.total) == (outside, Decimal(100 * outside))
    assert (rec.mapped.count, rec.mapped.total) == (4, Decimal(4000))
    found = [f for f in a.findings if f.code == "outside-horizon"]
    assert [f.location.line for f in found[:20] if f.location] == list(range(2, 22))
    assert [f.message for f in found[20:]] == \
        ([] if outside == 20 else ["1 more postings like this (21 in all)"])
    assert found[0].message == "posting of 05-02-2019 lies outside the plan's horizon " \
        "2023-2026; it is not booked on the plan"


@pytest.mark.parametrize("bad", [20, 21])
def test_bad_amounts_are_counted_and_the_first_20_located(tmp_path: Path, bad: int) -> None:
    # `bad` rows with the English amount 12.50 (lines 2 up to bad + 1), then the four good
    # ones of 1,000: twenty located one by one, the rest in one finding; all counted.
    rows = "".join(f"05-02-2024;bad {i};12.50;BDUR-NW\n" for i in range(bad))
    a = run(write(tmp_path, HEADER + rows + FOUR))
    found = [f for f in a.findings if f.code == "bad-amount"]
    assert [f.location.line for f in found[:20] if f.location] == list(range(2, 22))
    assert [f.message for f in found[20:]] == \
        ([] if bad == 20 else ["1 more rows like this (21 in all)"])
    assert a.reconciliation.bad_rows == bad
    assert (a.reconciliation.read.count, a.reconciliation.read.total) == (4, Decimal(4000))


def test_the_sign_of_an_amount_with_a_euro_sign_or_a_space() -> None:
    # The fast path reads "-1.234,56"; these take the careful one.
    assert parse_amount("- 1.234,56") == Decimal("-1234.56")
    assert parse_amount("€ -12,50") == Decimal("-12.50")
    assert parse_amount("€ 12,50-") == Decimal("-12.50")
    assert parse_amount("(€ 12,50)") == Decimal("-12.50")
    # One bracket is no negative amount, and no amount.
    assert parse_amount("(1.234,56") is None
    assert parse_amount("1.234,56)") is None
