"""Thai typography in generated PDFs: fonts embedded, marks shaped and extractable, lines
broken between words (paragraphs and table cells), memo header, signature, footer."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime

import pytest
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr

from infocenter import pdf as T
from infocenter.pdf import fonts as pdf_fonts
from infocenter.thai import split_words
from tests.pdfread import embedded_fonts, flat, nfkc_lines, page_count, pdftotext, used_fonts

MARKS = "น้ำ ที่ นี้ เพื่อ ผู้ใช้ ญี่ปุ่น ปี่ ป่า ฝั่ง ฟื้น กำหนด ค่ำ ปั้น ฎีกา ฏุ ญูปุ่ ทำไม่ได้ ซ้ำ สม่ำเสมอ"
LONG = (
    "ศูนย์ข้อมูลข่าวสารของราชการได้ให้บริการประชาชนที่มาติดต่อขอตรวจดูข้อมูลข่าวสารตามมาตรา ๙ "
    "แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. ๒๕๔๐ ทั้งที่มาด้วยตนเองและผ่านระบบออนไลน์ "
    "โดยผู้ใช้บริการส่วนใหญ่ต้องการทราบแผนงานโครงการและงบประมาณรายจ่ายประจำปีของปีที่กำลังดำเนินการ "
    "รวมทั้งผลการพิจารณาหรือคำวินิจฉัยที่มีผลโดยตรงต่อเอกชนเจ้าหน้าที่ได้ปรับปรุงดัชนีข้อมูลข่าวสาร"
    "ให้เป็นปัจจุบันอย่างสม่ำเสมอเพื่อให้ผู้ใช้บริการค้นหาได้สะดวกรวดเร็วยิ่งขึ้นและลดระยะเวลาการรอคอย"
)
GENERATED = datetime(2020, 7, 3, 2, 30, tzinfo=UTC)  # 09:30 in Bangkok


def build(path, flowables, *, doc_id="TEST-1", thai_digits=True):
    doc = T.ThaiDocument(
        str(path),
        title="test",
        doc_id=doc_id,
        generated_at=GENERATED,
        numerals=T.Numerals(thai_digits),
    )
    doc.build_counted(lambda: flowables())
    return path


def body_lines(text: str, doc_id: str = "TEST-1") -> list[str]:
    """Extracted lines without the page footer."""
    return [ln for ln in nfkc_lines(text) if doc_id not in ln and not ln.startswith("หน้า")]


def word_boundaries(text: str) -> set[int]:
    """Offsets (in text without white space) where PyThaiNLP puts a word boundary."""
    out, pos = {0}, 0
    for tok in split_words(text):
        pos += len("".join(tok.split()))
        out.add(pos)
    return out


def assert_lines_end_on_words(source: str, lines: list[str]) -> None:
    """Each extracted line ends where a dictionary word ends (or at a space of the source)."""
    src = flat(source)
    bounds = word_boundaries(unicodedata.normalize("NFKC", source))
    pos = 0
    for line in lines:
        piece = flat(line)
        assert src.startswith(piece, pos), f"line {line!r} is not the next part of the source"
        pos += len(piece)
        assert pos in bounds, (
            f"line ends inside a word: …{src[max(0, pos - 8) : pos]}|{src[pos : pos + 8]}…"
        )
    assert pos == len(src)


def test_fonts_registered_once_with_family():
    T.register_fonts()
    T.register_fonts()
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(T.FONT, 1, 0) == T.FONT_BOLD
    assert tt2ps(T.FONT, 0, 1) == T.FONT_ITALIC
    assert isinstance(pdfmetrics.getFont(T.FONT), T.ThaiTTFont)


def test_every_style_shapes_with_sarabun_at_16pt_body():
    st = T.styles()
    assert st["body"].fontSize == 16
    for name, style in st.items():
        assert style.shaping == 1, name
        assert style.fontName.startswith("Sarabun"), name


def test_shaping_picks_the_small_tone_mark_over_an_upper_vowel():
    T.register_fonts()
    font = pdfmetrics.getFont(T.FONT)
    hb = font.hbFont(16)
    glyphs = [hb.glyph_to_string(font.face.charToGlyph[ord(c)]) for c in shapeStr("ปี่", T.FONT, 16)]
    assert "uni0E48.small" in glyphs  # the tone mark sits above the vowel, not on it


def test_text_layer_equals_source_and_fonts_embedded(tmp_path):
    pdf = build(tmp_path / "marks.pdf", lambda: [T.para(MARKS), T.para(LONG, "body_indent")])
    text = pdftotext(pdf)
    assert flat(MARKS) + flat(LONG) == flat("".join(body_lines(text)))
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("Sarabun" in name for name in fonts)
    assert used_fonts(pdf) <= {"Sarabun-Regular", "Sarabun-Bold"}


def test_without_the_fix_marks_would_vanish(tmp_path):
    """The check above can fail: a plain TTFont loses the tone marks HarfBuzz substituted."""
    import fontpkg_sarabun
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    # Another weight: ReportLab shares a face between fonts made from the same file.
    pdfmetrics.registerFont(
        TTFont("PlainSarabun", str(fontpkg_sarabun.ROOT / "files" / "Sarabun-Medium.ttf"))
    )
    pdf = tmp_path / "plain.pdf"
    SimpleDocTemplate(str(pdf)).build(
        [Paragraph("ปี่ ที่", ParagraphStyle("p", fontName="PlainSarabun", shaping=1))]
    )
    assert flat(pdftotext(pdf)) != flat("ปี่ ที่")


def test_long_paragraph_breaks_between_words_without_gaps(tmp_path):
    pdf = build(tmp_path / "long.pdf", lambda: [T.para(LONG)])
    body = body_lines(pdftotext(pdf))
    assert len(body) >= 5
    assert_lines_end_on_words(LONG, body)
    source = unicodedata.normalize("NFKC", LONG)
    for line in body:
        # No visible gap: pdftotext would insert a space where ReportLab had stretched a line.
        assert line in source, line


def test_table_cells_break_between_words(tmp_path):
    cell = LONG[:260]
    pdf = build(
        tmp_path / "table.pdf",
        lambda: [T.table([["หมวด", "รายละเอียด"], ["๙(๓)", cell]], [2 * cm, 8 * cm])],
    )
    text = pdftotext(pdf)
    lines = nfkc_lines(text)
    start = next(
        i for i, ln in enumerate(lines) if flat(cell).startswith(flat(ln)) and len(flat(ln)) > 10
    )
    cell_lines, acc = [], ""
    for ln in lines[start:]:
        cell_lines.append(ln)
        acc += flat(ln)
        if acc == flat(cell):
            break
    assert len(cell_lines) >= 4
    assert_lines_end_on_words(cell, cell_lines)


def test_break_tokens_round_trip_and_rules():
    text = "ผู้ใช้บริการ (ร้อยละ ๕๐) จำนวน 1,234 คน ๆ"
    assert "".join(T.break_tokens(text)) == text
    assert not T.can_break_between("(", "ร้อยละ")
    assert not T.can_break_between("๕๐", ")")
    assert not T.can_break_between("1", ",234")
    assert not T.can_break_between("ต่าง", "ๆ")
    assert T.can_break_between("ผู้ใช้", "บริการ")


def test_memo_header_signature_and_footer(tmp_path):
    n = T.Numerals()
    pdf = build(
        tmp_path / "memo.pdf",
        lambda: [
            T.MemoHeader(
                department="สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
                phone="0 5622 1234",
                reference="นว 0017/123",
                date_text=n.date(date(2020, 7, 3)),
                subject="รายงานสถิติการให้บริการ",
                addressee="พัฒนาการจังหวัดนครสวรรค์",
            ),
            T.para(LONG),
            T.SignatureBlock(name="นางสาวสมใจ ใฝ่รู้", position="นักวิชาการพัฒนาชุมชน", caption="ผู้จัดทำ"),
        ],
        doc_id="RPT-42",
    )
    text = pdftotext(pdf)
    layer = flat(text)
    for want in (
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "สำนักงานพัฒนาชุมชนจังหวัดนครสวรรค์",
        "โทร.0 5622 1234",
        "ที่",
        "นว 0017/123",
        "วันที่",
        "๓ กรกฎาคม ๒๕๖๓",
        "เรื่อง",
        "รายงานสถิติการให้บริการ",
        "เรียน",
        "พัฒนาการจังหวัดนครสวรรค์",
        "(ลงชื่อ)",
        "(นางสาวสมใจ ใฝ่รู้)",
        "นักวิชาการพัฒนาชุมชน",
    ):
        assert flat(want) in layer, want
    # Footer on every page: report id, generation time in Bangkok (BE, Thai digits), page n/N.
    assert flat("RPT-42") in layer
    assert flat("๓ ก.ค. ๒๕๖๓ ๐๙:๓๐ น.") in layer
    pages = page_count(pdf)
    assert flat(f"หน้า ๑/{T.Numerals().num(pages)}") in layer


def test_arabic_digits_option(tmp_path):
    n = T.Numerals(thai_digits=False)
    pdf = build(
        tmp_path / "arabic.pdf",
        lambda: [T.para(f"รวม {n.num(12345)} ครั้ง {n.date(date(2020, 4, 29))}")],
        thai_digits=False,
    )
    layer = flat(pdftotext(pdf))
    assert flat("รวม 12,345 ครั้ง 29 เมษายน 2563") in layer
    assert flat("หน้า 1/1") in layer


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (3, 4, "– (n = ๔)"),
        (2, 5, "๔๐.๐% (n = ๕)"),
        (1234, 2000, "๖๑.๗% (n = ๒,๐๐๐)"),
        (0, 0, "– (n = ๐)"),
    ],
)
def test_percentages_carry_n_and_hide_small_groups(part, whole, shown):
    assert T.Numerals().pct(part, whole) == shown


def test_bold_headings_extract_in_order(tmp_path):
    """Sarabun Bold pushes marks right of their base; the text layer still reads in order."""
    text = "มาติดต่อที่ศูนย์ (ครั้ง) ผู้ใช้บริการ เลยกำหนดทบทวน"
    pdf = build(tmp_path / "bold.pdf", lambda: [T.para(text, "h1"), T.para(text, "cell_head")])
    source = unicodedata.normalize("NFKC", text)
    assert body_lines(pdftotext(pdf)) == [source, source]


def test_word_wider_than_cell_is_cut_between_character_clusters(tmp_path):
    pdf = build(
        tmp_path / "narrow.pdf",
        lambda: [T.table([["เลยกำหนดทบทวน"], ["ผู้ใช้บริการที่ปรึกษา"]], [1.4 * cm])],
    )
    lines = body_lines(pdftotext(pdf))
    assert flat("".join(lines)) == flat("เลยกำหนดทบทวนผู้ใช้บริการที่ปรึกษา")
    marks = set(
        "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e32\u0e33"
    )
    assert all(ln[0] not in marks for ln in lines), lines


# Reported by the publishing engineer: Sarabun Bold put tone marks after the next letter in the
# text layer (ที่ → "ทีว ่"), and body text read "อยู่ใน" as "อยูใ่ น"; pdf_thai_check.py flagged
# lines starting with a mark. Each phrase below is printed in the regular and the bold styles,
# in paragraphs and in table cells (header, body and total rows).
REPORTED = (
    "ที่",
    "อยู่ใน",
    "ข้อมูลที่อยู่ในความครอบครอง",
    "ผู้ที่อยู่ในบ้าน",
    "คำสั่งที่เกี่ยวข้อง",
    "ปี่ ฝั่ง ฟื้น",
    "รี่ ศี่ มีผล",
    "ศักดิ์สิทธิ์",
    "น้ำ กำหนด จำนวน",
    "ดำเนินการเสร็จสิ้น",
)


PARAGRAPH_STYLES = ("body", "h1", "h2", "cell", "cell_head", "small")


def reported_pdf(path):
    rows = [
        list(REPORTED[:2]),
        list(REPORTED[2:4]),
        list(REPORTED[4:6]),
        list(REPORTED[6:8]),
        list(REPORTED[8:]),
    ]
    return build(
        path,
        lambda: [
            *(T.para(phrase, style) for style in PARAGRAPH_STYLES for phrase in REPORTED),
            T.table(rows, [8 * cm, 8 * cm]),  # first row: bold header cells
            T.table(rows, [8 * cm, 8 * cm], header_rows=0, total_row=True),  # last row: bold total
        ],
    )


def test_reported_words_extract_exactly_in_regular_and_bold(tmp_path):
    pdf = reported_pdf(tmp_path / "reported.pdf")
    text = pdftotext(pdf)
    lines = body_lines(text)
    phrases = [unicodedata.normalize("NFKC", w) for w in REPORTED]
    # Every paragraph and every table cell reads as its source, word for word: nothing moved,
    # no space inserted inside a word ("ทีว ่", "อยูใ่ น").
    assert lines == phrases * len(PARAGRAPH_STYLES) + phrases * 2, lines
    # The text layer has sara am as typed (U+0E33), not only after NFKC.
    assert "กำหนด" in text and "คำสั่ง" in text
    assert all(
        ln[0]
        not in "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"  # noqa: E501
        for ln in lines
    )


# Reported in the report's own text: "ท่านได้ยื่นคำขอ" read "ท่านได้ย่น / ื คำขอ" — over sara uee the
# font puts the small tone 59 units left of the vowel, so reading by position put the tone first
# and poppler took the vowel for a word on a line of its own. Every consonant with every upper
# vowel and every tone, after a syllable that carries marks itself, regular and bold.
@pytest.mark.parametrize("style", ["body", "h2", "small", "h1", "cell_head"])
def test_tone_over_every_upper_vowel_extracts_in_order(tmp_path, style):
    consonants = [chr(c) for c in range(0x0E01, 0x0E2F) if chr(c) not in "ฃฅ"]
    words = [
        f"{before}{c}{v}{t}น"
        for before in ("", "ผู้")
        for c in consonants
        for v in "\u0e34\u0e35\u0e36\u0e37\u0e31\u0e38\u0e39"
        for t in "\u0e48\u0e49\u0e4a\u0e4b"
    ]
    words += ["ท่านได้ยื่นคำขอ", "ผู้ยื่น", "ผู้ชื่นชม", "ที่ยื่น", "ปู่ปี่ปื้น"]
    pdf = build(tmp_path / "stacks.pdf", lambda: [T.para(w, style) for w in words])
    lines = body_lines(pdftotext(pdf))
    wrong = [
        (w, got)
        for w, got in zip((unicodedata.normalize("NFKC", w) for w in words), lines, strict=False)
        if w != got
    ]
    assert len(lines) == len(words) and not wrong, wrong[:10]


def test_reported_words_pass_pdf_thai_check(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    checker = Path("/work/shared/tools/pdf_thai_check.py")
    if not checker.is_file() or shutil.which("pdffonts") is None:
        pytest.skip("pdf_thai_check.py or poppler-utils not available")
    # Here the phrases run together, so every line break is one the typesetter chose (the checker
    # reads a break between two one-word paragraphs such as ที่ / อยู่ใน as a word cut in two).
    phrase = " ".join(REPORTED)
    pdf = build(
        tmp_path / "reported.pdf",
        lambda: [
            *(T.para(phrase, style) for style in PARAGRAPH_STYLES),
            T.table(
                [["หัวตาราง " + phrase, phrase], [phrase, phrase]], [8 * cm, 8 * cm], total_row=True
            ),
        ],
    )
    expected = tmp_path / "EXPECTED.txt"
    expected.write_text("\n".join(REPORTED) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(checker), str(pdf), str(expected)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s)" in result.stdout


@pytest.mark.parametrize("font", [T.FONT, T.FONT_BOLD])
def test_every_mark_stack_sits_left_of_the_next_letter_in_order(font):
    """Every consonant with every upper/lower vowel and tone mark (and sara am): after the fix,
    the last zero-width mark of a stack has its origin left of the next letter, and the marks
    are drawn strictly left to right (poppler reads each mark of a stack as a piece of its own
    and orders pieces by position; where the font puts the tone left of the vowel — ยื่น,
    ปี่ — the two are drawn in position order and extract in source order)."""
    T.register_fonts()
    face = pdfmetrics.getFont(font)
    consonants = [chr(c) for c in range(0x0E01, 0x0E2F)]
    vowels = ["", "\u0e34", "\u0e35", "\u0e36", "\u0e37", "\u0e31", "\u0e38", "\u0e39"]
    tones = ["", "\u0e48", "\u0e49", "\u0e4a", "\u0e4b"]
    syllables = [c + v + t + "น" for c in consonants for v in vowels for t in tones if v or t]
    syllables += [c + "ิ์น" for c in consonants]
    for syllable in syllables:
        shaped = shapeStr(syllable, font, 16, force=True)
        data = shaped.__shapeData__
        pdf_fonts._keep_marks_in_order(data)
        face._marks_in_x_order(shaped, data)
        marks = [sd.x_offset for sd in data[1:] if sd.x_advance == 0]
        assert marks, syllable
        assert marks[-1] < 0, (syllable, marks)
        assert all(a < b for a, b in zip(marks, marks[1:], strict=False)), (syllable, marks)


def _ink_height(tmp_path, name: str, text: str) -> int:
    """Pixel rows with ink when ``text`` is drawn as a chart label (a graphics String)."""
    import shutil
    import subprocess

    from PIL import Image
    from reportlab.graphics.shapes import Drawing, String

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    d = Drawing(200, 60)
    d.add(String(10, 20, text, fontName=T.FONT, fontSize=36))
    pdf = build(tmp_path / f"{name}.pdf", lambda: [T.ShapedDrawing(d)])
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "1",
            "-x",
            "100",
            "-y",
            "60",
            "-W",
            "300",
            "-H",
            "120",
            str(pdf),
            str(tmp_path / name),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob(f"{name}*.png"))).convert("L")
    rows = [
        y
        for y in range(image.height)
        if any(image.getpixel((x, y)) < 128 for x in range(image.width))
    ]
    return max(rows) - min(rows) + 1


def test_chart_labels_are_shaped(tmp_path):
    """Chart labels (legend, axes) draw ที่ with the tone above the vowel: ReportLab's own
    drawString(shaping=True) does nothing without the optional rlbidi package, and the unshaped
    tone then hides inside the vowel (the legend read มาติดต่อทีศูนย์)."""
    assert _ink_height(tmp_path, "with_tone", "ที่") > _ink_height(tmp_path, "vowel_only", "ที") + 3
