"""Hostile and careless input, run through the installed `bdur` in a subprocess.

Each case states the promise of docs/reliability.md it keeps: a clean one-line message or a
located finding, the contract's exit code, no traceback, and no file changed but the output.
Device targets are made with mknod in a temporary folder, so they run only as root.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from conftest import PLAN, ROOT, installed

pytestmark = pytest.mark.slow  # a subprocess each: `python -m pytest -m slow`
ROOTED = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
        timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    environ.update(env or {})
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    proc = subprocess.run([installed(), *map(str, args)], cwd=cwd, env=environ, text=True,
                          timeout=timeout, **kwargs)  # type: ignore[call-overload]
    clean(proc)
    return proc


def clean(proc: subprocess.CompletedProcess[str]) -> None:
    for stream in (proc.stdout or "", proc.stderr or ""):
        assert "Traceback" not in stream, stream
        assert "Exception ignored" not in stream, stream
        assert "internal error" not in stream, stream


@pytest.fixture
def own(tmp_path: Path) -> Path:
    plan = tmp_path / "own.yaml"
    shutil.copy(PLAN, plan)
    return plan


# --- the environment -------------------------------------------------------------------------

def test_closed_stdout_is_a_usage_error_but_a_file_is_still_written(own: Path) -> None:
    proc = run("totals", "-f", own, stdout=None,
               preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert proc.stderr == ("error: cannot write to standard output: it is closed "
                           "[unwritable] (hint: write to a file with -o FILE)\n")
    out = own.parent / "t2.md"
    proc = run("report", "-f", own, "--format", "markdown", "-o", out, stdout=None,
               preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("| Main goal / kind | Theme |")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("args", [("totals",), ("--help",)])
def test_a_full_disk_on_stdout_is_exit_2_with_a_message(args: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        proc = run(*args, stdout=full)
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_output_encoding_without_the_euro_sign_degrades_to_eur(encoding: str) -> None:
    proc = run("totals", "2024", env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0
    assert "|Funding (forecast)      | EUR1,650,000|" in proc.stdout
    assert "€" not in proc.stdout
    # The columns still line up: every row of the summary table is as wide as its border.
    rows = [line for line in proc.stdout.splitlines() if line.startswith(("|", "+"))]
    assert rows and len({len(r) for r in rows[:11]}) == 1
    md = run("report", "--format", "markdown", env={"PYTHONIOENCODING": encoding})
    assert "| EUR100,000 |" in md.stdout


def test_absurd_or_malformed_columns_are_ignored_or_capped() -> None:
    from bdur_cli import environment

    for value, width in [("99999999999999999999", 500), ("999999999", 500), ("²", None),
                         ("-5", None), ("abc", None), ("0", None), ("1e9", None),
                         ("120", 120), (" 80 ", 80), ("501", 500)]:
        os.environ["COLUMNS"] = value
        try:
            assert environment.columns() == width, value
        finally:
            del os.environ["COLUMNS"]
    # In the installed program: quick, no huge table, help still drawn.
    for columns in ("99999999999999999999", "²"):
        start = time.monotonic()
        proc = run("totals", env={"COLUMNS": columns}, timeout=30)
        assert proc.returncode == 0 and "€1,685,000" in proc.stdout
        assert max(len(line) for line in proc.stdout.splitlines()) <= 500
        helped = run("--help", env={"COLUMNS": columns}, timeout=30)
        assert helped.returncode == 0 and "Usage: bdur" in helped.stdout
        assert max(len(line) for line in helped.stdout.splitlines()) <= 500
        assert time.monotonic() - start < 20


def test_sizes_take_units_counted_in_1024s() -> None:
    from bdur_cli.environment import BadSetting, parse_size

    assert parse_size("100MB") == 100 * 2**20
    assert parse_size("512 k") == 512 * 1024
    assert parse_size("2GiB") == 2 * 2**30
    assert parse_size("33554432") == 33554432
    assert parse_size("1b") == 1
    for bad in ("²", "-1", "0", "lots", "1.5MB", "", "1 TB", "١٢"):
        with pytest.raises(BadSetting):
            parse_size(bad)


@pytest.mark.parametrize(("value", "code"), [("100MB", 0), ("1 k", 2), ("²", 2)])
def test_bdur_max_bytes_takes_units_or_stops_with_a_clear_error(value: str, code: int) -> None:
    proc = run("totals", env={"BDUR_MAX_BYTES": value})
    assert proc.returncode == code, proc.stderr
    if value == "1 k":  # a valid size, but the memo's plan is larger than 1,024 bytes
        assert "the limit is 1,024 bytes [too-large]" in proc.stderr
    elif code == 2:
        assert proc.stderr == (
            f"error: BDUR_MAX_BYTES={value!r} is not a size; write a number of bytes, or one "
            "with K, M or G (e.g. 100MB) [usage]\n")


def before_bdur(err: str) -> bool:
    """A signal in the interpreter's own start-up or in the console-script wrapper while it
    finds the package, before the first line of bdur's code (20-60 ms): Python reports it
    itself, and no frame of the traceback is in bdur_cli/."""
    return err.startswith("Fatal Python error") or (
        "Traceback" in err and f"{os.sep}bdur_cli{os.sep}" not in err)


def _interrupt_after(delay: float, args: tuple[str, ...], signum: int = signal.SIGINT,
                     cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen([installed(), *args], cwd=cwd, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if not before_bdur(err):
        clean(done)
    return done


def test_ctrl_c_at_any_moment_is_exit_130_and_one_line() -> None:
    # From the first milliseconds (imports) to the end of the run: never a traceback. The
    # later moments are fractions of a whole run timed here, so a fast or a busy machine
    # still interrupts bdur mid-run rather than before it starts or after it ends.
    started = time.perf_counter()
    whole = run("report")
    took = time.perf_counter() - started
    assert whole.returncode == 0, whole
    delays = [0.01, 0.05, *(took * f for f in (0.4, 0.55, 0.7, 0.8, 0.9))]
    stopped = 0
    for delay in delays:
        proc = _interrupt_after(delay, ("report",))
        if proc.returncode == 0 or before_bdur(proc.stderr):
            continue  # finished before the signal came, or bdur had not started yet
        stopped += 1
        assert proc.returncode in (130, -signal.SIGINT), proc
        if proc.returncode == 130:
            assert proc.stderr.strip().splitlines()[-1] == "bdur: interrupted"
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert stopped >= 2


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path,
                                                         own: Path) -> None:
    target = tmp_path / "t2.xlsx"
    for delay in (0.2, 0.4):
        proc = _interrupt_after(delay, ("report", "-f", str(own), "--format", "xlsx", "-o",
                                        str(target)), signal.SIGTERM, cwd=tmp_path)
        # -SIGTERM: the signal came in the interpreter's start-up, before bdur's handler.
        assert proc.returncode in (0, 143, -signal.SIGTERM), proc
        if proc.returncode == 143:
            assert proc.stderr.strip() == "bdur: terminated"
        assert sorted(p.name for p in tmp_path.iterdir()) in (
            ["own.yaml"], ["own.yaml", "t2.xlsx"])


# --- what a plan holds: numbers, names, keys -----------------------------------------------

#: (file name, exact text in the shipped plan, its replacement, expected finding line).
CONTENT = [
    ("sexagesimal", "amount: 1650000", "amount: 1:30",
     ":26:13: error: '1:30' is a base-60 (sexagesimal) number (YAML 1.1 reads 90), not a "
     "plain decimal [yaml-number]"),
    ("binary", "amount: 1650000", "amount: 0b101",
     ":26:13: error: '0b101' is a binary number (YAML 1.1 reads 5), not a plain decimal "
     "[yaml-number]"),
    ("hex", "amount: 1650000", "amount: 0x1578dd",
     ":26:13: error: '0x1578dd' is a hexadecimal number (YAML 1.1 reads 1407197), not a plain "
     "decimal [yaml-number]"),
    ("octal", "amount: 1650000", "amount: 010",
     ":26:13: error: '010' is an octal number (YAML 1.1 reads 8), not a plain decimal "
     "[yaml-number]"),
    ("int-tag", "amount: 1650000", "amount: !!int '0x10'",
     ":26:13: error: the tag !!int is not supported: a number is written plainly [yaml-tag]"),
    ("float-tag", "amount: 1650000", "amount: !!float 1650000",
     ":26:13: error: the tag !!float is not supported: a number is written plainly "
     "[yaml-tag]"),
    ("quoted-hex", "amount: 1650000", "amount: '0x10'",
     ":26:13: error: funding[2024].amount: '0x10' is a hexadecimal number (YAML 1.1 reads "
     "16), not a plain decimal [yaml-number]"),
    ("digits", "amount: 1650000", "amount: " + "1" * 4301,
     ":26:13: error: a number of 4,301 digits; bdur reads at most 30 [too-many-digits]"),
    ("escape", "name: Toekomstgerichte crisisbeheersing",
     'name: "Toekomstgericht\\e[2J\\e]0;pwned\\a"',
     ":52:11: error: text contains the control character U+001B (ESC) [control-character]"),
    ("csi", "department: S&B", 'department: "S\\u009b&B"',
     ":152:17: error: text contains the control character U+009B (CSI) [control-character]"),
    ("carriage-return", "note: Brief JenV 12 december 2022 (nettobedrag, landelijke "
     "reserveringen al afgehaald)", 'note: "Brief JenV\\rAll fine"',
     ":24:11: error: text contains the control character U+000D (CR) [control-character]"),
    ("null-key", "  2024:\n", "  ~:\n",
     ":25:3: error: the key '~' is read by YAML as null, not as a name or a year [yaml-key]"),
]


def test_number_forms_control_characters_and_odd_keys_are_located_findings(
        tmp_path: Path, plan_text: str) -> None:
    paths = []
    for name, old, new, _ in CONTENT:
        assert plan_text.count(old) == 1, old
        path = tmp_path / f"{name}.yaml"
        path.write_text(plan_text.replace(old, new), encoding="utf-8")
        paths.append(path)
    proc = run("check", "--format", "github", *paths)
    assert proc.returncode == 1
    # One finding per file, at the edit, with its code; and no escape code reaches stdout.
    lines = [line for line in proc.stdout.splitlines() if line.startswith("::error")]
    assert len(lines) == len(CONTENT), proc.stdout
    text = run("check", *paths).stdout
    for (name, _, _, expected), path in zip(CONTENT, paths, strict=True):
        assert f"{path}{expected}" in text.splitlines(), (name, text)
    assert "\x1b" not in text and "\x9b" not in text and "\r" not in text
    # Every command refuses the file the same way, never a traceback or a crash in a writer.
    escape = paths[[c[0] for c in CONTENT].index("escape")]
    out = tmp_path / "t.xlsx"
    proc = run("report", "-f", escape, "--format", "xlsx", "-o", out)
    assert proc.returncode == 1 and not out.exists()
    assert "[control-character]" in proc.stderr


# --- a scenario's base stays inside its project ----------------------------------------------

SECRET = "db_password: hunter2\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder (bdur runs in it) with the memo's plan, beside a folder of secrets."""
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "creds.yaml").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret" / "plan.yaml").write_text(PLAN.read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    proj = tmp_path / "proj"
    (proj / "data" / "scenarios").mkdir(parents=True)
    shutil.copy(PLAN, proj / "data" / "allocations.yaml")
    return proj


