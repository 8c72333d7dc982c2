"""Uploaded files: checked by their content, not their name, and stored under safe names.

Shared by every app that takes documents or spreadsheets. A file is refused when it is
larger than MAX_UPLOAD_BYTES or when its content is not what its kind says: a PDF starts
with `%PDF-`, a CSV is UTF-8 text, an XLSX opens with openpyxl. A text file renamed
`.pdf` is therefore refused. Use the validators on model fields
(`validators=[PdfValidator()]`) and `UploadTo("programs/rplp")` as `upload_to`, so files
go through Django's default storage under a per-model folder.
"""

import os
import re
import unicodedata
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, *, max_length: int = 80) -> str:
    """`"../RPLP Klagenserut (final)!.PDF"` → `"RPLP_Klagenserut_final.pdf"`.

    Keeps only ASCII letters, digits, dot, dash and underscore; no folders; never empty.
    """
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, ext = os.path.splitext(base)
    stem = _UNSAFE.sub("_", stem).strip("._-")[: max_length - 10] or "file"
    ext = _UNSAFE.sub("", ext.lower())[:8]
    return f"{stem}{ext}"


@deconstructible
class UploadTo:
    """`upload_to` for a model: `<folder>/<year>/<month>/<random>-<safe name>`."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename):
        now = timezone.now()
        prefix = uuid.uuid4().hex[:8]
        return f"{self.folder}/{now:%Y/%m}/{prefix}-{safe_filename(filename)}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder


def _extension(upload) -> str:
    return os.path.splitext(getattr(upload, "name", "") or "")[1].lower().lstrip(".")


def _head(upload, size: int) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def check_size(upload):
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB."),
            code="too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )


def check_pdf(upload):
    if _extension(upload) != "pdf":
        raise ValidationError(_("Upload a PDF file (.pdf)."), code="not_pdf")
    if not _head(upload, len(PDF_MAGIC)).startswith(PDF_MAGIC):
        raise ValidationError(
            _("This file is not a real PDF document (its content does not start with %%PDF-)."),
            code="not_pdf",
        )


def check_csv(upload):
    if _extension(upload) != "csv":
        raise ValidationError(_("Upload a CSV file (.csv)."), code="not_csv")
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The CSV file is not UTF-8 text; save it as “CSV UTF-8”."), code="not_csv"
        ) from None
    if "\x00" in text:
        raise ValidationError(_("The CSV file contains binary data."), code="not_csv")


def check_xlsx(upload):
    if _extension(upload) != "xlsx":
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."), code="not_xlsx")
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ValidationError(
            _("This file is not a readable Excel workbook (.xlsx)."), code="not_xlsx"
        ) from None
    finally:
        upload.seek(0)


_CHECKS = {"pdf": check_pdf, "csv": check_csv, "xlsx": check_xlsx}


@deconstructible
class FileKindValidator:
    """Size limit plus a content check for one of `kinds` ("pdf", "csv", "xlsx"), chosen
    by the file's extension; any other extension is refused."""

    def __init__(self, *kinds: str):
        self.kinds = tuple(kinds)

    def __call__(self, upload):
        check_size(upload)
        kind = _extension(upload)
        if kind not in self.kinds:
            raise ValidationError(
                _("This kind of file is not accepted; upload one of: %(kinds)s."),
                code="bad_kind",
                params={"kinds": ", ".join(k.upper() for k in self.kinds)},
            )
        _CHECKS[kind](upload)

    def __eq__(self, other):
        return isinstance(other, FileKindValidator) and other.kinds == self.kinds


def PdfValidator():  # noqa: N802 — reads like a class at the call site
    return FileKindValidator("pdf")


def SpreadsheetValidator():  # noqa: N802
    return FileKindValidator("csv", "xlsx")
