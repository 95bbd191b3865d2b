"""Ruled PDF tables read cell by cell: wrapped lines joined, merged cells as spans, tables
stitched across pages, rules drawn every way a PDF writer draws them (lines, thin filled
rectangles, stroked rectangles, one path for the whole grid), open sides, tight cells."""

from __future__ import annotations

import io

import pytest

from orchestration.parse.layout import join_wrapped
from orchestration.read.pdf import read_pdf

pytest.importorskip("reportlab")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
HEIGHT = 842.0


class Page:
    """A page drawn top-down (y grows downwards, as the reader reports it)."""

    def __init__(self, pdf: canvas.Canvas):
        self.pdf = pdf
        pdf.setFont(FONT, 9)

    def text(self, x: float, y: float, text: str) -> None:
        self.pdf.drawString(x, HEIGHT - y, text)

    def hline(self, y: float, x0: float, x1: float, style: str = "line") -> None:
        if style == "filled":  # a thin filled rectangle, as Word's PDF export draws rules
            self.pdf.rect(x0, HEIGHT - y - 0.5, x1 - x0, 1, stroke=0, fill=1)
        else:
            self.pdf.line(x0, HEIGHT - y, x1, HEIGHT - y)

    def vline(self, x: float, y0: float, y1: float, style: str = "line") -> None:
        if style == "filled":
            self.pdf.rect(x - 0.5, HEIGHT - y1, 1, y1 - y0, stroke=0, fill=1)
        else:
            self.pdf.line(x, HEIGHT - y0, x, HEIGHT - y1)


def pdf_of(*pages) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, HEIGHT))
    for draw in pages:
        draw(Page(pdf))
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def grid(page: Page, xs, ys, style="line", skip=(), open_sides=False) -> None:
    """Rules of a table: every horizontal at ys, every vertical at xs, except the segments in
    `skip` (("v", column line, row) or ("h", row line, column)) that merge cells."""
    for j, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if ("h", j, c) not in skip:
                page.hline(y, xs[c], xs[c + 1], style)
    for i, x in enumerate(xs):
        if open_sides and i in (0, len(xs) - 1):
            continue
        for r in range(len(ys) - 1):
            if ("v", i, r) not in skip:
                page.vline(x, ys[r], ys[r + 1], style)


def table_rows(lines):
    return [(line.table, line.cells) for line in lines if line.table is not None]


@pytest.mark.parametrize("style", ["line", "filled"])
def test_wrapped_cells_join_into_one_text(style):
    def draw(page):
        xs, ys = [40, 140, 260, 330], [100, 116, 150]
        grid(page, xs, ys, style)
        page.text(44, 111, "项目")
        page.text(144, 111, "说明")
        page.text(264, 111, "金额")
        page.text(44, 127, "视频会议室的")  # wrapped onto two lines inside its cell
        page.text(44, 139, "运维管理")
        page.text(144, 127, "Video conference")
        page.text(144, 139, "room upkeep")
        page.text(264, 133, "1,202.95")

    lines = read_pdf(pdf_of(draw))
    assert table_rows(lines) == [
        (0, ["项目", "说明", "金额"]),
        (0, ["视频会议室的运维管理", "Video conference room upkeep", "1,202.95"]),
    ]
    assert lines[1].boxes == ((40.0, 140.0), (140.0, 260.0), (260.0, 330.0))