def _scenario(proj: Path, name: str, base: str) -> Path:
    path = proj / "data" / "scenarios" / f"{name}.yaml"
    path.write_text(f"scenario:\n  name: {name}\nbase: {base}\n", encoding="utf-8")
    return path


def test_a_base_outside_the_project_is_a_finding_that_shows_nothing_of_it(
        project: Path) -> None:
    (project / "data" / "link.yaml").symlink_to(project.parent / "secret" / "plan.yaml")
    (project / "data" / "la.yaml").symlink_to("lb.yaml")
    (project / "data" / "lb.yaml").symlink_to("la.yaml")
    os.mkfifo(project / "data" / "fifo.yaml")
    cases = {
        "fine": ("../allocations.yaml", None),
        "up": ("../../../secret/creds.yaml",
               "base '../../../secret/creds.yaml' lies outside the project ({root}); it is not "
               "read [base-outside]"),
        "plan-outside": ("../../../secret/plan.yaml",
                         "base '../../../secret/plan.yaml' lies outside the project ({root}); "
                         "it is not read [base-outside]"),
        "absolute": ("/etc/shadow",
                     "base '/etc/shadow' is not a .yaml or .yml file; it is not read "
                     "[base-outside]"),
        "device": ("/dev/zero", "base '/dev/zero' is not a .yaml or .yml file; it is not read "
                   "[base-outside]"),
        "symlink-out": ("../link.yaml", "base '../link.yaml' lies outside the project "
                        "({root}); it is not read [base-outside]"),
        "loop": ("../la.yaml", "base '../la.yaml' cannot be read: a loop of symbolic links "
                 "(data/la.yaml) [bad-base]"),
        "fifo": ("../fifo.yaml", "base '../fifo.yaml' cannot be read: is a FIFO (named pipe), "
                 "not a plan file (data/fifo.yaml) [bad-base]"),
        "long": ("../" + "x" * 300 + ".yaml", "the base name is too long [bad-base]"),
        "nul": ('"a\\0b.yaml"', "text contains the control character U+0000 (NUL) "
                "[control-character]"),
    }
    paths = [_scenario(project, name, base) for name, (base, _) in cases.items()]
    proc = run("check", *(p.relative_to(project) for p in paths), cwd=project, timeout=30)
    assert proc.returncode == 1
    assert "hunter2" not in proc.stdout + proc.stderr
    assert "db_password" not in proc.stdout + proc.stderr
    found = [line for line in proc.stdout.splitlines() if ": error: " in line]
    expected = [f"data/scenarios/{name}.yaml:3:7: error: " +
                message.format(root=os.path.realpath(project))
                for name, (_, message) in cases.items() if message]
    assert found == expected


