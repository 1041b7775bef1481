"""The Typst markup of Partnerbot's PDFs (the annual report, the minutes) and the blocks it reads.

The markup is fixed: it holds layout only and no word of the document. Everything a document
says travels as JSON in `sys.inputs.data` (and each chart's SVG in its own input), is read with
`json(bytes(sys.inputs.data))` and shown as a Typst *string*, which is never parsed as markup.
So a name like `#set *bold* $x$ <a> @b \\` comes out as those characters, and no escaping rule
can be forgotten.

A document is a dict: title, lang, author, subject, footer, page (the words around the page
numbers), demo (the band's words or None), tones (the traffic-light fills) and `blocks`, built
with the functions below. Tagging for PDF/UA-1 comes from Typst itself: the document title and
language, headings H1-H3, real tables with TH header cells repeated on every page, and every
chart an image with alt text inside a figure; the footer and the DEMO band are artifacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from charts.layout import text_width_in

Block = dict[str, Any]
TEXT_W = 8.27 - 2 * 0.6  # inches: A4 less the template's margins
BODY_PT = 9.5
INSET_IN = 2 * 4.5 / 72  # a table cell's inset, left and right
ZWSP = "\u200b"


def breakable(value: str, width_in: float, size_pt: float = BODY_PT, bold: bool = False) -> str:
    """`value` with a break allowed between the letters of any word too long for `width_in`.

    Typst, like any typesetter, never breaks inside a word on its own, so a pasted link or a
    run of 80 x's would run out of its table cell and off the page. Only such words get the
    (invisible) zero-width spaces: a word that fits still moves whole to the next line."""
    if text_width_in(value, size_pt, bold) <= width_in:
        return value
    words = value.split(" ")
    return " ".join(
        ZWSP.join(word) if text_width_in(word, size_pt, bold) > width_in else word for word in words
    )


TEMPLATE = r"""
#let data = json(bytes(sys.inputs.data))
#let ink = rgb("#222222")
#let muted = rgb("#5A5A5A")
#let rule = rgb("#D9D9D9")
#let demo-red = rgb("#B00020")
#let header-fill = rgb("#E6ECF2")
#let demo = data.demo
#let tone-fill(tone) = if tone == "" { none } else { rgb(data.tones.at(tone)) }

#set document(title: data.title, author: data.author, description: data.subject)
#set text(lang: data.lang, font: "DejaVu Sans", size: 9.5pt, fill: ink)
#set par(leading: 0.55em, spacing: 0.9em)
#set page(
  paper: "a4",
  margin: (x: 0.6in, top: if demo == none { 0.6in } else { 0.85in }, bottom: 0.85in),
  background: if demo != none {
    place(top, rect(width: 100%, height: 0.28in, fill: demo-red,
      align(center + horizon, text(fill: white, weight: "bold", size: 10pt, demo))))
  },
  footer: context {
    set text(size: 8.5pt, fill: muted)
    line(length: 100%, stroke: 0.6pt + rule)
    v(-0.4em)
    let n = counter(page).get().first()
    let total = counter(page).final().first()
    let where = data.page.at(0) + str(n) + data.page.at(1) + str(total) + data.page.at(2)
    grid(columns: (1fr, auto), column-gutter: 1em,
      if data.footer == "" { where } else { data.footer + " · " + where },
      if demo != none { text(fill: demo-red, weight: "bold", demo) })
  },
)
#set heading(numbering: none)
#show heading: set block(above: 1.3em, below: 0.7em)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading.where(level: 3): set text(size: 10.5pt)
#show title: set text(size: 22pt)
#show title: set block(below: 0.6em)
#show figure: set block(breakable: false)
#show figure.caption: set text(size: 8.5pt, fill: muted)
#show figure.caption: set align(left)
#set table(stroke: (x, y) => (bottom: 0.5pt + rule), inset: (x: 4.5pt, y: 4pt))
#show table.cell.where(y: 0): set text(weight: "bold")

#let cell(value, tone, bold) = table.cell(fill: tone-fill(tone),
  if bold { strong(value) } else { value })

#let tabular(b) = {
  let columns = b.columns.map(c => if c == 0 { auto } else { c * 1fr })
  let cells = ()
  for r in b.rows {
    for (i, value) in r.cells.enumerate() {
      cells.push(cell(value, r.tones.at(i, default: ""), r.bold))
    }
  }
  let align = b.align.map(a => if a == "right" { right } else { left })
  table(columns: columns, align: (x, y) => align.at(x, default: left),
    table.header(repeat: true, ..b.header.map(h => table.cell(fill: header-fill,
      text(hyphenate: b.hyphenate, h)))),
    ..cells)
}

#let small(lines) = for line in lines { par(text(size: 8.5pt, fill: muted, line)) }

