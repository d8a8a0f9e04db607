"""HTML for print: a `Grid` as a semantic table, and a self-contained document around it.

The document carries its CSS inline and its charts as inline SVG; it has no script and asks
nothing of the network, so it opens the same from a mail attachment, a USB stick or an
archive. Its print CSS lays it out on A4 (margins, a page break before each section, table
headers repeated on every page, rows kept whole, page numbers from the page counter).

Every text that can come from a plan or a ledger export passes `esc` (html.escape, quotes
too): a theme named "<script>" is shown as those characters, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from .grid import Grid, spell
from .style import Style

#: Control characters (but tab and newline) shown as \xNN: a terminal escape or a NUL from
#: an export is seen, never acted on by whatever copies the text out of the page.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (9, 10)}


def esc(text: object) -> str:
    """Text as HTML character data or an attribute value (quotes escaped too)."""
    return escape(str(text).translate(_CONTROLS), quote=True)


#: A4 portrait; colours chosen for contrast of at least 7:1 on white (body) and 4.5:1 (notes,
#: the red of a shortfall). Figures right-aligned with tabular digits, so columns line up.
CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt sans-serif;
                  color: #444; } }
@page wide { size: A4 landscape; margin: 15mm 15mm 16mm 15mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt sans-serif;
                  color: #444; } }
html { color: #111; background: #fff; font: 10pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial,
       sans-serif; }
body { margin: 0 auto; padding: 0; }
section { max-width: 180mm; margin: 0 auto; }
section.wide { page: wide; max-width: 267mm; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 6mm 0 3mm; border-bottom: 1.5pt solid #1d3f72; color: #1d3f72; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
section { break-before: page; page-break-before: always; }
section.title { break-before: auto; page-break-before: auto; padding-top: 30mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 1mm; font-size: 7.5pt;
        table-layout: auto; }
caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9pt;
          padding-bottom: 1.5mm; overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: 0.6mm 1.2mm; vertical-align: top; border-bottom: 0.5pt solid #bbb;
         overflow-wrap: break-word; hyphens: auto; }
thead th { border-bottom: 1pt solid #111; text-align: left; font-weight: bold;
           background: #e8edf5; }
th[scope=row] { font-weight: normal; text-align: left; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th.num { white-space: normal; }
tr.total td, tr.total th { font-weight: bold; }
tr.end td, tr.end th { border-bottom: 1pt solid #111; }
.i1 { padding-left: 4mm; } .i2 { padding-left: 8mm; }
.neg { color: #a4000f; }
p.note { font-size: 8pt; color: #333; margin: 0.5mm 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 5mm; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; }
figure { margin: 3mm 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; max-width: 180mm; }
nav ol { padding-left: 5mm; }
@media screen { body { padding: 8mm 4mm; } section { border-top: 1pt dashed #999;
  margin-top: 10mm; } section.title { border: 0; padding-top: 0; } }
@media print { a { color: inherit; text-decoration: none; } }
"""


def grid_table(grid: Grid, style: Style, caption: str | None = None,
               names: dict[str, str] | None = None) -> str:
    """A `Grid` as a <table>: its title as <caption>, its reader's columns as <th scope=col>,
    the first text column of each row as <th scope=row>, figures right-aligned; then its note
    and the lines under it. `names` replace a line row's label by the line's name."""
    shown = [i for i, c in enumerate(grid.columns) if c.audience in ("all", "reader")]
    label_at = next((i for i in shown if not grid.columns[i].numeric), None)
    keys = [c.key for c in grid.columns]
    level = keys.index("level") if "level" in keys else None
    ident = keys.index("id") if "id" in keys else None
    out = ["<table>", f"<caption>{esc(caption if caption is not None else grid.title)}"
           "</caption>", "<thead><tr>"]
    for i in shown:
        c = grid.columns[i]
        num = ' class="num"' if c.numeric else ""
        out.append(f'<th scope="col"{num}>{esc(c.header)}</th>')
    out.append("</tr></thead><tbody>")
    for row in grid.rows:
        classes = [n for n, on in (("total", row.bold), ("end", row.end_section)) if on]
        out.append(f'<tr class="{" ".join(classes)}">' if classes else "<tr>")
        for i in shown:
            c, value = grid.columns[i], row.cells[i]
            text = spell(c, value, row, style)
            if names and i == label_at and level is not None and ident is not None \
                    and row.cells[level] == "line" and isinstance(row.cells[ident], str):
                text = names.get(str(row.cells[ident]), text)
            cls = ["num"] if c.numeric else []
            if c.kind == "money" and isinstance(value, Decimal) and text and \
                    (row.signed or c.colour == "gap") and style.scaled(value) < 0:
                cls.append("neg")
            if i == label_at and row.indent and grid.indent_key == c.key:
                cls.append(f"i{min(row.indent, 2)}")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            if i == label_at:
                out.append(f'<th scope="row"{attr}>{esc(text)}</th>')
            else:
                out.append(f"<td{attr}>{esc(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    for line in (grid.note(style), *grid.notes):
        if line:
            out.append(f'<p class="note">{esc(line)}</p>')
    return "\n".join(out)


@dataclass
class Section:
    """One part of the document (a page break before it in print): a heading and its HTML."""

    key: str
    heading: str
    parts: list[str] = field(default_factory=list)
    #: Printed on A4 landscape: a table with many figure columns reads whole there.
    wide: bool = False


def document(title: str, lang: str, sections: Sequence[Section],
             contents: str | None = None) -> str:
    """The whole page: the sections in order, each under its <h2> (the first one's heading is
    the document's <h1>), with a table of contents after the first when `contents` names it."""
    body: list[str] = []
    for n, s in enumerate(sections):
        names = [c for c, on in (("title", n == 0), ("wide", s.wide)) if on]
        cls = f' class="{" ".join(names)}"' if names else ""
        tag = "h1" if n == 0 else "h2"
        body.append(f'<section id="{esc(s.key)}"{cls}>\n<{tag}>{esc(s.heading)}</{tag}>')
        body += s.parts
        if n == 0 and contents is not None:
            body.append(f"<nav><h3>{esc(contents)}</h3><ol>" + "".join(
                f'<li><a href="#{esc(x.key)}">{esc(x.heading)}</a></li>'
                for x in sections[1:]) + "</ol></nav>")
        body.append("</section>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            # Nothing but what is inline: no script, no request, not even for a favicon.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def paragraphs(lines: Iterable[str], cls: str = "") -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<p{attr}>{esc(line)}</p>" for line in lines]


def meta_list(pairs: Iterable[tuple[str, str]]) -> str:
    return '<dl class="meta">' + "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in pairs) + "</dl>"