def test_in_a_git_work_tree_the_project_is_the_work_tree(project: Path) -> None:
    # bdur runs from a subfolder; a base elsewhere in the same work tree is fine.
    (project / ".git").mkdir()
    (project / "other").mkdir()
    shutil.copy(PLAN, project / "other" / "plan.yaml")
    _scenario(project, "sideways", "../../other/plan.yaml")
    proc = run("totals", "2024", "--format", "csv", "-f", "scenarios/sideways.yaml",
               cwd=project / "data")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].startswith("2024,1650000,1505000,")


def test_a_file_that_is_not_a_bdur_file_is_never_quoted(project: Path) -> None:
    broken = project.parent / "secret" / "broken.yaml"
    broken.write_text("token: [abc\nsecret: x\n", encoding="utf-8")
    latin = project.parent / "secret" / "latin.yaml"
    latin.write_bytes(b"password: caf\xe9\n")
    creds = project.parent / "secret" / "creds.yaml"
    proc = run("check", creds, broken, latin, cwd=project)
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        f"{creds}:1:1: error: this is not a bdur file: none of its top-level keys is one of a "
        "plan (plan, funding, ...) or a scenario (scenario, base) [not-a-plan]",
        "  hint: check that the path names the plan or scenario you mean",
        f"{broken}:2:7: error: did not find expected ',' or ']' (while parsing a flow "
        "sequence) [yaml-syntax]",
        f"{latin}:1:14: error: not UTF-8: byte 0xe9 cannot be decoded [encoding]",
        "  hint: save the file as UTF-8 (for example with 'iconv -f cp1252 -t utf-8', which "
        "also reads a € saved by Windows)"]
    # A plan's own syntax error is still quoted.
    plan = project / "data" / "allocations.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("status: granted",
                                                             "status: [granted"),
                    encoding="utf-8")
    assert " 24 |     note: Brief JenV 12 december 2022" in run("check", plan, cwd=project).stdout


