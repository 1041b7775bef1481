"""Compiling a document (charts.typst_source) into a tagged PDF/UA-1 with Typst.

Typst ships as one self-contained wheel (no LaTeX, no browser, no system fonts): the only fonts
it sees are DejaVu Sans from matplotlib's own data folder, the font the charts use, which has
æ, ø and å; Typst embeds the subsets it uses. `pdf_standards=["ua-1"]` makes Typst refuse a
document that would break PDF/UA-1 (a figure without alt text, no title) instead of writing it.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from charts.style import TONE_FILLS
from charts.typst_source import TEMPLATE

_LOCAL = threading.local()  # a Typst compiler is not shareable across threads: one per thread


@lru_cache(maxsize=1)
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _compiler() -> Any:
    compiler = getattr(_LOCAL, "compiler", None)
    if compiler is None:
        import typst

        compiler = typst.Compiler(font_paths=[str(font_dir())], ignore_system_fonts=True)
        _LOCAL.compiler = compiler
    return compiler


def inputs(document: dict[str, Any], images: dict[str, str]) -> dict[str, str]:
    """What the template reads from `sys.inputs`: the document as JSON, each SVG by name."""
    data = {"tones": TONE_FILLS, **document}
    return {"data": json.dumps(data, ensure_ascii=False), **images}


def compile_pdf(
    document: dict[str, Any],
    images: dict[str, str] | None = None,
    fmt: str = "pdf",
    *,
    pages: bool = False,
) -> Any:
    """The document as PDF/UA-1 bytes; `fmt="png"` gives the first page as PNG (or, with
    `pages`, every page), for tests that look at colours and margins."""
    kwargs: dict[str, Any] = {"format": fmt, "sys_inputs": inputs(document, images or {})}
    if fmt == "pdf":
        kwargs["pdf_standards"] = ["ua-1"]
    else:
        kwargs["ppi"] = 72.0
    out = _compiler().compile(TEMPLATE.encode(), **kwargs)
    if pages:
        return out if isinstance(out, list) else [out]
    return out[0] if isinstance(out, list) else out
