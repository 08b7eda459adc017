"""公文 page and styles for python-docx (GB/T 9704-2012, as local finance offices use it).

python-docx has no East-Asian font setting, and the default template's styles name theme
fonts (``w:eastAsiaTheme`` …) that override any font set on them. Here every ``w:rFonts`` gets
explicit ``w:ascii``/``w:hAnsi``/``w:eastAsia`` names and loses its theme attributes, so Word
and WPS both show 仿宋_GB2312, 黑体, 楷体_GB2312 and 方正小标宋简体. The font table also names a
fallback (``w:altName``, GB2312 charset) for machines without the 方正/GB2312 fonts.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import ParagraphStyle
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# Fallbacks Word/WPS use when a font is not installed (w:altName in the font table).
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(12)  # 小四
CAPTION_SIZE = Pt(14)  # 四号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28.9)  # fixed line pitch: 22 lines on a 225 mm type area
INDENT = Pt(32)  # two characters of 三号
TEXT_WIDTH_MM = 156  # 210 − 28 − 26

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Custom paragraph styles (Chinese names, as a finance office would look for them).
S_TITLE = "公文标题"
S_META = "公文抬头"
S_CAPTION = "表题"
S_TABLE = "表格文字"
S_FIGURE = "图片"
S_ATTACHMENT = "附件标识"
S_SIGNATURE = "署名"
S_FOOTER = "页码"


def set_fonts(element: etree._Element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set explicit fonts on a style or run (its rPr), dropping theme fonts."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _strip_theme(doc: Document) -> None:
    root = doc.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
    for colour in root.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def _defaults(doc: Document) -> None:
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph_style(
    doc: Document, name: str, font: str, size: Pt, *, bold: bool = False,
    align: int | None = None, indent: Pt | None = None, line: Pt | None = LINE,
    base: str = "Normal", latin: str = LATIN_FONT,
) -> ParagraphStyle:
    styles = doc.styles
    found = styles.element.get_by_name(BabelFish.ui2internal(name))
    style = (
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH) if found is None
        else ParagraphStyle(found)
    )
    if name != "Normal":
        base_style = styles.element.get_by_name(BabelFish.ui2internal(base))
        style.element.basedOn_val = base_style.styleId
    set_fonts(style.element, font, latin)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    pf.first_line_indent = indent
    if align is not None:
        pf.alignment = align
    return style


def _font_table(doc: Document) -> None:
    part = next(
        p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    )
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern"),
                           ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_setup(doc: Document) -> None:
    """A4, 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(20)
    doc.settings.odd_and_even_pages_header_footer = True


def install_styles(doc: Document) -> None:
    _strip_theme(doc)
    _defaults(doc)
    justify, center = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    normal = _paragraph_style(doc, "Normal", BODY_FONT, BODY_SIZE, align=justify, indent=INDENT)
    normal.paragraph_format.widow_control = True
    for level, font, bold in ((1, HEADING1_FONT, False), (2, HEADING2_FONT, False),
                              (3, BODY_FONT, True)):
        # Digits in a 黑体 or 楷体 heading take the heading's face, as in a printed 公文.
        style = _paragraph_style(doc, f"Heading {level}", font, BODY_SIZE, bold=bold,
                                 align=justify, indent=INDENT,
                                 latin=LATIN_FONT if font == BODY_FONT else font)
        style.paragraph_format.keep_with_next = True
        style.font.bold = bold
        bcs = style.element.rPr.find(qn("w:bCs"))
        if bcs is not None:
            style.element.rPr.remove(bcs)
    _paragraph_style(doc, S_TITLE, TITLE_FONT, TITLE_SIZE, align=center, indent=Pt(0),
                     line=Pt(36), latin=TITLE_FONT)
    _paragraph_style(doc, S_META, BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT,
                     indent=INDENT)
    caption = _paragraph_style(doc, S_CAPTION, HEADING1_FONT, CAPTION_SIZE, align=center,
                               indent=Pt(0), line=Pt(24), latin=HEADING1_FONT)
    caption.paragraph_format.keep_with_next = True
    cell = _paragraph_style(doc, S_TABLE, BODY_FONT, TABLE_SIZE, indent=Pt(0), line=Pt(18))
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)
    figure = _paragraph_style(doc, S_FIGURE, BODY_FONT, BODY_SIZE, align=center, indent=Pt(0),
                              line=None)
    figure.paragraph_format.keep_with_next = True
    _paragraph_style(doc, S_ATTACHMENT, HEADING1_FONT, BODY_SIZE,
                     align=WD_ALIGN_PARAGRAPH.LEFT, indent=Pt(0))
    signature = _paragraph_style(doc, S_SIGNATURE, BODY_FONT, BODY_SIZE,
                                 align=WD_ALIGN_PARAGRAPH.RIGHT, indent=Pt(0))
    signature.paragraph_format.right_indent = Pt(64)
    _paragraph_style(doc, S_FOOTER, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, indent=Pt(0), line=None,
                     latin=PAGE_NUMBER_FONT)
    _font_table(doc)
