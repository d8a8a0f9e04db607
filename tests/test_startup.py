"""A command imports what it uses (issue 24): the modules a run of the console script has
loaded when it ends, listed from `sys.modules` in a fresh process (in-process runs share the
test session's imports, so they could prove nothing). No timing: a module that is not
imported costs nothing on any machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import PLAN, ROOT

# Runs the console script's own entry point, then writes the loaded modules as JSON to a pipe
# (stdout and stderr stay the command's own).
_PROBE = """
import json, os, sys
sys.argv = ["bdur", *sys.argv[1:]]
from bdur_cli._entry import main
try:
    main()
except SystemExit:
    pass
os.write(int(os.environ["PROBE_FD"]), json.dumps(sorted(sys.modules)).encode())
"""


def _modules(*args: str, cache: str = "0") -> tuple[set[str], str]:
    read, write = os.pipe()
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, pass_fds=(write,),
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "BDUR_CACHE": cache, "PROBE_FD": str(write)})
    os.close(write)
    with open(read, "rb") as fh:
        loaded = set(json.loads(fh.read()))
    return loaded, proc.stdout


def _under(loaded: set[str], *packages: str) -> list[str]:
    return sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in packages))


def test_version_imports_nothing_of_the_command_line() -> None:
    loaded, out = _modules("--version")
    assert out == "bdur 0.1.0\n"
    assert _under(loaded, "typer", "click", "rich", "pydantic", "yaml", "bdur_cli.plan",
                  "bdur_cli.cli", "bdur_cli.render") == []


def test_what_help_and_totals_import() -> None:
    loaded, out = _modules("--help")
    assert "totals" in out
    loaded.discard("pydantic.plugin._loader")  # _entry's stand-in, not pydantic
    # The list of commands is typer's and rich's; no plan is read, so no model is built.
    assert _under(loaded, "pydantic", "yaml", "bdur_cli.plan", "bdur_cli.actuals",
                  "bdur_cli.review") == []

    loaded, out = _modules("totals", "2024", "-f", str(PLAN))
    assert "1.505.000" in out or "1,505,000" in out  # the memo's 2024 total
    assert {"bdur_cli.plan.model", "bdur_cli.plan.engine", "pydantic"} <= loaded
    # Not the realisation, the review (git), the chart, the board pack, xlsx or scenarios.
    assert _under(loaded, "bdur_cli.actuals", "bdur_cli.review", "bdur_cli.render.chart",
                  "bdur_cli.render.xlsx", "bdur_cli.render.pack", "bdur_cli.render.html",
                  "bdur_cli.plan.scenario", "openpyxl", "python_calamine") == []
    # Nor pydantic's plugin loader's package metadata (plugins are off: _entry).
    assert _under(loaded, "importlib.metadata", "email", "zipfile") == []


def test_the_plugin_loader_stand_in_hands_on_anything_else() -> None:
    code = ("from bdur_cli._entry import _no_plugin_loader; _no_plugin_loader(); "
            "import importlib; m = importlib.import_module('pydantic.plugin._loader'); "
            "print(m.get_plugins(), "
            "m.PYDANTIC_ENTRY_POINT_GROUP)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}, timeout=60)
    assert done.stdout == "() pydantic\n", done.stderr


def test_a_plan_from_the_cache_needs_no_yaml_parser(tmp_path: Path) -> None:
    first, _ = _modules("totals", "2024", "-f", str(PLAN), cache=str(tmp_path))
    assert "yaml.constructor" in first and "yaml._yaml" in first
    # Another year of the same plan: its figures are new, its parsed data kept.
    other, _ = _modules("totals", "2025", "-f", str(PLAN), cache=str(tmp_path))
    assert "bdur_cli.plan.model" in other
    # `yaml` itself is a placeholder that loads on first use (loader._lazy_module).
    assert _under(other, "yaml") == ["yaml"]


def test_figures_shown_before_need_no_model_engine_or_yaml(tmp_path: Path) -> None:
    args = ("totals", "2024", "-f", str(PLAN))
    first, out = _modules(*args, cache=str(tmp_path))
    again, out_again = _modules(*args, cache=str(tmp_path))
    assert out_again == out
    assert "1,505,000" in out  # the memo's 2024 total
    assert {"bdur_cli.plan.model", "bdur_cli.plan.engine"} <= first
    # The kept figures are drawn as they are: no plan is read, validated or computed.
    assert _under(again, "yaml", "bdur_cli.plan.model", "bdur_cli.plan.engine",
                  "bdur_cli.plan.flows", "bdur_cli.plan.pipeline", "bdur_cli.plan.loader",
                  "bdur_cli.plan.source", "bdur_cli.api", "bdur_cli.scalars",
                  "bdur_cli.render.findings") == []
