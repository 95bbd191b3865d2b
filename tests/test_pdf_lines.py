"""Visual lines of a PDF page. A span is placed by its baseline and font size, not by its box:
a font may declare a box more than twice the size of its glyphs (the Latin font for the
digits of Chinese text may), so digits in such a font, or set a little above or below
the text, stay on their line, as do superscripts and subscripts, while tight rows stay apart.
Also: a space between spans of two fonts, an opening quote of a Latin font in Chinese text,
pages whose text runs sideways, and table rules drawn cell by cell around merged cells."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pymupdf
import pytest

from orchestration.read.pdf import read_pdf

pytest.importorskip("reportlab")
import reportlab  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402


def tall_font(ascender: float = 1.3335, descender: float = -1.0337) -> bytes:
    """reportlab's own TrueType font with the vertical metrics (in font sizes) of the E-BZ font
    the Chongqing budgets set their digits in, from which a glyph's box is read: its `hhea`
    and `OS/2` ascender and descender rewritten (checksums are not checked)."""
    data = bytearray((Path(reportlab.__file__).parent / "fonts" / "Vera.ttf").read_bytes())
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    units = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
    up, down = round(ascender * units), round(descender * units)
    struct.pack_into(">hh", data, tables[b"hhea"] + 4, up, down)
    struct.pack_into(">hh", data, tables[b"OS/2"] + 68, up, down)  # sTypoAscender, -Descender
    struct.pack_into(">HH", data, tables[b"OS/2"] + 74, up, -down)  # usWinAscent, -Descent
    return bytes(data)


CJK = "STSong-Light"
LATIN = "TallLatin"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))
pdfmetrics.registerFont(TTFont(LATIN, io.BytesIO(tall_font())))
WIDTH, HEIGHT = 595.0, 842.0


class Page:
    """A page drawn top-down (y grows downwards, as the reader reports it), in runs of text
    each in its own font, size and rise (points above the baseline)."""

    def __init__(self, pdf: canvas.Canvas, height: float = HEIGHT):
        self.pdf, self.height = pdf, height

    def runs(self, x: float, y: float, *runs) -> None:
        """Runs of text set one after the other from (x, baseline y): each a text, or a
        (text, font, size, rise) tuple (font CJK, size 13.7 and rise 0 when left out), or a
        float: a blank gap of that many font sizes."""
        size = 13.7
        for run in runs:
            if isinstance(run, float):
                x += run * size
                continue
            text, font, size, rise = (run, CJK, 13.7, 0.0) if isinstance(run, str) else run
            self.pdf.setFont(font, size)
            self.pdf.drawString(x, self.height - y + rise, text)
            x += pdfmetrics.stringWidth(text, font, size)

    def hline(self, y: float, x0: float, x1: float) -> None:
        self.pdf.line(x0, self.height - y, x1, self.height - y)

    def vline(self, x: float, y0: float, y1: float) -> None:
        self.pdf.line(x, self.height - y0, x, self.height - y1)


def pdf_of(draw, size=(WIDTH, HEIGHT)) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    draw(Page(pdf, size[1]))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def texts(data: bytes) -> list[str]:
    return [line.text for line in read_pdf(data)]


def digits(text: str, size: float = 13.7, rise: float = 0.0) -> tuple:
    return text, LATIN, size, rise


def test_the_latin_font_has_a_tall_box():
    """The fault reproduced: PyMuPDF gives the digits' span a box 32 points tall at 13.7 points,
    as the Chongqing budgets' E-BZ digits have, centred apart from the Chinese text's."""
    data = pdf_of(lambda page: page.runs(60, 100, "收入预算", digits("174,900.64"), "万元"))
    spans = [
        span
        for block in pymupdf.open(stream=data)[0].get_text("dict")["blocks"]
        for line in block["lines"]
        for span in line["spans"]
    ]
    heights = {span["text"]: span["bbox"][3] - span["bbox"][1] for span in spans}
    assert heights["174,900.64"] > 2 * 13.7
    assert heights["174,900.64"] > 2 * heights["收入预算"]


PARAGRAPH = [
    ["(一)收入预算", digits(":2026"), "年年初预算数", digits("174,900.64"), "万元,其中:一般公共"],
    ["预算拨款", digits("101,833.84"), "万元,政府性基金预算拨款", digits("41,534.73"), "万元,"],
    ["收入比", digits("2025"), "年减少", digits("86,685.29"), "万元。"],
]


@pytest.mark.parametrize("rise", [0.0, -1.9, 1.9])  # the digits set on the baseline, or off it
def test_digits_in_a_font_with_a_tall_box_stay_on_their_line(rise):
    def draw(page):
        for i, runs in enumerate(PARAGRAPH):
            shifted = [r[:3] + (rise,) if isinstance(r, tuple) else r for r in runs]
            page.runs(74, 100 + 20.8 * i, *shifted)

    assert texts(pdf_of(draw)) == [
        "(一)收入预算:2026年年初预算数174,900.64万元,其中:一般公共",
        "预算拨款101,833.84万元,政府性基金预算拨款41,534.73万元,",
        "收入比2025年减少86,685.29万元。",
    ]


def test_a_title_with_its_year_lowered_and_its_quotes_raised_reads_whole():
    def draw(page):
        year, quote = (LATIN, 18.5, -2.4), (LATIN, 18.5, 0.7)
        title = [("2026", *year), ("年财政拨款", CJK, 18.5, 0.0), ("“", *quote)]
        title += [("三公", CJK, 18.5, 0.0), ("”", *quote), ("经费支出情况表", CJK, 18.5, 0.0)]
        page.runs(237, 120, *title)
        page.runs(74, 150, ("单位名称:重庆市商务委员会", CJK, 10.3, 0.0))

    assert texts(pdf_of(draw)) == [
        "2026年财政拨款“三公”经费支出情况表",
        "单位名称:重庆市商务委员会",
    ]


def test_superscripts_and_subscripts_stay_on_their_line():
    def draw(page):
        up, down = ("2", LATIN, 7.0, 5.5), ("2", LATIN, 7.0, -3.0)
        page.runs(
            60, 100, "建筑面积", digits("1,200m"), up, "，排放CO", down, "减少", digits("10%")
        )
        page.runs(60, 120, "下一行")

    assert texts(pdf_of(draw)) == ["建筑面积1,200m2，排放CO2减少10%", "下一行"]


@pytest.mark.parametrize("rise", [0.0, -1.5])
def test_rows_ten_points_apart_stay_apart(rise):
    """An unruled table in 9 points, rows 10 points apart, amounts in the tall-boxed font (each
    amount's box reaches over both neighbouring rows)."""

    def draw(page):
        rows = [("一般公共服务支出", "1,000.00"), ("教育支出", "20.00"), ("住房保障支出", "3.50")]
        for i, (name, amount) in enumerate(rows):
            page.runs(60, 100 + 10 * i, (name, CJK, 9.0, 0.0))
            page.runs(300, 100 + 10 * i, digits(amount, 9.0, rise))

    assert texts(pdf_of(draw)) == [
        "一般公共服务支出\t1,000.00",
        "教育支出\t20.00",
        "住房保障支出\t3.50",
    ]


def test_a_ruled_tight_table_places_tall_boxed_digits_by_their_baseline():
    def draw(page):
        xs, ys = [40, 200, 300], [100, 112, 124, 136]
        for y in ys:
            page.hline(y, xs[0], xs[-1])
        for x in xs:
            page.vline(x, ys[0], ys[-1])
        for r, (name, amount) in enumerate([("项目", "金额"), ("教育支出", "20.00")]):
            page.runs(44, ys[r] + 9.5, (name, CJK, 9.0, 0.0))
            page.runs(204, ys[r] + 9.5, digits(amount, 9.0) if r else (amount, CJK, 9.0, 0.0))
        page.runs(44, ys[2] + 9.5, ("合计", CJK, 9.0, 0.0))
        page.runs(204, ys[2] + 9.5, digits("20.00", 9.0, -1.0))

    lines = read_pdf(pdf_of(draw))
    assert [(line.table, line.cells) for line in lines] == [
        (0, ["项目", "金额"]),
        (0, ["教育支出", "20.00"]),
        (0, ["合计", "20.00"]),
    ]


def test_a_space_between_two_fonts_is_a_word_space_and_wide_spaces_part_cells():
    def draw(page):
        space, spaces = (" ", "Helvetica", 13.7, 0.0), (" " * 12, "Helvetica", 13.7, 0.0)
        year = [digits("2023"), space, "年度相比"]
        page.runs(60, 100, "支出决算为", digits("9746.50"), space, "万元，与", *year)
        page.runs(60, 130, "合计", spaces, digits("1,000.00"))

    assert texts(pdf_of(draw)) == ["支出决算为9746.50 万元，与2023 年度相比", "合计\t1,000.00"]


def test_an_opening_quote_of_a_latin_font_keeps_its_place_in_chinese_text():
    """A Latin font sets “ and ( narrow; Chinese text gives them a full width, the blank half
    before the mark. A wider gap before a mark is still a gap between cells."""

    def draw(page):
        quote, bracket = ("“", LATIN, 13.7, 0.0), ("(", LATIN, 13.7, 0.0)
        page.runs(60, 100, "根据国家", 0.53, quote, "一带一路", ("”", LATIN, 13.7, 0.0), "战略")
        page.runs(60, 130, "协同推进中新", 0.55, bracket, "重庆", (")", LATIN, 13.7, 0.0))
        page.runs(60, 160, "执行率", 0.9, bracket, "%", (")", LATIN, 13.7, 0.0))

    assert texts(pdf_of(draw)) == ["根据国家“一带一路”战略", "协同推进中新(重庆)", "执行率\t(%)"]


def sideways(up: bool, rotate: bool) -> bytes:
    """A landscape table set sideways on a portrait page (its text running up the page, or
    down): as printed sideways, or on a page rotated for display (/Rotate 90 or 270: it shows
    upright)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(WIDTH, HEIGHT))
    pdf.translate(*((WIDTH, 0) if up else (0, HEIGHT)))
    pdf.rotate(90 if up else -90)  # the landscape page: 842 wide, 595 high
    page = Page(pdf, WIDTH)
    page.runs(300, 60, ("收入总体情况表", CJK, 16.0, 0.0))
    page.runs(60, 90, ("部门：烟台市统计局", CJK, 9.0, 0.0))
    page.runs(700, 90, ("单位：万元", CJK, 9.0, 0.0))
    xs, ys = [60, 160, 400, 520], [100, 118, 136, 154]
    for y in ys:
        page.hline(y, xs[0], xs[-1])
    for x in xs:
        page.vline(x, ys[0], ys[-1])
    rows = [("科目编码", "科目名称", "合计"), ("201", "一般公共服务支出", "1,506.40")]
    rows.append(("20105", "统计信息事务", "1,506.40"))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.runs(xs[c] + 4, ys[r] + 13, (text, CJK, 9.0, 0.0))
    pdf.showPage()
    pdf.save()
    if not rotate:
        return out.getvalue()
    document = pymupdf.open(stream=out.getvalue())
    document[0].set_rotation(90 if up else 270)
    return document.tobytes()


@pytest.mark.parametrize("rotate", [True, False])
@pytest.mark.parametrize("up", [True, False])
def test_a_page_whose_text_runs_sideways_is_read_turned(up, rotate):
    data = sideways(up, rotate)
    line = pymupdf.open(stream=data)[0].get_text("dict")["blocks"][0]["lines"][0]
    assert line["dir"] == ((0.0, -1.0) if up else (0.0, 1.0))  # as drawn: up or down the page
    assert [(line.table, line.cells) for line in read_pdf(data)] == [
        (None, ["收入总体情况表"]),
        (None, ["部门：烟台市统计局", "单位：万元"]),
        (0, ["科目编码", "科目名称", "合计"]),
        (0, ["201", "一般公共服务支出", "1,506.40"]),
        (0, ["20105", "统计信息事务", "1,506.40"]),
    ]


def test_rules_drawn_cell_by_cell_around_merged_cells_make_one_table():
    """A Word table's rules, drawn cell by cell: each row rule in pieces at every column of the
    grid, even where a merged cell has no rule between them. Middle columns ruled only in the
    first rows (below them a merged cell spans the table) touch the rest only through the
    pieces of the row rules."""
    xs, ys = [40, 100, 160, 220, 280, 340], [100, 120, 150, 170]

    def draw(page):
        for y in ys:
            for x0, x1 in zip(xs, xs[1:], strict=False):
                page.hline(y, x0, x1)
        for x in (40, 100, 340):
            page.vline(x, ys[0], ys[-1])
        page.vline(220, ys[0], ys[1])  # between the first row's two merged cells only
        for x in (160, 220, 280):
            page.vline(x, ys[2], ys[3])
        size = (CJK, 9.0, 0.0)
        page.runs(44, 114, ("项目名称", *size))
        page.runs(104, 114, ("市商务发展专项", *size))
        page.runs(224, 114, ("主管部门", *size))
        page.runs(44, 139, ("项目概况", *size))
        page.runs(104, 139, ("为深化落实重要讲话精神,推动商务经济高质量发展。", *size))
        for x, text in zip(xs, ("指标", "数量", "≥", "7500", "吨"), strict=False):
            page.runs(x + 4, 164, (text, *size))

    assert [(line.table, line.cells) for line in read_pdf(pdf_of(draw))] == [
        (0, ["项目名称", "市商务发展专项", "", "主管部门", ""]),
        (0, ["项目概况", "为深化落实重要讲话精神,推动商务经济高质量发展。", "", "", ""]),
        (0, ["指标", "数量", "≥", "7500", "吨"]),
    ]
