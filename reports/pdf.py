"""The monthly report as an A4 PDF, drawn on the server with reportlab's platypus from the
same `MonthlyReport` as the HTML page (so the two cannot disagree). Labels go through
gettext, money through kotaku.money, dates and numbers through Django's formats, so the
PDF speaks the user's language like the page does."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kotaku.money import format_rupiah

MARGIN = 12 * mm
WIDTH = A4[0] - 2 * MARGIN
BRAND = colors.HexColor("#0b6e4f")
HEAD_BG = colors.HexColor("#e6ebef")
LINE = colors.HexColor("#b8c0c8")
PENDING = colors.HexColor("#a15c00")
PHOTO_BOX = (WIDTH / 3 - 4 * mm, 45 * mm)

_base = getSampleStyleSheet()


def _style(name, parent="Normal", **options):
    return ParagraphStyle(name, parent=_base[parent], **options)


_SMALL = {"fontSize": 7, "leading": 8.5}
_BOLD = {"fontName": "Helvetica-Bold", **_SMALL}
STYLES = {
    "title": _style("title", "Title", fontSize=16, leading=19, alignment=0),
    "kicker": _style("kicker", fontSize=8, textColor=colors.grey),
    "h2": _style(
        "h2", "Heading2", fontSize=12, leading=15, textColor=BRAND, spaceBefore=8, keepWithNext=1
    ),
    "body": _style("body", fontSize=9, leading=11.5),
    "note": _style("note", fontSize=8, textColor=colors.grey, keepWithNext=1),
    "caption": _style("caption", fontSize=9, leading=11.5, keepWithNext=1),
    "warn": _style(
        "warn",
        fontSize=9,
        backColor=colors.HexColor("#fff4e5"),
        borderPadding=4,
        spaceBefore=4,
        spaceAfter=6,
    ),
    "cell": _style("cell", **_SMALL),
    "num": _style("num", alignment=TA_RIGHT, **_SMALL),
    "head": _style("head", **_BOLD),
    "headnum": _style("headnum", alignment=TA_RIGHT, **_BOLD),
    "centre": _style("centre", alignment=TA_CENTER, **_SMALL),
    "headcentre": _style("headcentre", alignment=TA_CENTER, **_BOLD),
}


def _section_break(new_page: bool):
    """A major section starts on a new page when it is long (as the print stylesheet
    does), otherwise only when little room is left for its first rows."""
    return PageBreak() if new_page else CondPageBreak(50 * mm)


def _p(text, style="body"):
    return Paragraph(escape(str(text)), STYLES[style])


def _pct(value):
    return "–" if value is None else f"{number_format(value, 1)}%"


def _hok(value):
    return number_format(value or 0, 1, force_grouping=True)


def _int(value):
    return number_format(value or 0, 0, force_grouping=True)


def _ha(value):
    return number_format(value or 0, 2, force_grouping=True)


def _day(value):
    return date_format(value, "DATE_FORMAT")


def _table(head, rows, widths, *, numeric_from=1, total=None, style=()):
    """A table of Paragraph cells (they wrap, so no column is cut off) whose header row
    repeats on every page; columns from `numeric_from` on are right-aligned."""

    def cells(values, text_style, num_style):
        return [
            _p(value, num_style if i >= numeric_from else text_style)
            if isinstance(value, str)
            else value
            for i, value in enumerate(values)
        ]

    data = [cells(head, "head", "headnum")]
    data += [cells(row, "cell", "num") for row in rows]
    return _grid(data, widths, total and cells(total, "head", "headnum"), style)


def _counts_row(pairs):
    """One row of labelled counts (works by status, areas by level, flags), centred."""
    labels = [_p(str(label), "headcentre") for label, _count in pairs]
    values = [_p(str(count), "centre") for _label, count in pairs]
    return _grid([labels, values], [WIDTH / len(pairs)] * len(pairs))


def _grid(data, widths, total=None, style=()):
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *style,
    ]
    if total:
        data.append(total)
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1, colors.black))
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(commands), hAlign="LEFT")


def _counts(pairs, per_row=5):
    """Labelled counts in a grid of boxes, like the page's count tiles."""
    cells = [[_p(label, "note"), _p(value, "body")] for label, value in pairs]
    while len(cells) % per_row:
        cells.append("")
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    return Table(
        rows,
        colWidths=[WIDTH / per_row] * per_row,
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.4, LINE),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
        hAlign="LEFT",
    )


