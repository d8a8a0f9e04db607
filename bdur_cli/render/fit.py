"""Tables that fit the terminal without losing a digit.

A table's right-aligned columns hold amounts (money, fte): they are never cut and never
wrapped. Its left-aligned columns hold names: they wrap at spaces down to a few characters,
but never narrower than their longest word (a file name may break after a '/'). When even
that does not fit, the table changes its layout rather than cut a number or a word:

1. as it is, names wrapped where needed;
2. names above: each row's names on a line of their own, its amounts on the next, under one
   header of the amount columns (Table 2 at 80 columns keeps its years as columns);
3. transposed: the rows become the columns (bdur totals: the years side by side);
4. stacked: per row its names, then one line per amount with its header;
5. one line that says how wide the table is and how to see it whole.

The choice is made when the table is drawn, for the width it is drawn at: the terminal's, or
`COLUMNS`, or 200 when piped. rich is imported only when a table is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style as RichStyle
from rich.table import Table
from rich.text import Text

#: Names wrap down to this many characters, or their longest word; shorter names stay whole.
NAME_MIN = 12
#: Transposing makes a column of every row: only for tables with few rows.
TRANSPOSE_MAX_ROWS = 8
#: Between two columns of the names-above and stacked layouts.
GUTTER = 2
NBSP = "\u00a0"


@dataclass
class _Cell:
    text: Text

    @property
    def width(self) -> int:
        return max((line.cell_len for line in self.text.split("\n")), default=0)


def _cell(value: Any) -> Text:
    if isinstance(value, Text):
        return value.copy()
    if isinstance(value, str):
        return Text.from_markup(value)
    return Text(str(value))


def _split(text: str) -> list[str]:
    """Words, split at ordinary spaces only (a non-breaking space holds its word together)."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def _words(text: str) -> int:
    return max((len(w) for w in _split(text)), default=0)


def _unbroken(text: str) -> int:
    """The least width at which `_wrap` folds no word of a cell: its indent and its longest
    piece (a word, or a part of one up to a '/', '-' or '_', where a long name may break)."""
    lead = len(text) - len(text.lstrip(" "))
    pieces = [p for w in _split(text) for p in re.split(r"(?<=[/\\_-])", w)]
    return lead + max((len(p) for p in pieces), default=0)


