"""`bdur pack`: the board pack, one document from the plan (and, with --mapping, the ledger),
written as HTML, PDF or a workbook. `app` registers it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from .. import __version__
from ..render.formats import Locale, Unit
from .options import (
    ActualsOption,
    AsOfOption,
    LocaleOption,
    MappingOption,
    ThroughOption,
    file_option,
    output_option,
)
from .run import (
    analysed,
    fail,
    finish,
    realisation_only,
    resolve_file,
    run,
    style_of,
    usage_error,
    written,
)

if TYPE_CHECKING:
    from ..render import pack as board_pack


def pack(
    output: Annotated[Path, output_option(
        "The pack to write: FILE.html (prints on A4), FILE.pdf (needs WeasyPrint: pip "
        "install 'bdur[pdf]') or FILE.xlsx.")],
    file: Annotated[Path | None, file_option(
        "The plan. Default: 'plan' in the mapping, else ./data/allocations.yaml.",
        metavar=None)] = None,
    mapping: MappingOption = None,
    scenario: Annotated[list[Path] | None, typer.Option(
        "--scenario", show_default=False,
        help="A scenario to show beside the plan (repeatable).")] = None,
    actuals: ActualsOption = None,
    through: ThroughOption = None,
    as_of: AsOfOption = None,
    locale: LocaleOption = Locale.en,
) -> None:
    """The board pack: one document from the plan (and, with --mapping, the ledger): a title
    page with the files it was made from, a summary, Table 2, Table 1 (fte), the incidental
    overview and a chart, scenarios side by side, budget against realisation per year, goal,
    theme and line with the toelichtingen, the reserve, and an appendix for the accountant
    (the reconciliation to the cent, the postings not booked, the mapping's rules).

    Examples:

      bdur pack -o pack.html

      bdur pack -m examples/realisation/mapping.yaml --through 2026-10 --locale nl -o pack.html
    """
    import hashlib
    from datetime import date

    from ..render import pack as board_pack
    from ..render.output import write_file, write_text_file

    kind = output.suffix.lower()
    if kind not in (".html", ".htm", ".pdf", ".xlsx"):
        usage_error(f"--output {output}: the pack is written as .html, .pdf or .xlsx")
    missing = board_pack.pdf_missing() if kind == ".pdf" else None
    if missing is not None:
        fail(missing.findings, missing.exit_code)
    realisation_only(mapping, actuals, through, as_of)

    def digest(role: str, path: Path) -> board_pack.Source:
        try:
            return board_pack.Source(role, os.path.normpath(path), hashlib.sha256(path.read_bytes())
                                     .hexdigest())
        except OSError:
            return board_pack.Source(role, os.path.normpath(path), "-")

    def work() -> board_pack.Pack:
        # The figures as every command gathers them: with a mapping the analysis once (its
        # plan, amendment chain and mapping come with it), else the plan through the
        # pipeline; never through the public API, which sits above the CLI.
        from ..actuals.mapping import plan_path
        from ..plan import amendments
        from ..plan import tables as core
        from ..plan.comparison import Side, compare
        from ..plan.engine import totals
        from ..plan.pipeline import load_plan

        style = style_of(locale, Unit.euro)
        sources: list[board_pack.Source] = []
        analysis, rules = None, []
        if mapping is not None:
            analysis = analysed(mapping, plan=file, actuals=actuals, through=through,
                                as_of=as_of)
            assert analysis.plan is not None and analysis.mapping is not None
            plan, states, lm = analysis.plan, analysis.states, analysis.mapping
            path = resolve_file(plan_path(lm, file))
            sources.append(digest("mapping", mapping))
            sources.append(digest("ledger export", Path(analysis.reconciliation.file)))
            for role, name in (("explanations", lm.mapping.explanations),
                               ("staffing", lm.mapping.staffing),
                               ("appropriations", lm.mapping.appropriations)):
                if name is not None:
                    sources.append(digest(role, mapping.parent / name))
            rules = board_pack.rule_texts(lm.mapping.rules, core.names_of(plan), style)
        else:
            path = resolve_file(file)
            states = amendments.chain(path)
            plan = load_plan(states[0].path).plan
        sources[:0] = [digest("amendment" if s.is_amendment else "plan", s.path)
                       for s in reversed(states)]
        comparison = None
        if scenario:
            def side(p: Path) -> Side:
                loaded = load_plan(p)
                return Side(loaded.source.path, loaded.scenario.name
                            if loaded.scenario is not None else None, loaded.plan)

            comparison = compare(side(states[0].path), [side(s) for s in scenario])
            sources += [digest("scenario", s) for s in scenario]
        revision = None
        try:
            from ..review.gitrev import Repository

            revision = Repository.find(path.parent.resolve()).commit("HEAD")
        except Exception:  # not a repository, or no git: the pack says so
            revision = None
        return board_pack.Pack(plan, totals(plan), core.table2(plan, None, "goal"),
                               core.fte_table(plan, None), core.incidental_overview(plan, None),
                               date.today(), sources, revision, __version__, comparison,
                               analysis, rules)

    def write() -> None:
        made = work()
        # Every file the pack names on its title page is an input, whichever reader opened
        # it: the output may be none of them (an .xlsx ledger export has the pack's suffix).
        for source in made.sources:
            if output.exists() and Path(source.name).exists() and \
                    os.path.samefile(output, source.name):
                from ..render.safety import refused

                raise refused(output, "is one of the files this run reads; writing it would "
                              "destroy it", "choose another name for the output")
        style = style_of(locale, Unit.euro)
        if kind == ".xlsx":
            write_file(output, board_pack.to_workbook(made, style).save)
        elif kind == ".pdf":
            data = board_pack.to_pdf(made, style)

            def put(f: IO[bytes]) -> None:
                f.write(data)

            write_file(output, put)
        else:
            write_text_file(output, board_pack.to_html(made, style))

    run(write)
    written(output)
    finish()