def test_merged_cells_read_once_at_their_first_row_and_column():
    def draw(page):
        xs, ys = [40, 110, 200, 300], [100, 116, 132, 148, 164]
        # 产出指标 spans rows 1-2 of column 0; the goal spans columns 1-2 of row 3
        skip = {("h", 2, 0), ("v", 2, 3)}
        grid(page, xs, ys, skip=skip)
        for x, text in [(44, "一级指标"), (114, "二级指标"), (204, "指标值")]:
            page.text(x, 111, text)
        page.text(44, 135, "产出指标")  # centred in its merged cell
        page.text(114, 127, "数量指标")
        page.text(204, 127, "≥5 次")
        page.text(114, 143, "质量指标")
        page.text(204, 143, "好")
        page.text(44, 159, "绩效目标")
        page.text(114, 159, "加强视频会议室的运维管理")

    assert [cells for _, cells in table_rows(read_pdf(pdf_of(draw)))] == [
        ["一级指标", "二级指标", "指标值"],
        ["产出指标", "数量指标", "≥5 次"],
        ["", "质量指标", "好"],
        ["绩效目标", "加强视频会议室的运维管理", ""],
    ]


def test_a_table_without_outer_side_rules_still_reads_by_cell():
    def draw(page):
        xs, ys = [40, 140, 240], [100, 116, 132]
        grid(page, xs, ys, open_sides=True)
        page.text(44, 111, "科目名称")
        page.text(144, 111, "合计")
        page.text(44, 127, "行政运行")
        page.text(144, 127, "9,389,913.00")

    assert table_rows(read_pdf(pdf_of(draw))) == [
        (0, ["科目名称", "合计"]),
        (0, ["行政运行", "9,389,913.00"]),
    ]


def test_tight_cells_are_split_by_their_rules_not_by_gaps():
    def draw(page):
        xs, ys = [40, 76, 112, 148], [100, 116]
        grid(page, xs, ys)
        for x, text in [(41, "一般公共"), (77, "预算资金"), (113, "3,808,085")]:
            page.text(x, 111, text)  # text runs almost to the next cell's text

    assert table_rows(read_pdf(pdf_of(draw))) == [(0, ["一般公共", "预算资金", "3,808,085"])]


def test_a_grid_drawn_as_one_path_is_read():
    def draw(page):
        path = page.pdf.beginPath()
        for y in (100, 116, 132):
            path.moveTo(40, HEIGHT - y)
            path.lineTo(240, HEIGHT - y)
        for x in (40, 140, 240):
            path.moveTo(x, HEIGHT - 100)
            path.lineTo(x, HEIGHT - 132)
        page.pdf.drawPath(path, stroke=1, fill=0)
        page.text(44, 111, "类")
        page.text(144, 111, "名称")
        page.text(44, 127, "201")
        page.text(144, 127, "一般公共服务支出")

    assert table_rows(read_pdf(pdf_of(draw))) == [
        (0, ["类", "名称"]),
        (0, ["201", "一般公共服务支出"]),
    ]


def test_a_frame_around_a_paragraph_is_not_a_table():
    def draw(page):
        page.pdf.rect(40, HEIGHT - 140, 400, 40, stroke=1, fill=0)
        page.text(44, 115, "注：本表无数据。")
        page.text(44, 130, "单位：元")

    lines = read_pdf(pdf_of(draw))
    assert [(line.table, line.text) for line in lines] == [
        (None, "注：本表无数据。"),
        (None, "单位：元"),
    ]


def _table_page(rows, title=None, header=True):
    def draw(page):
        y = 80
        if title:
            page.text(40, y, title)
            y += 20
        body = ([["科目名称", "合计"]] if header else []) + rows
        ys = [y + 16 * i for i in range(len(body) + 1)]
        grid(page, [40, 200, 300], ys)
        for i, cells in enumerate(body):
            page.text(44, ys[i] + 11, cells[0])
            page.text(204, ys[i] + 11, cells[1])
        page.text(280, 800, "- 3 -")  # page furniture

    return draw


def test_a_table_continued_on_the_next_page_keeps_its_number():
    first = _table_page([["行政运行", "1.00"]], title="2025年部门支出预算总表")
    repeated = _table_page([["事业运行", "2.00"]])  # header repeated
    bare = _table_page([["其他支出", "3.00"]], header=False)  # no header
    other = _table_page([["机关服务", "4.00"]], title="2025年部门一般公共预算支出表")
    lines = read_pdf(pdf_of(first, repeated, bare, other))
    assert [(line.page, line.table, line.cells[0]) for line in lines if line.is_row] == [
        (1, 0, "科目名称"),
        (1, 0, "行政运行"),
        (2, 0, "科目名称"),
        (2, 0, "事业运行"),
        (3, 0, "其他支出"),
        (4, 1, "科目名称"),  # a titled table on the next page is a new table
        (4, 1, "机关服务"),
    ]


