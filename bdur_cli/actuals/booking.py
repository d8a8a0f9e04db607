"""Booking: every posting of a ledger export put on a plan line (a bucket), or kept as
unmapped, outside the horizon or ambiguous (matched by two rules).

Every run reconciles: the postings read and their total are split into those four parts, and
the parts add up to the cent. Nothing is dropped: an unmapped posting is kept and listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_USAGE, BdurError, Finding, Location
from ..plan.model import Plan
from .analysis import Bucket, buckets, cents
from .ledger import Export, Posting, open_export
from .mapping import LoadedMapping, Rule, export_path, mapping_findings, spec_of

ZERO = Decimal(0)
MAX_ROW_FINDINGS = 20


@dataclass(frozen=True, slots=True)
class Part:
    """A number of postings and their total."""

    count: int = 0
    total: Decimal = ZERO

    def __add__(self, other: Part) -> Part:
        return Part(self.count + other.count, self.total + other.total)


@dataclass(frozen=True)
class Reconciliation:
    """Every posting read, and where it went. mapped + unmapped + outside + ambiguous = read,
    in count and to the cent; `bad_rows` could not be read as postings at all."""

    file: str
    read: Part
    mapped: Part
    unmapped: Part
    outside: Part
    ambiguous: Part
    bad_rows: int
    kind: str
    encoding: str | None
    header_row: int

    @property
    def balanced(self) -> bool:
        return self.mapped + self.unmapped + self.outside + self.ambiguous == self.read

    def as_dict(self) -> dict[str, object]:
        def part(p: Part) -> dict[str, object]:
            return {"postings": p.count, "total": p.total}

        return {"file": self.file, "format": self.kind, "encoding": self.encoding,
                "header_row": self.header_row, "read": part(self.read),
                "mapped": part(self.mapped), "unmapped": part(self.unmapped),
                "outside_horizon": part(self.outside), "ambiguous": part(self.ambiguous),
                "unreadable_rows": self.bad_rows, "balanced": self.balanced}


@dataclass
class Actuals:
    """The export mapped onto the plan: amounts and posting counts per (bucket, year, month),
    the postings no rule took, the reconciliation and the findings."""

    buckets: list[Bucket]
    amounts: dict[tuple[int, int, int], Decimal]
    counts: dict[tuple[int, int, int], int]
    unmapped: list[Posting]
    reconciliation: Reconciliation
    findings: list[Finding] = field(default_factory=list)
    rule_use: list[int] = field(default_factory=list)
    #: Income booked per (bucket, year, month), as a positive amount (minus the ledger's).
    income: dict[tuple[int, int, int], Decimal] = field(default_factory=dict)
    #: Funding received per (source, year, month), as a positive amount.
    funding: dict[tuple[str, int, int], Decimal] = field(default_factory=dict)
    #: Postings two rules match that book on different places, with those rules.
    ambiguous: list[tuple[Posting, tuple[int, ...]]] = field(default_factory=list)


Key = tuple[str, str, str, str]  # cost centre, account, project, description


def _matcher(values: tuple[str, ...]) -> Callable[[str], bool]:
    exact = frozenset(v for v in values if not v.endswith("*"))
    prefixes = tuple(v[:-1] for v in values if v.endswith("*"))
    if not prefixes:
        return exact.__contains__
    return lambda s: s in exact or s.startswith(prefixes)


def _contains(needle: str) -> Callable[[str], bool]:
    folded = needle.casefold()
    return lambda s: folded in s.casefold()


def _rule_test(rule: Rule) -> Callable[[Key], bool]:
    tests: list[tuple[int, Callable[[str], bool]]] = []
    for name, values in rule.conditions.items():
        if name == "description":
            tests.append((3, _contains(values[0])))
        else:
            tests.append((("cost_centre", "account", "project").index(name), _matcher(values)))
    return lambda key: all(test(key[i]) for i, test in tests)


def balance(rec: Reconciliation) -> None:
    """Refuse a reconciliation whose parts do not add up to what was read: the parts are
    counted in one pass, so only a bug gets here, and it would lose money. An explicit error
    (exit 2, as every internal error), not an `assert`, which `python -O` removes."""
    if not rec.balanced:
        parts = rec.mapped + rec.unmapped + rec.outside + rec.ambiguous
        raise BdurError([Finding(
            "internal", "internal error: the postings do not reconcile: "
            f"{rec.read.count:,} read ({cents(rec.read.total)}), {parts.count:,} accounted "
            f"for ({cents(parts.total)})", location=Location(rec.file),
            hint="please report this with the export that caused it")], EXIT_USAGE)


def read_actuals(plan: Plan, lm: LoadedMapping, actuals: Path | None = None) -> Actuals:
    """Read the export the mapping describes (or `actuals`) and book every posting.

    Raises `BdurError` when the mapping names lines the plan lacks, or the export cannot be
    opened or lacks a column; every other problem is a finding in the result."""
    errors = mapping_findings(plan, lm)
    if errors:
        raise BdurError(errors, EXIT_INVALID, {lm.source.path: lm.source.text})
    path, shown = export_path(lm, actuals)
    try:
        export = open_export(path, spec_of(lm), shown)
    except BdurError as exc:
        exc.source_text.setdefault(lm.source.path, lm.source.text)
        raise
    return book(plan, lm, export)


def _destinations(plan: Plan, rules: list[Rule], of_rule: list[int]
                  ) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Per rule what it books on: (0, bucket, "") as cost, (1, bucket, "") as income,
    (2, -1, source) as funding; and the plan's funding sources, 'bdur' first."""
    sources = ["bdur", *(s.id for s in plan.sources)]
    out: list[tuple[int, int, str]] = []
    for r, rule in enumerate(rules):
        if rule.funding is not None:
            out.append((2, -1, rule.funding))
        else:
            out.append((1 if rule.book == "income" else 0, of_rule[r], ""))
    return out, sources