def test_the_top_level_keys_that_make_a_file_quotable_are_the_models() -> None:
    from bdur_cli.actuals.mapping import ExplanationsFile, Mapping
    from bdur_cli.plan.loader import TOP_KEYS
    from bdur_cli.plan.model import Plan
    from bdur_cli.plan.scenario import Scenario

    fields = {*Plan.model_fields, *Scenario.model_fields, *Mapping.model_fields,
              *ExplanationsFile.model_fields}
    assert fields <= TOP_KEYS, fields - TOP_KEYS


# --- outputs: only regular files, never an input, mode kept ---------------------------------

def _unchanged(*paths: Path) -> dict[Path, tuple[int, int, bytes]]:
    out = {}
    for p in paths:
        info = p.lstat()
        data = p.read_bytes() if p.is_file() and not p.is_symlink() else b""
        out[p] = (info.st_mode, info.st_ino, data)
    return out


@pytest.mark.skipif(not ROOTED, reason="mknod needs root")
def test_a_device_at_the_target_is_refused_and_left_alone(tmp_path: Path, own: Path) -> None:
    # Character devices 1,3 and 1,7 are /dev/null and /dev/full, made here under other names.
    null, full = tmp_path / "null.md", tmp_path / "full.xlsx"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    before = _unchanged(null, full)
    for target, fmt in ((null, "markdown"), (full, "xlsx")):
        proc = run("report", "--format", fmt, "-f", own, "-o", target, cwd=tmp_path)
        assert proc.returncode == 2
        assert proc.stderr == (f"{target}: error: is a device, not a regular file; bdur "
                               "writes only regular files [unwritable] (hint: leave out -o "
                               "(or write -o -) to send the output to stdout)\n")
    proc = run("report", "-f", own, "-o", "/dev/stdout", cwd=tmp_path, stdout=subprocess.PIPE)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    assert _unchanged(null, full) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.xlsx", "null.md", "own.yaml"]


