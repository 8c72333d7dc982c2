"""Writes to the region tree: the national import and RT/RW entry."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from . import codes
from .choices import RegionKind
from .models import Region, RtRw

REQUIRED_COLUMNS = ["code", "name", "level", "parent_code"]
BATCH_SIZE = 5000


@dataclass
class RowError:
    line: int
    code: str
    reason: str

    def __str__(self):
        where = _("line %(line)d") % {"line": self.line}
        return f"{where} [{self.code}]: {self.reason}" if self.code else f"{where}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)


class RegionImportError(Exception):
    """The file has bad rows; nothing was changed."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class _Row:
    line: int
    code: str
    name: str
    level: int
    parent_code: str
    kind: str


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors = []
        for number, line in enumerate(raw.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(
                    RowError(number, "", _("unreadable encoding: the file must be UTF-8"))
                )
        raise RegionImportError(errors) from None


def _parse(text: str) -> list[_Row]:
    """Every row checked on its own; all errors collected, not just the first."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RegionImportError(
            [RowError(1, "", _("missing columns: %(cols)s") % {"cols": ", ".join(missing)})]
        )
    position = {column: header.index(column) for column in header}
    has_kind = "kind" in position
    valid_kinds = set(RegionKind.values)
    rows, errors, seen = [], [], {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) < len(header):
            errors.append(RowError(line, "", _("too few columns")))
            continue
        code = values[position["code"]].strip()
        name = values[position["name"]].strip()
        level_text = values[position["level"]].strip()
        parent_code = values[position["parent_code"]].strip()
        kind = values[position["kind"]].strip() if has_kind else ""
        row_errors = []
        if not codes.is_valid_code(code):
            errors.append(RowError(line, code, _("malformed code")))
            continue
        if code in seen:
            row_errors.append(_("duplicate code (first on line %(line)d)") % {"line": seen[code]})
        else:
            seen[code] = line
        if not name:
            row_errors.append(_("empty name"))
        expected_level = codes.level_of(code)
        if not level_text.isdigit() or int(level_text) != expected_level:
            row_errors.append(
                _("level %(level)s does not match the code (expected %(expected)d)")
                % {"level": level_text or "''", "expected": expected_level}
            )
        if parent_code != codes.parent_of(code):
            row_errors.append(
                _("parent code %(parent)s does not match the code")
                % {"parent": parent_code or "''"}
            )
        implied_kind = codes.kind_of(code)
        if implied_kind is None:
            row_errors.append(_("the code implies no known kind"))
        elif kind and (kind not in valid_kinds or kind != implied_kind):
            row_errors.append(
                _("kind %(kind)s does not match the code (expected %(expected)s)")
                % {"kind": kind, "expected": implied_kind}
            )
        errors.extend(RowError(line, code, reason) for reason in row_errors)
        if not row_errors:
            rows.append(_Row(line, code, name, expected_level, parent_code, implied_kind))
    # Parents may come from the file or from regions already imported.
    file_codes = set(seen)
    wanted = {row.parent_code for row in rows if row.parent_code} - file_codes
    known = set(file_codes)
    wanted = sorted(wanted)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        known.update(Region.objects.filter(code__in=chunk).values_list("code", flat=True))
    for row in rows:
        if row.parent_code and row.parent_code not in known:
            errors.append(
                RowError(
                    row.line,
                    row.code,
                    _("missing parent %(parent)s") % {"parent": row.parent_code},
                )
            )
    if errors:
        raise RegionImportError(sorted(errors, key=lambda error: error.line))
    return rows


def regions_import(*, raw: bytes, progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import a region list (`code,name,level,parent_code[,kind]`).

    All or nothing: any bad row raises RegionImportError listing every bad row by line,
    and the database is left as it was. Idempotent: existing regions are updated only
    where they differ (a renamed region), so a second run changes nothing. Regions
    missing from the file are kept: works and money may point at them.
    """
    say = progress or (lambda message: None)
    rows = _parse(_decode(raw))
    say(_("%(n)d rows read and checked") % {"n": len(rows)})
    existing = {
        code: (name, level, kind, parent)
        for code, name, level, kind, parent in Region.objects.values_list(
            "code", "name", "level", "kind", "parent_id"
        )
    }
    report = ImportReport(rows=len(rows))
    to_create, to_update = [], []
    for row in rows:
        region = Region(
            code=row.code,
            name=row.name,
            level=row.level,
            kind=row.kind,
            parent_id=row.parent_code or None,
        )
        current = existing.get(row.code)
        if current is None:
            to_create.append(region)
        elif current != (region.name, region.level, region.kind, region.parent_id):
            to_update.append(region)
        else:
            report.unchanged += 1
    with transaction.atomic():
        for start in range(0, len(to_create), BATCH_SIZE):
            Region.objects.bulk_create(to_create[start : start + BATCH_SIZE])
            report.created += len(to_create[start : start + BATCH_SIZE])
            say(
                _("%(done)d of %(total)d new regions saved")
                % {"done": report.created, "total": len(to_create)}
            )
        Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent"], batch_size=1000)
        report.updated = len(to_update)
    return report


def rtrw_create(*, kelurahan: Region, rw: int, rt: int) -> RtRw:
    """Record an RT/RW under a kelurahan/desa (unique per kelurahan)."""
    unit = RtRw(kelurahan=kelurahan, rw=rw, rt=rt)
    unit.full_clean()  # includes the unique (kelurahan, rw, rt) constraint
    unit.save()
    return unit