def test_unruled_rows_stay_visual_lines():
    def draw(page):
        page.text(40, 100, "单位名称")
        page.text(200, 100, "单位性质")
        page.text(40, 116, "南宫市委办公室")
        page.text(200, 116, "行政")

    lines = read_pdf(pdf_of(draw))
    assert [(line.table, line.cells) for line in lines] == [
        (None, ["单位名称", "单位性质"]),
        (None, ["南宫市委办公室", "行政"]),
    ]


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["视频会议室的", "运维管理"], "视频会议室的运维管理"),
        (["Video conference", "room upkeep"], "Video conference room upkeep"),
        (["召开会议", "≥5 次"], "召开会议≥5 次"),
        (["1,202.95", "万元"], "1,202.95万元"),
        (["", "  运维 ", ""], "运维"),
    ],
)
def test_join_wrapped_spaces_only_between_ascii_words(parts, joined):
    assert join_wrapped(parts) == joined


def test_an_empty_last_column_is_kept_and_an_overhanging_row_is_not_a_column():
    def draw(page):
        grid(page, [40, 200, 260, 320], [100, 116, 132])  # 数量 and 价值 printed empty
        page.text(44, 111, "1、房屋（平方米）")
        page.text(44, 127, "2、车辆（台、辆）")
        # a goal row whose rule runs past the table's right edge
        grid(page, [40, 100, 200, 300], [200, 216])
        grid(page, [40, 100, 300, 420], [216, 232], skip={("v", 2, 0)})
        grid(page, [40, 100, 200, 300], [232, 248, 264, 280])
        page.text(44, 211, "一级指标")
        page.text(104, 211, "二级指标")
        page.text(204, 211, "指标值")
        page.text(44, 227, "绩效目标")
        page.text(104, 227, "加强视频会议室的运维管理，确保正常运转")
        for y, level2 in [(243, "数量指标"), (259, "质量指标"), (275, "时效指标")]:
            page.text(104, y, level2)

    cells = [line.cells for line in read_pdf(pdf_of(draw))]
    assert cells[:2] == [["1、房屋（平方米）", "", ""], ["2、车辆（台、辆）", "", ""]]
    assert cells[2:] == [
        ["一级指标", "二级指标", "指标值"],
        ["绩效目标", "加强视频会议室的运维管理，确保正常运转", ""],
        ["", "数量指标", ""],
        ["", "质量指标", ""],
        ["", "时效指标", ""],
    ]


def test_unruled_wrapped_cells_are_joined_to_their_row():
    from orchestration.parse.template_a import _text_rows

    def draw(page):
        rows = [
            ("单位名称", "单位性质", "经费保障形式"),
            ("中国共产主义青年团南宫", "行政", "财政拨款"),
            ("市委员会", "", ""),  # the rest of a name that ran to the column's width
            ("文明办", "行政", "财政拨款"),
            ("南宫市档案馆", "事业", ""),  # a short row printing fewer cells: its own row
        ]
        for i, cells in enumerate(rows):
            for x, cell in zip((40, 160, 220), cells, strict=True):
                if cell:
                    page.text(x, 100 + 14 * i, cell)

    rows = [line.cells for line in _text_rows(read_pdf(pdf_of(draw)))]
    assert rows == [
        ["单位名称", "单位性质", "经费保障形式"],
        ["中国共产主义青年团南宫市委员会", "行政", "财政拨款"],
        ["文明办", "行政", "财政拨款"],
        ["南宫市档案馆", "事业", ""],
    ]