def test_a_fifo_socket_or_directory_at_the_target_is_refused(
        tmp_path: Path, own: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    sock = tmp_path / "sock.md"
    server = socket.socket(socket.AF_UNIX)
    # By its name inside tmp_path: a socket's whole path may hold only 107 bytes, and
    # pytest's temporary path can be longer than that.
    monkeypatch.chdir(tmp_path)
    server.bind(sock.name)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    try:
        for target, kind in ((fifo, "a FIFO (named pipe)"), (sock, "a socket")):
            proc = run("report", "-f", own, "--format", "markdown", "-o", target, timeout=20)
            assert proc.returncode == 2
            assert proc.stderr.startswith(f"{target}: error: is {kind}, not a regular file")
        # bdur's own one-line error (not click's box, whose wrapping depends on the width).
        proc = run("report", "-f", own, "--format", "markdown", "-o", folder)
        assert proc.returncode == 2
        assert proc.stderr.startswith(f"{folder}: error: is a directory, not a regular file")
        assert proc.stderr.count("\n") == 1
    finally:
        server.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.md", "folder.md", "own.yaml",
                                                          "sock.md"]


def test_no_input_is_ever_overwritten(tmp_path: Path, own: Path) -> None:
    scen_dir = tmp_path / "scenarios"
    scen_dir.mkdir()
    mid = scen_dir / "mid.yaml"
    mid.write_text("scenario:\n  name: mid\nbase: ../own.yaml\n", encoding="utf-8")
    top = scen_dir / "top.yaml"
    top.write_text("scenario:\n  name: top\nbase: mid.yaml\n", encoding="utf-8")
    (tmp_path / "alias.md").symlink_to(own)
    os.link(mid, tmp_path / "hard.md")
    before = _unchanged(own, mid, top)
    cases = [("-f", own, own), ("-f", top, top), ("-f", top, mid), ("-f", top, own),
             ("-f", own, tmp_path / "alias.md"), ("-f", top, tmp_path / "hard.md")]
    for flag, plan, target in cases:
        proc = run("report", flag, plan, "--format", "markdown", "-o", target, cwd=tmp_path)
        assert proc.returncode == 2, (plan, target, proc.stderr)
        assert proc.stderr == (f"{target}: error: is one of the files this run reads; writing "
                               "it would destroy it [unwritable] (hint: choose another name "
                               "for the output)\n")
    # The default plan (./data/allocations.yaml) is an input too.
    (tmp_path / "data").mkdir()
    default = tmp_path / "data" / "allocations.yaml"
    shutil.copy(PLAN, default)
    proc = run("chart", "-o", "data/allocations.yaml", cwd=tmp_path)
    assert proc.returncode == 2  # not .svg
    (tmp_path / "data" / "plan.svg").symlink_to("allocations.yaml")
    proc = run("chart", "-o", "data/plan.svg", cwd=tmp_path)
    assert proc.returncode == 2 and "one of the files this run reads" in proc.stderr
    assert _unchanged(own, mid, top) == before
    assert default.read_bytes() == PLAN.read_bytes()