def book(plan: Plan, lm: LoadedMapping, export: Export) -> Actuals:
    """Every posting of `export` booked on a bucket (as cost or income) or a funding source,
    or kept as unmapped, outside the horizon or ambiguous; the reconciliation adds them up.

    Two rules that match a posting and book on the same place are no conflict (the first
    books it). Two that book on different places make it ambiguous (listed, not booked),
    unless the mapping says `first_match: true`: then the first rule in the file books it and
    the overlap is a warning."""
    rules = lm.mapping.rules
    bucket_list, targets = buckets(plan, (r.target for r in rules))
    # read_actuals refused rules that name what the plan lacks, so every rule has a bucket.
    of_rule = [b if b is not None else -1 for b in targets]
    dest, _ = _destinations(plan, rules, of_rule)
    first_match = lm.mapping.first_match
    tests = [_rule_test(r) for r in rules]
    uses_description = any(r.description is not None for r in rules)
    first, last = plan.years.start, plan.years.stop - 1
    amounts: dict[tuple[int, int, int], Decimal] = {}
    counts: dict[tuple[int, int, int], int] = {}
    income: dict[tuple[int, int, int], Decimal] = {}
    funding: dict[tuple[str, int, int], Decimal] = {}
    rule_use = [0] * len(rules)
    # Per posting key: the rule that books it (-1: none, -2: ambiguous) and every rule that
    # matched it.
    cache: dict[Key, tuple[int, tuple[int, ...]]] = {}
    overlaps: dict[tuple[int, ...], int] = {}
    # Counted in plain locals: this loop runs once per posting.
    n_read = n_mapped = n_unmapped = n_outside = n_ambiguous = 0
    t_read = t_mapped = t_unmapped = t_outside = t_ambiguous = ZERO
    unmapped_rows: list[Posting] = []
    ambiguous_rows: list[tuple[Posting, tuple[int, ...]]] = []
    findings = export.findings
    path = export.meta.path
    for p in export.postings():
        amount = p.amount
        n_read += 1
        t_read += amount
        year = p.date.year
        if not first <= year <= last:
            n_outside += 1
            t_outside += amount
            if n_outside <= MAX_ROW_FINDINGS:
                findings.append(Finding(
                    "outside-horizon", f"posting of {p.date:%d-%m-%Y} lies outside the plan's "
                    f"horizon {first}-{last}; it is not booked on the plan", level="warning",
                    location=Location(path, p.row, 0)))
            continue
        key = (p.cost_centre, p.account, p.project, p.description if uses_description else "")
        found = cache.get(key)
        if found is None:
            hits = tuple(i for i, test in enumerate(tests) if test(key))
            if not hits:
                found = (-1, hits)
            elif len({dest[i] for i in hits}) == 1:
                found = (hits[0], hits)
            else:
                found = (hits[0] if first_match else -2, hits)
            cache[key] = found
        r, hits = found
        if r >= 0:
            for h in hits:
                rule_use[h] += 1
            if len(hits) > 1 and first_match:
                overlaps[hits] = overlaps.get(hits, 0) + 1
            where, target, source_id = dest[r]
            if where == 0:
                cell = (target, year, p.date.month)
                amounts[cell] = amounts.get(cell, ZERO) + amount
                counts[cell] = counts.get(cell, 0) + 1
            elif where == 1:
                cell = (target, year, p.date.month)
                income[cell] = income.get(cell, ZERO) - amount
            else:
                receipt = (source_id, year, p.date.month)
                funding[receipt] = funding.get(receipt, ZERO) - amount
            n_mapped += 1
            t_mapped += amount
        elif r == -1:
            n_unmapped += 1
            t_unmapped += amount
            unmapped_rows.append(p)
        else:
            n_ambiguous += 1
            t_ambiguous += amount
            ambiguous_rows.append((p, hits))
            for h in hits:
                rule_use[h] += 1
            if n_ambiguous <= MAX_ROW_FINDINGS:
                findings.append(Finding(
                    "ambiguous-posting", f"posting matches {_rules_named(lm, bucket_list, hits)}"
                    "; it is not booked", location=Location(path, p.row, 0),
                    hint="make the rules exclusive, e.g. by account or project, or order "
                    "them and set 'first_match: true' in the mapping"))
    read, mapped = Part(n_read, t_read), Part(n_mapped, t_mapped)
    unmapped, outside = Part(n_unmapped, t_unmapped), Part(n_outside, t_outside)
    ambiguous = Part(n_ambiguous, t_ambiguous)
    for code, n in (("outside-horizon", n_outside), ("ambiguous-posting", n_ambiguous)):
        if n > MAX_ROW_FINDINGS:
            findings.append(Finding(code, f"{n - MAX_ROW_FINDINGS:,} more postings like this "
                                    f"({n:,} in all)", level="warning" if code.startswith(
                                        "outside") else "error", location=Location(path)))
    if unmapped.count:
        findings.append(Finding(
            "unmapped-postings", f"{unmapped.count:,} " + ("posting" if unmapped.count == 1 else
            "postings") + f" ({cents(unmapped.total)}) " + ("matches no rule; it is"
            if unmapped.count == 1 else "match no rule; they are") + " listed, not booked "
            "on the plan", level="warning",
            location=Location(path), hint="add a rule for them, or leave them if they are not "
            "BDuR money"))
    for i, used in enumerate(rule_use):
        if not used:
            findings.append(Finding("rule-unused", f"rule {i + 1} matches no posting",
                                    level="warning", location=lm.locate(("rules", i)),
                                    hint="check its codes (a code with a leading zero must "
                                    "be quoted: '0410')"))
    mapped_lines = {line for b in bucket_list if b.mapped for line in b.lines}
    for theme in plan.themes:
        for line in theme.lines:
            if line.id not in mapped_lines:
                findings.append(Finding(
                    "line-not-mapped", f"no rule books postings on line '{line.id}'; its "
                    "realisation is 0", level="warning", location=lm.locate(("rules",), True),
                    hint=f"add a rule with 'line: {line.id}' or 'theme: {theme.id}'"))
    # A partner's payment with no rule to book it as income would lower the result unseen.
    income_lines = {line for r, rule in enumerate(rules) if rule.book == "income"
                    and of_rule[r] >= 0 for line in bucket_list[of_rule[r]].lines}
    for theme in plan.themes:
        for line in theme.lines:
            if line.income is not None and line.id not in income_lines:
                findings.append(Finding(
                    "income-not-mapped", f"line '{line.id}' has income in the plan, but no "
                    "rule books income on it; its realised income is 0", level="warning",
                    location=lm.locate(("rules",), True),
                    hint=f"add a rule with 'line: {line.id}' and 'book: income' for the "
                    "partner's payments"))
    for hits, n in overlaps.items():
        findings.append(Finding(
            "overlapping-rules", f"{n:,} postings match {_rules_named(lm, bucket_list, hits)}"
            f"; rule {hits[0] + 1} books them (first_match)", level="warning",
            location=lm.locate(("rules", hits[1])),
            hint="intended? then leave it; else make the rules exclusive"))
    meta = export.meta
    rec = Reconciliation(path, read, mapped, unmapped, outside, ambiguous, meta.bad_rows,
                         meta.kind, meta.encoding, meta.header_row)
    balance(rec)
    return Actuals(bucket_list, amounts, counts, unmapped_rows, rec, findings, rule_use,
                   income, funding, ambiguous_rows)


def rule_named(lm: LoadedMapping, bucket_list: list[Bucket], i: int) -> str:
    """Rule i as a finding names it: its number, its line in the mapping, what it books on and
    the plan lines that are (a theme rule books on several)."""
    rule = lm.mapping.rules[i]
    text = f"rule {i + 1} (line {lm.locate(('rules', i)).line}: {rule.destination}"
    if rule.theme is not None:
        wanted = f"{rule.theme}/{rule.kind}/{rule.type}"
        lines = next((b.lines for b in bucket_list if b.id == wanted), ())
        text += f", lines {', '.join(lines) or '(none)'}"
    return text + ")"


def _rules_named(lm: LoadedMapping, bucket_list: list[Bucket], hits: tuple[int, ...]) -> str:
    return " and ".join(rule_named(lm, bucket_list, i) for i in hits)