def _header(report):
    period = report.period
    flow = [
        _p(_("KOTAKU program · monthly progress report (laporan bulanan)"), "kicker"),
        _p(f"{report.region.name} ({report.region.code})", "title"),
        _p(
            f"{date_format(period.first, 'F Y')} · "
            + _("state at %(day)s") % {"day": _day(period.last)}
            + " · "
            + _("fiscal year %(year)s") % {"year": period.year}
        ),
    ]
    if report.partial:
        places = ", ".join(place.name for place in report.places) or "–"
        text = _("This report covers only part of %(region)s: your places") % {
            "region": report.region.name
        }
        flow.append(_p(f"{text} {places}.", "warn"))
    flow.append(
        _p(
            _(
                "Only approved data counts in the figures; data waiting for review is "
                "shown as pending."
            ),
            "note",
        )
    )
    return flow


def _summary(report):
    summary = report.summary
    statuses = summary["by_status"]
    return [
        _p(f"1. {_('Program summary')}", "h2"),
        _counts(
            [
                (_("Kelurahan/desa in the program"), summary["kelurahan"]),
                (_("Upgrading locations"), summary["upgrading"]),
                (_("Prevention locations"), summary["prevention"]),
                ("BKM/LKM", summary["bkm"]),
                ("KSM", summary["ksm"]),
                ("KPP", summary["kpp"]),
                ("Panitia", summary["panitia"]),
                (_("Works"), summary["works"]),
                (_("Started this month"), summary["started"]),
                (_("Completed this month"), summary["completed"]),
            ]
        ),
        Spacer(0, 3 * mm),
        _p(_("Works by status at month end"), "caption"),
        _counts_row(statuses),
    ]


def _money(report):
    period = report.period
    head = [
        _("Funding source"),
        _("Allocated"),
        _("Disbursed"),
        _("of which this month"),
        _("Spent"),
        _("of which this month"),
        _("Pending"),
        _("Realization"),
    ]

    def row(figure, name):
        return [
            name,
            format_rupiah(figure.allocated),
            format_rupiah(figure.disbursed),
            format_rupiah(figure.extra["disbursed_month"]),
            format_rupiah(figure.spent),
            format_rupiah(figure.extra["spent_month"]),
            format_rupiah(figure.pending),
            _pct(figure.realization),
        ]

    rows = [row(figure, figure.name) for figure in report.money]
    if not rows:
        rows = [[_("No allocation for this fiscal year in your places.")] + [""] * 7]
    total = row(report.money_total, _("Total")) if report.money else None
    swadaya = report.swadaya
    line = (
        f"{_('Swadaya (community contribution)')}: {format_rupiah(swadaya['approved'])} "
        f"({_('of which this month')} {format_rupiah(swadaya['month'])})"
    )
    if swadaya["pending"]:
        line += f"; {_('pending')} {format_rupiah(swadaya['pending'])}"
    widths = [32 * mm] + [(WIDTH - 50 * mm) / 6] * 6 + [18 * mm]
    recipients = [
        [
            f"{figure.name} ({_('own allocation')})" if figure.extra["own"] else figure.name,
            format_rupiah(figure.allocated),
            format_rupiah(figure.disbursed),
            format_rupiah(figure.spent),
            format_rupiah(figure.pending),
            _pct(figure.realization),
        ]
        for figure in report.recipients
    ]
    by_recipient = [
        Spacer(0, 3 * mm),
        _p(_("By recipient"), "caption"),
        _table(
            [_("Recipient"), _("Allocated"), _("Disbursed"), _("Spent"), _("Pending"),
             _("Realization")],
            recipients,
            [56 * mm] + [(WIDTH - 74 * mm) / 4] * 4 + [18 * mm],
        ),
    ] if recipients else []  # fmt: skip
    return [
        _p(f"2. {_('Money by funding source')}", "h2"),
        _p(
            _("Allocations of fiscal year %(year)s; disbursed and spent up to %(day)s.")
            % {"year": period.year, "day": _day(period.last)},
            "note",
        ),
        _table(head, rows, widths, total=total),
        *by_recipient,
        Spacer(0, 2 * mm),
        _p(line),
    ]


