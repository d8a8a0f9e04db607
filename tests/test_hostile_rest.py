"""The rest of issue 20 (item 7): a long path in `bdur diff`, a Ctrl-C that is swallowed on its
way, and `-o` naming only what a command writes."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bdur_cli import _entry, environment
from bdur_cli.cli import app
from conftest import ROOT

MAPPING = ROOT / "examples" / "realisation" / "mapping.yaml"


def test_a_path_too_long_for_the_file_system_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    name = "x" * 300 + ".yaml"
    result = CliRunner().invoke(app, ["diff", "HEAD", name])
    assert result.exit_code == 2
    assert result.stderr == f"{name}: error: the name is too long [unreadable]\n"


@pytest.mark.parametrize("name", ["x.md", "x.svg"])
def test_o_lists_only_what_realisation_writes(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(app, ["realisation", "-m", str(MAPPING), "-o",
                                      str(tmp_path / name)])
    assert result.exit_code == 2
    said = result.stderr.strip().splitlines()[-1]
    # .xlsx: one year month by month (YEAR --by month), test_forecast.
    assert said.endswith("its files are .csv, .json, .text, .txt, .xlsx [usage]")
    assert not (tmp_path / name).exists()


class Finished(Exception):
    pass


def test_a_swallowed_ctrl_c_still_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    # Code that swallows every exception (as a __del__ or a C call that clears errors does)
    # catches the Stopped of a Ctrl-C; the run must still end as interrupted, never exit 0.
    def command() -> None:
        with contextlib.suppress(BaseException):  # the swallowing this test is about
            environment._stop(signal.SIGINT, None)
        sys.exit(0)

    finished: list[tuple[str, int]] = []

    def finish(message: str, code: int) -> None:
        finished.append((message, code))
        raise Finished

    import bdur_cli.cli

    monkeypatch.setattr(bdur_cli.cli, "main", command)
    monkeypatch.setattr(_entry, "_finish", finish)
    monkeypatch.setattr(environment, "setup", lambda: None)
    monkeypatch.setattr(environment, "received", None)
    monkeypatch.setattr(environment, "ignore_signals", lambda: None)
    with pytest.raises(Finished):
        _entry.main()
    assert finished == [("bdur: interrupted", 130)]


@pytest.mark.slow
def test_ctrl_c_at_any_moment_never_exits_0(tmp_path: Path) -> None:
    # A smoke test over the real process: from 0.1 s on the interpreter has started (a signal
    # before that is Python's own), and every run ends 130 (or -2: killed by SIGINT). The plan
    # has 20,000 lines so that a quiet machine is still checking it when the last signal comes.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import plan_text  # type: ignore[import-not-found]

    plan = tmp_path / "big.yaml"
    plan.write_text(plan_text(20_000), encoding="utf-8")
    bdur = Path(sys.executable).parent / "bdur"
    interrupted = 0
    for delay in (0.1, 0.15, 0.2, 0.3, 0.5):
        proc = subprocess.Popen([str(bdur), "check", str(plan)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        if proc.poll() is not None:  # a quiet machine finished the check before the signal
            proc.communicate(timeout=60)
            continue
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        if b"init_import_site" in err:
            continue  # still inside the interpreter's start on a loaded machine
        interrupted += 1
        assert proc.returncode in (130, -signal.SIGINT), (delay, proc.returncode, err)
    assert interrupted, "no run was still going when its signal came"