class FitTable(Table):
    """A rich Table that fits the width it is drawn at without cutting an amount.

    `spaced`: a note follows; the other layouts then end in a blank line, as rich's table
    does (its bottom edge), so a note stands apart from the figures in every layout."""

    spaced = False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        amounts = [c.justify == "right" for c in self.columns]
        cells = [[_cell(v) for v in column._cells] for column in self.columns]
        # An amount reads as one word: `€ 1.407.149` never breaks after the `€`, in a money
        # cell or in a note that quotes the memo.
        for column, is_amount in zip(cells, amounts, strict=True):
            for text in column:
                if is_amount:
                    text.plain = text.plain.replace(" ", NBSP)
                elif "€ " in text.plain:
                    text.plain = text.plain.replace("€ ", "€" + NBSP)
        widths = self._fit_widths(cells, amounts, width)
        if widths is not None:
            yield from self._as_is(console, options, cells, amounts, widths)
            return
        for layout in (self._transposed, self._names_above, self._stacked):
            lines = layout(cells, amounts, width)
            if lines is not None:
                yield from self._titled(lines)
                return
        need = self._natural_width(cells)
        yield Text(f"(this table needs {need} columns and the terminal has {width}; widen it, "
                   "or see the table whole with --format markdown or -o FILE)")

    def fits(self, width: int) -> bool:
        """Whether the table is drawn as it is at `width` (names wrapped at most), not in
        one of the other layouts."""
        amounts = [c.justify == "right" for c in self.columns]
        cells = [[_cell(v) for v in column._cells] for column in self.columns]
        return self._fit_widths(cells, amounts, width) is not None

    # --- 1. as it is -------------------------------------------------------------------------

    def _overhead(self) -> int:
        return self._extra_width + sum(self._get_padding_width(i)
                                       for i in range(len(self.columns)))

    def _natural_width(self, cells: list[list[Text]]) -> int:
        return self._overhead() + sum(
            max([len(c.header) if isinstance(c.header, str) else 0] +
                [_Cell(t).width for t in col])
            for c, col in zip(self.columns, cells, strict=True))

    def _fit_widths(self, cells: list[list[Text]], amounts: list[bool],
                    width: int) -> list[int] | None:
        room = width - self._overhead()
        headers = [str(c.header) if isinstance(c.header, str) and self.show_header else ""
                   for c in self.columns]
        content = [max((_Cell(t).width for t in col), default=0) for col in cells]
        full = [max(h, len(head)) for h, head in zip(content, headers, strict=True)]
        if sum(full) <= room:
            return full
        # Headers wrap at their spaces; amounts keep their width.
        out = [max(h, _words(head)) for h, head in zip(content, headers, strict=True)]
        names = [i for i, a in enumerate(amounts) if not a]
        # A name column keeps room for its longest word (issue 23: 'Informatieposi / tie'):
        # other names wrap at spaces first, and a table where that does not fit takes
        # another layout rather than cut a word.
        least = {i: min(out[i], max([NAME_MIN, _words(headers[i])] +
                                    [_unbroken(t.plain) for t in cells[i]])) for i in names}
        if sum(out) - sum(out[i] - least[i] for i in names) > room:
            return None
        # Each name gives up room in proportion to what it wants beyond its least width.
        spare = room - (sum(out) - sum(out[i] - least[i] for i in names))
        wants = {i: out[i] - least[i] for i in names}
        total = sum(wants.values())
        if total == 0:  # every name is as short as it gets: the headers' wrapping made room
            return out
        shares = {i: spare * wants[i] // total for i in names}
        left = spare - sum(shares.values())
        for i in sorted(names, key=lambda j: spare * wants[j] % total, reverse=True)[:left]:
            shares[i] += 1
        for i in names:
            out[i] = least[i] + shares[i]
        return out

    def _as_is(self, console: Console, options: ConsoleOptions, cells: list[list[Text]],
               amounts: list[bool], widths: list[int]) -> RenderResult:
        table = Table(title=self.title, box=self.box, title_justify=self.title_justify,
                      pad_edge=self.pad_edge, title_style=self.title_style,
                      header_style=self.header_style, show_header=self.show_header,
                      show_edge=self.show_edge, padding=self.padding)
        for column, w in zip(self.columns, widths, strict=True):
            # A header wider than its column wraps at its spaces (an amount column does not
            # wrap, so rich would cut the header instead).
            header = column.header
            if isinstance(header, str) and len(header) > w:
                header = _wrapped(Text(header), w)
            table.add_column(header, justify=column.justify, width=w,
                             no_wrap=column.justify == "right", overflow="fold",
                             style=column.style, header_style=column.header_style)
        for texts, w, is_amount in zip(cells, widths, amounts, strict=True):
            if not is_amount:  # wrapped here: rich would also break at a non-breaking space
                texts[:] = [_wrapped(text, w) for text in texts]
        for index, row in enumerate(self.rows):
            table.add_row(*(col[index] for col in cells), style=row.style,
                          end_section=row.end_section)
        yield from table.__rich_console__(console, options)

    # --- the other layouts: lines of text ------------------------------------------------

    def _titled(self, lines: list[Text]) -> Iterator[Text]:
        if self.title:
            title = _cell(self.title)
            title.stylize("bold")
            yield title
        yield Text()  # where rich draws the top edge of a borderless table
        yield from lines
        if self.spaced:
            yield Text()  # and its bottom edge, before the note under it

    def _row_style(self, index: int) -> RichStyle | str | None:
        style = self.rows[index].style if index < len(self.rows) else None
        return style or None

    def _header_lines(self, headers: list[str], widths: list[int], indent: int) -> list[Text]:
        wrapped = [_wrap(h, w) for h, w in zip(headers, widths, strict=True)]
        depth = max((len(w) for w in wrapped), default=0)
        lines = []
        for k in range(depth):
            line = Text(" " * indent)
            for j, (parts, w) in enumerate(zip(wrapped, widths, strict=True)):
                # Bottom-aligned, like rich's headers.
                part = parts[k - (depth - len(parts))] if k >= depth - len(parts) else ""
                line.append((" " * GUTTER if j else "") + part.rjust(w), style="bold")
            lines.append(line)
        return lines

    def _names_above(self, cells: list[list[Text]], amounts: list[bool],
                     width: int) -> list[Text] | None:
        if all(amounts) or not any(amounts) or not self.show_header:
            return None
        cols = [i for i, a in enumerate(amounts) if a]
        names = [i for i, a in enumerate(amounts) if not a]
        headers = [str(self.columns[i].header) for i in cols]
        widths = [max([_words(h)] + [_Cell(t).width for t in cells[i]])
                  for h, i in zip(headers, cols, strict=True)]
        indent = 1
        total = indent + sum(widths) + GUTTER * (len(widths) - 1)
        if total > width:
            return None
        lines = self._header_lines(headers, widths, indent)
        lines.append(Text(" " + "─" * (total - 1)))
        rows = len(self.rows)
        for r in range(rows):
            style = self._row_style(r)
            label = Text(" · ").join(cells[i][r] for i in names if cells[i][r].plain.strip())
            if label.plain:
                if style:
                    label.stylize(style)
                lines += [Text(" ") + part for part in label.wrap(_console(), width - 1)]
            if any(cells[i][r].plain.strip() for i in cols):
                line = Text(" " * indent)
                for j, (i, w) in enumerate(zip(cols, widths, strict=True)):
                    cell = cells[i][r]
                    line.append(" " * (GUTTER if j else 0) + " " * (w - cell.cell_len))
                    line.append_text(cell)
                if style:
                    line.stylize(style)
                lines.append(line)
            if self.rows[r].end_section and r < rows - 1:
                lines.append(Text())
        return lines

    def _transposed(self, cells: list[list[Text]], amounts: list[bool],
                    width: int) -> list[Text] | None:
        rows = len(self.rows)
        if not 0 < rows <= TRANSPOSE_MAX_ROWS or amounts[0] or not self.show_header:
            return None
        keys = [cells[0][r] for r in range(rows)]
        if len({k.plain for k in keys}) < rows or not all(k.plain.strip() for k in keys):
            return None  # the first column must name each row (a year) to head a column
        labels = [str(c.header) for c in self.columns[1:]]
        body = cells[1:]
        widths = [max([keys[r].cell_len] + [body[j][r].cell_len for j in range(len(body))])
                  for r in range(rows)]
        label_width = max(len(label) for label in labels)
        room = width - 1 - sum(widths) - GUTTER * rows
        if room < min(label_width, NAME_MIN):
            return None
        label_width = min(label_width, room)
        lines = self._header_lines([""] + [k.plain for k in keys], [label_width, *widths], 1)
        total = 1 + label_width + sum(widths) + GUTTER * rows
        lines.append(Text(" " + "─" * (total - 1)))
        for label, row in zip(labels, body, strict=True):
            wrapped = _wrap(label, label_width) or [""]
            line = Text(" " + wrapped[-1].ljust(label_width))
            for r, w in enumerate(widths):
                line.append(" " * GUTTER + " " * (w - row[r].cell_len))
                line.append_text(row[r])
            lines += [Text(" " + part) for part in wrapped[:-1]] + [line]
        return lines

    def _stacked(self, cells: list[list[Text]], amounts: list[bool],
                 width: int) -> list[Text] | None:
        headers = [str(c.header) if isinstance(c.header, str) else "" for c in self.columns]
        value_width = max((_Cell(t).width for i, col in enumerate(cells) if amounts[i]
                           for t in col), default=0)
        label_width = width - 3 - GUTTER - value_width
        if label_width < NAME_MIN // 2:
            return None
        lines = []
        for r in range(len(self.rows)):
            style = self._row_style(r)
            label = Text(" · ").join(cells[i][r] for i, a in enumerate(amounts)
                                     if not a and cells[i][r].plain.strip())
            if label.plain:
                label.stylize("bold")
                lines += [Text(" ") + part for part in label.wrap(_console(), width - 1)]
            for i, is_amount in enumerate(amounts):
                if not is_amount or not cells[i][r].plain.strip():
                    continue
                wrapped = _wrap(headers[i], label_width) or [""]
                lines += [Text("   " + part) for part in wrapped[:-1]]
                line = Text("   " + wrapped[-1].ljust(label_width) + " " * GUTTER +
                            " " * (value_width - cells[i][r].cell_len))
                line.append_text(cells[i][r])
                if style:
                    line.stylize(style)
                lines.append(line)
        return lines


def _wrapped(text: Text, width: int) -> Text:
    if text.cell_len <= width or "\n" in text.plain:
        return text
    lead = len(text.plain) - len(text.plain.lstrip(" "))
    indent = " " * lead if lead < width // 2 else ""
    lines = _wrap(text.plain, width - len(indent))
    return Text("\n".join(indent + line for line in lines), style=text.style)


def _console() -> Console:
    return Console(width=10_000, no_color=True, highlight=False, emoji=False)


def _wrap(text: str, width: int) -> list[str]:
    """Words onto lines of at most `width` characters; a longer word (a file name) breaks
    after a folder's '/', else after a '-' or '_', and is folded only where a piece between
    them is still too long."""
    lines: list[str] = []
    for word in _split(text):
        if len(word) > width > 0:
            *whole, word = _pieces(word, width)
            lines += whole
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _pieces(word: str, width: int, seps: tuple[str, ...] = ("/\\", "-_")) -> list[str]:
    """`word` on lines of at most `width` characters, broken after the first kind of
    separator that makes every piece fit, packing as many pieces on a line as fit."""
    if len(word) <= width:
        return [word]
    if not seps:
        return [word[i:i + width] for i in range(0, len(word), width)]
    parts = re.findall(f"[^{re.escape(seps[0])}]*[{re.escape(seps[0])}]+|[^{re.escape(seps[0])}]+",
                       word)
    lines: list[str] = []
    for part in parts:
        for piece in _pieces(part, width, seps[1:]):
            if lines and len(lines[-1]) + len(piece) <= width:
                lines[-1] += piece
            else:
                lines.append(piece)
    return lines


class Wrapped:
    """A line of text (a title that names a file) wrapped like a table's names: at spaces,
    and a long file name after its folders' '/', never mid-word where a separator serves."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = text, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("\n".join(_wrap(self.text, options.max_width)), style=self.style,
                   no_wrap=True, overflow="fold")


def amounts_whole(rendered: str, amounts: Iterable[str]) -> list[str]:
    """The amounts of `amounts` that do not appear whole in `rendered` (for tests)."""
    flat = rendered.replace(NBSP, " ")
    return [a for a in amounts if a not in flat]