def _served(item):
    get = item.get if isinstance(item, dict) else lambda name: getattr(item, name)
    return (
        f"{_int(get('served_people'))} ({_int(get('served_women'))}) / "
        f"{_int(get('served_households'))} ({_int(get('served_poor_households'))})"
    )


def _works(report):
    period = report.period
    head = [
        "#",
        _("Work"),
        _("Status"),
        _("Physical"),
        _("Financial"),
        _("Budget"),
        _("HOK (month / total)"),
        _("Workers M / W"),
        _("Wages"),
        _("Served: people (women) / KK (poor)"),
    ]
    flags_label = escape(_("Flags"))
    rows = []
    for number, work in enumerate(report.works, start=1):
        about = (
            f"<b>{escape(work.name)}</b><br/>{escape(work.kelurahan.name)} · "
            f"{escape(str(work.work_type))} · {floatformat(work.volume, '-2')} "
            f"{escape(str(work.get_unit_display()))} · {work.fiscal_year}"
        )
        if work.flag_labels:
            flags = escape(", ".join(str(label) for label in work.flag_labels))
            about += f'<br/><font color="#a15c00">{flags_label}: {flags}</font>'
        status = escape(str(work.status_at_end_label))
        if work.has_pending:
            status += f'<br/><font color="#a15c00">{escape(_("report pending"))}</font>'
        physical = _pct(work.approved_progress)
        if work.approved_date:
            physical += f"<br/>{date_format(work.approved_date, 'SHORT_DATE_FORMAT')}"
        rows.append(
            [
                str(number),
                Paragraph(about, STYLES["cell"]),
                Paragraph(status, STYLES["cell"]),
                Paragraph(physical, STYLES["num"]),
                _pct(work.financial_progress),
                format_rupiah(work.budget),
                f"{_hok(work.labour_days_month)} / {_hok(work.labour_days_total)}",
                f"{work.workers_men_peak} / {work.workers_women_peak}",
                format_rupiah(work.wages_total),
                _served(work),
            ]
        )
    total = report.works_total
    footer = None
    if rows:
        pending = (
            ngettext("%(counter)s report pending", "%(counter)s reports pending", total["pending"])
            % {"counter": total["pending"]}
            if total["pending"]
            else ""
        )
        footer = [
            "",
            f"{_('Total')} ({total['works']})",
            pending,
            _pct(total["progress"]),
            "",
            format_rupiah(total["budget"]),
            f"{_hok(total['labour_days_month'])} / {_hok(total['labour_days_total'])}",
            f"{total['workers_men_peak']} / {total['workers_women_peak']}",
            format_rupiah(total["wages_total"]),
            _served(total),
        ]
    else:
        rows = [["", _("No works for this month in your places.")] + [""] * 8]
    widths = [6, 40, 19, 14, 15, 22, 17, 13, 20, 20]
    return [
        _section_break(report.works_on_new_page),
        _p(f"3. {_('Works and their progress')}", "h2"),
        _p(
            _(
                "Progress, labour and beneficiaries from the latest approved report up to "
                "%(day)s. HOK = labour days."
            )
            % {"day": _day(period.last)},
            "note",
        ),
        _table(head, rows, [w * mm for w in widths], numeric_from=3, total=footer),
    ]


def _labour(report):
    total = report.works_total
    return KeepTogether(
        [
            _p(f"4. {_('Labour and beneficiaries')}", "h2"),
            _counts(
                [
                    (_("HOK this month"), _hok(total["labour_days_month"])),
                    (_("HOK to date"), _hok(total["labour_days_total"])),
                    (_("Workers, men"), _int(total["workers_men_peak"])),
                    (_("Workers, women"), _int(total["workers_women_peak"])),
                    (_("Wages paid"), format_rupiah(total["wages_total"])),
                    (_("People served"), _int(total["served_people"])),
                    (_("Women served"), _int(total["served_women"])),
                    (_("Households (KK)"), _int(total["served_households"])),
                    (_("Poor households"), _int(total["served_poor_households"])),
                    (_("Low-income (MBR)"), _int(total["served_mbr"])),
                ]
            ),
        ]
    )