#let render(b) = {
  if b.kind == "title" {
    text(size: 13pt, weight: "bold", fill: muted, b.over)
    title()
    if b.under != "" { par(text(size: 14pt, b.under)) }
    line(length: 100%, stroke: 1pt + ink)
  } else if b.kind == "heading" {
    heading(level: b.level, outlined: b.outlined, b.text)
  } else if b.kind == "para" {
    par(if b.muted { text(fill: muted, b.text) } else { b.text })
  } else if b.kind == "lines" {
    for line in b.items { par(spacing: 0.5em, line) }
  } else if b.kind == "bullets" {
    list(..b.items.map(i => [#i]))
  } else if b.kind == "contents" {
    outline(title: b.title, depth: 1)
  } else if b.kind == "notice" {
    block(width: 100%, inset: 10pt, fill: rgb("#FBEAEC"), stroke: 1.5pt + demo-red, {
      par(text(size: 13pt, weight: "bold", fill: demo-red, b.title))
      par(b.text)
    })
  } else if b.kind == "table" {
    if b.keep { block(breakable: false, tabular(b)) } else { tabular(b) }
    small(b.notes)
  } else if b.kind == "figure" {
    figure(
      image(bytes(sys.inputs.at(b.image)), format: "svg", alt: b.alt, width: 100%),
      caption: if b.notes.len() > 0 { figure.caption(b.notes.join("\n")) },
      numbering: none,
      gap: 0.4em,
    )
  } else if b.kind == "notes" {
    small(b.items)
  }
}

#for b in data.blocks { render(b) }
"""


def title(over: str, under: str = "") -> Block:
    """The document's title (from its metadata), the partnership above it, a line below."""
    return {"kind": "title", "over": over, "under": under}


def heading(value: str, level: int = 1, *, outlined: bool = True) -> Block:
    size = {1: 16.0, 2: 12.5}.get(level, 10.5)
    text = breakable(value, TEXT_W, size, bold=True)
    return {"kind": "heading", "text": text, "level": level, "outlined": outlined}


def para(value: str, *, muted: bool = False) -> Block:
    return {"kind": "para", "text": breakable(value, TEXT_W), "muted": muted}


def lines(items: Sequence[str]) -> Block:
    """Short lines set close together: the facts under a title."""
    return {"kind": "lines", "items": [breakable(i, TEXT_W) for i in items]}


def bullets(items: Sequence[str]) -> Block:
    return {"kind": "bullets", "items": [breakable(i, TEXT_W - 0.3) for i in items]}


def contents(title_: str) -> Block:
    """The table of contents: the level-1 headings with their page numbers."""
    return {"kind": "contents", "title": title_}


def notice(title_: str, value: str) -> Block:
    """A framed red notice (the demo-data warning on the first page)."""
    return {"kind": "notice", "title": title_, "text": value}


def notes(items: Sequence[str]) -> Block:
    return {"kind": "notes", "items": [breakable(i, TEXT_W, 8.5) for i in items]}


def row(cells: Sequence[str], tones: Sequence[str] = (), *, bold: bool = False) -> dict[str, Any]:
    """A table row; `tones` the traffic light per cell ("" for none), `bold` a subtotal."""
    return {"cells": list(cells), "tones": list(tones), "bold": bold}


def table(
    header: Sequence[str],
    rows: Sequence[dict[str, Any]],
    columns: Sequence[float] = (),
    table_notes: Sequence[str] = (),
    *,
    keep: bool = False,
    align: Sequence[str] = (),
    hyphenate: bool = False,
) -> Block:
    """A table whose header row repeats on every page; `columns` are relative widths, 0 for
    a column as wide as its content (default: equal shares). `keep` holds it on one page
    (moving it whole to the next); only for tables that surely fit on one. `align`: "right"
    for a column of amounts, so their digits line up. `hyphenate`: header words may break
    (for many narrow columns of figures)."""
    widths = list(columns) or [1.0] * len(header)
    assert len(widths) == len(header), (widths, header)
    inches = [w / sum(widths) * TEXT_W - INSET_IN for w in widths]
    fitted = [
        {
            **r,
            "cells": [
                breakable(c, w, bold=r["bold"]) for c, w in zip(r["cells"], inches, strict=False)
            ],
        }
        for r in rows
    ]
    return {
        "kind": "table",
        "header": [breakable(h, w, bold=True) for h, w in zip(header, inches, strict=True)],
        "rows": fitted,
        "columns": widths,
        "notes": [breakable(n, TEXT_W, 8.5) for n in table_notes],
        "keep": keep,
        "align": list(align),
        "hyphenate": hyphenate,
    }


def figure(image: str, alt: str, figure_notes: Sequence[str] = ()) -> Block:
    """A chart: `image` names the input holding its SVG; `alt` its description for screen
    readers; `figure_notes` (sources, series breaks) set under it as its caption."""
    assert alt, "every figure needs its alt text"
    notes_ = [breakable(n, TEXT_W, 8.5) for n in figure_notes]
    return {"kind": "figure", "image": image, "alt": alt, "notes": notes_}
