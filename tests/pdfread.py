"""Reading generated PDFs back in tests: pdftotext (poppler), pypdf and pdfplumber."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest


def pdftotext(path: Path | str, *, layout: bool = False) -> str:
    """The text layer as poppler's pdftotext extracts it (what a reader copies)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """NFKC with all white space removed: how source and extracted text are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def nfkc_lines(text: str) -> list[str]:
    """The non-empty lines of extracted text, NFKC-normalised and stripped."""
    return [unicodedata.normalize("NFKC", ln).strip() for ln in text.splitlines() if ln.strip()]


STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def used_fonts(path: Path | str) -> set[str]:
    """The fonts characters are actually drawn in (subset prefix removed)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return {c["fontname"].split("+", 1)[-1] for page in pdf.pages for c in page.chars}


def embedded_fonts(path: Path | str) -> dict[str, bool]:
    """Every non-standard font in the PDF → whether its program is embedded.

    ReportLab lists Helvetica in every page's resources even when nothing is drawn in it;
    ``used_fonts`` checks what text is really drawn in."""
    from pypdf import PdfReader

    out: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            name = str(font.get("/BaseFont")).lstrip("/")
            if name.startswith(STANDARD_14):
                continue
            out[name] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def page_count(path: Path | str) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def table_rows(path: Path | str) -> list[list[str]]:
    """Every row of every ruled table (pdfplumber), cells flattened like ``loose``."""
    import pdfplumber

    rows: list[list[str]] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows += [[loose(c or "") for c in row] for row in table]
    return rows


_MARK_RUN = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2,}")


def loose(text: str) -> str:
    """``flat`` with each run of stacked Thai marks sorted: pdfplumber (pdfminer) orders stacked
    marks by position, poppler by drawing order; both are the same text."""
    return _MARK_RUN.sub(lambda m: "".join(sorted(m.group(0))), flat(text))