def _slums(report):
    total = report.slum_total
    by_level = total["by_level"]
    flow = [
        _p(f"5. {_('Slum reduction')}", "h2"),
        _counts(
            [
                (_("Slum areas"), total["areas"]),
                (_("Baseline (ha)"), _ha(total["baseline_ha"])),
                (_("Now (ha)"), _ha(total["current_ha"])),
                (_("Reduced (ha)"), _ha(total["reduced_ha"])),
            ],
            per_row=4,
        ),
        Spacer(0, 2 * mm),
        _p(_("Areas by level"), "caption"),
        _counts_row(by_level),
        Spacer(0, 2 * mm),
    ]
    if not report.slum_areas:
        flow.append(_p(_("No slum area in your places.")))
        return flow
    rows = []
    for area in report.slum_areas:
        level = area.level_label or "–"
        if area.survey_pending:
            level = f"{level} ({_('survey pending')})"
        rows.append(
            [
                area.name,
                _ha(area.area_ha),
                _ha(area.baseline_ha),
                _ha(area.current_ha),
                _ha(area.reduced_ha),
                Paragraph(escape(str(level)), STYLES["cell"]),
            ]
        )
    head = [
        _("Slum area"),
        _("SK (ha)"),
        _("Baseline (ha)"),
        _("Now (ha)"),
        _("Reduced (ha)"),
        _p(_("Level"), "head"),
    ]
    widths = [62 * mm] + [24 * mm] * 4 + [WIDTH - 158 * mm]
    flow.append(_table(head, rows, widths))
    return flow


def _flags(report):
    flow = [
        _p(f"6. {_('Open data-quality flags')}", "h2"),
        _counts_row([(capfirst(str(label)), count) for label, count in report.flags]),
        Spacer(0, 2 * mm),
    ]
    flagged = report.flagged_works
    if not flagged:
        flow.append(_p(_("No open flags.")))
    for work in flagged:
        flags = ", ".join(str(label) for label in work.flag_labels)
        flow.append(_p(f"• {work.name} ({work.kelurahan.name}): {flags}"))
    return flow


def _picture(photo):
    """The display copy scaled into its box, or None when the file cannot be read."""
    stored = photo.display or photo.image
    try:
        with stored.open("rb") as handle:
            data = BytesIO(handle.read())
        width, height = ImageReader(data).getSize()
    except Exception:  # a missing or unreadable file must not break the whole report
        return None
    data.seek(0)
    scale = min(PHOTO_BOX[0] / width, PHOTO_BOX[1] / height)
    return Image(data, width=width * scale, height=height * scale)


def _photos(report):
    flow = [
        _section_break(bool(report.photos)),
        _p(f"7. {_('Photos of works completed this month')}", "h2"),
    ]
    if not report.photos:
        flow.append(_p(_("No work was completed this month.")))
        return flow
    cells = []
    for photo in report.photos:
        report_row = photo.report
        caption = (
            f"{report_row.work.name} ({report_row.work.kelurahan.name}) · "
            f"{photo.get_stage_display()} · {_day(report_row.report_date)}"
        )
        if report_row.is_pending:
            caption += f" · {_('pending')}"
        picture = _picture(photo) or _p(_("The photo file is missing."), "note")
        cells.append([picture, _p(caption, "cell")])
    while len(cells) % 3:
        cells.append("")
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    flow.append(
        Table(
            rows,
            colWidths=[WIDTH / 3] * 3,
            style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]),
            hAlign="LEFT",
        )
    )
    return flow


def build_pdf(report) -> bytes:
    """The report as PDF bytes: A4 portrait, every table's header repeated on each page,
    a footer with the kabupaten, the month and the page number."""
    buffer = BytesIO()
    month = date_format(report.period.first, "F Y")
    footer = f"{report.region.name} · {_('Monthly report')} {month}"
    title = f"{_('Monthly report')} {report.region.name} {month}"

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 8 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm, _("Page %(number)s") % {"number": doc.page})
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=title,
        author="kotaku",
        subject=_("KOTAKU program · monthly progress report (laporan bulanan)"),
    )
    story = [
        *_header(report),
        *_summary(report),
        *_money(report),
        *_works(report),
        _labour(report),
        *_slums(report),
        *_flags(report),
        *_photos(report),
    ]
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
