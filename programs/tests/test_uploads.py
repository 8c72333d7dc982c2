import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kotaku.uploads import (
    MAX_UPLOAD_BYTES,
    PdfValidator,
    SpreadsheetValidator,
    UploadTo,
    safe_filename,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_passes():
    PdfValidator()(upload("rplp.pdf", PDF))


def test_a_text_file_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as caught:
        PdfValidator()(upload("rplp.pdf", b"just some text, not a PDF"))
    assert caught.value.code == "not_pdf"


def test_a_pdf_with_another_extension_is_refused():
    with pytest.raises(ValidationError) as caught:
        PdfValidator()(upload("rplp.docx", PDF))
    assert caught.value.code == "bad_kind"


def test_a_file_over_10_mb_is_refused():
    big = PDF + b"0" * (MAX_UPLOAD_BYTES + 1 - len(PDF))
    with pytest.raises(ValidationError) as caught:
        PdfValidator()(upload("big.pdf", big))
    assert caught.value.code == "too_large"


def test_exactly_10_mb_passes():
    PdfValidator()(upload("ok.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF))))


def test_csv_must_be_utf8_text():
    SpreadsheetValidator()(upload("hadir.csv", "nama,jk\nSiti Ñ,P\n".encode()))
    with pytest.raises(ValidationError) as caught:
        SpreadsheetValidator()(upload("hadir.csv", "nama\nSiti Ñ\n".encode("latin-1")))
    assert caught.value.code == "not_csv"


def test_xlsx_must_open_with_openpyxl():
    SpreadsheetValidator()(upload("hadir.xlsx", xlsx_bytes([["name"], ["Siti"]])))
    with pytest.raises(ValidationError) as caught:
        SpreadsheetValidator()(upload("hadir.xlsx", b"PK not really a zip"))
    assert caught.value.code == "not_xlsx"


def test_other_kinds_are_refused():
    with pytest.raises(ValidationError) as caught:
        SpreadsheetValidator()(upload("hadir.pdf", PDF))
    assert caught.value.code == "bad_kind"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("RPLP Klagenserut (final)!.PDF", "RPLP_Klagenserut_final.pdf"),
        ("Daftar hadir Ñangkaan.xlsx", "Daftar_hadir_Nangkaan.xlsx"),
        ("...", "file"),
        ("C:\\Users\\dewi\\rplp.pdf", "rplp.pdf"),
    ],
)
def test_file_names_are_sanitised(name, safe):
    assert safe_filename(name) == safe


def test_upload_to_puts_files_in_the_model_folder():
    path = UploadTo("programs/rplp")(None, "../RPLP final.pdf")
    assert path.startswith("programs/rplp/")
    assert path.endswith("-RPLP_final.pdf")
    assert ".." not in path