def test_an_existing_file_keeps_its_mode_and_stdout_is_a_dash(tmp_path: Path,
                                                              own: Path) -> None:
    private = tmp_path / "t2.md"
    private.write_text("old\n", encoding="utf-8")
    private.chmod(0o600)
    proc = run("report", "-f", own, "--format", "markdown", "-o", private)
    assert proc.returncode == 0 and proc.stderr == f"wrote {private}\n"
    assert private.stat().st_mode & 0o777 == 0o600
    assert private.read_text(encoding="utf-8").startswith("| Main goal / kind | Theme |")
    fresh = tmp_path / "new.md"
    proc = run("report", "-f", own, "--format", "markdown", "-o", fresh)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()
    dash = run("report", "-f", own, "--format", "markdown", "-o", "-")
    assert (dash.returncode, dash.stderr) == (0, "")
    assert dash.stdout == fresh.read_text(encoding="utf-8")
    xlsx = subprocess.run([installed(), "report", "-f", str(own), "--format", "xlsx", "-o", "-"],
                          capture_output=True, timeout=60)
    assert xlsx.returncode == 0 and xlsx.stdout[:2] == b"PK" and xlsx.stderr == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.md", "own.yaml", "t2.md"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- names are text, not instructions --------------------------------------------------------

def test_formulas_in_names_are_neutralised_in_csv_and_xlsx_and_html_escaped_in_markdown(
        tmp_path: Path, plan_text: str) -> None:
    edits = {
        "short: toek. CB": "short: =HYPERLINK(\"http://x\",\"y\")",
        "name: Langdurige/ongekende/nieuwe crises (incl. versterken rollen L&C en IM)":
            "name: \"@SUM(1+1)*cmd|' /C calc'!A0\"",
        "department: S&B": "department: '-2+3'",
        "department: IM  # Table 1: \"IM (S&B?)\"; Table 2: IM": "department: '+IM'",
        "department: RCB  # Table 1: RCB; Table 2: \"(de)centraal?\"":
            "department: \"\\tRCB <script>alert(1)</script>\"",
    }
    text = plan_text
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    assert run("check", plan).returncode == 0
    csv_text = run("report", "-f", plan, "--format", "csv").stdout
    tidy = run("report", "-f", plan, "--format", "csv", "--tidy").stdout
    for out in (csv_text, tidy):
        assert ",'-2+3," in out and ",'+IM," in out and ",'\tRCB <script>" in out
    assert "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"," in csv_text
    assert ",'@SUM(1+1)*cmd|' /C calc'!A0," in csv_text
    # Numbers stay numbers: a negative gap is written as it is.
    assert ",-277851," in csv_text
    md = run("report", "-f", plan, "--format", "markdown").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md and "<script>" not in md
    out = tmp_path / "t2.xlsx"
    assert run("report", "-f", plan, "--format", "xlsx", "-o", out).returncode == 0
    from openpyxl import load_workbook

    cells = [c for ws in load_workbook(out).worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []
    hyper = [c for c in cells if c.value.startswith("=HYPERLINK")]
    assert hyper and all(c.quotePrefix for c in hyper)
    numbers = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows()
               for c in row if isinstance(c.value, int) and c.value < 0]
    assert -277851 in numbers
