import pytest

from locations.choices import RegionKind
from locations.models import Region
from locations.services import RegionImportError, regions_import


@pytest.fixture(autouse=True)
def in_english():
    """Row errors are translated; these tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


HEADER = "code,name,level,parent_code,kind\n"
GOOD = (
    HEADER + "35,Jawa Timur,1,,provinsi\n"
    "35.19,Kabupaten Madiun,2,35,kabupaten\n"
    "35.19.09,Jiwan,3,35.19,kecamatan\n"
    "35.19.09.2010,Klagenserut,4,35.19.09,desa\n"
    "35.19.09.1001,Kelurahan Contoh,4,35.19.09,kelurahan\n"
)


def run(text: str):
    return regions_import(raw=text.encode())


@pytest.mark.django_db
def test_import_creates_the_tree_with_kinds_and_parents():
    report = run(GOOD)
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    desa = Region.objects.get(code="35.19.09.2010")
    assert desa.parent_id == "35.19.09"
    assert desa.level == 4
    assert desa.kind == RegionKind.DESA
    assert Region.objects.get(code="35.19.09.1001").kind == RegionKind.KELURAHAN


@pytest.mark.django_db
def test_second_import_changes_nothing():
    run(GOOD)
    report = run(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)


@pytest.mark.django_db
def test_renamed_region_is_updated():
    run(GOOD)
    report = run(GOOD.replace("Klagenserut", "Klagen Serut"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Region.objects.get(code="35.19.09.2010").name == "Klagen Serut"


@pytest.mark.django_db
def test_kind_column_is_optional():
    text = "code,name,level,parent_code\n35,Jawa Timur,1,\n35.71,Kota Kediri,2,35\n"
    run(text)
    assert Region.objects.get(code="35.71").kind == RegionKind.KOTA


@pytest.mark.django_db
def test_parent_may_already_be_in_the_database():
    run(GOOD)
    run(HEADER + "35.19.09.2001,Bukur,4,35.19.09,desa\n")
    assert Region.objects.get(code="35.19.09.2001").parent_id == "35.19.09"


BAD_ROWS = [
    ("35.1x,Kabupaten Rusak,2,35,kabupaten\n", "malformed code"),
    ("35.19.09.201,Pendek,4,35.19.09,desa\n", "malformed code"),
    ("35.19.09.2011,Teguhan,4,35.19.08,desa\n", "parent code 35.19.08 does not match"),
    ("35.20.01,Yatim,3,35.20,kecamatan\n", "missing parent 35.20"),
    ("35.19.09.2010,Klagenserut Lagi,4,35.19.09,desa\n", "duplicate code (first on line 5)"),
    ("35.19.09.2012,Ngetrep,3,35.19.09,desa\n", "level 3 does not match the code"),
    ("35.19.09.2013,,4,35.19.09,desa\n", "empty name"),
    ("35.19.09.2014,Bibrik,4,35.19.09,kelurahan\n", "kind kelurahan does not match"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_bad_row_is_reported_by_line_and_nothing_changes(row, reason):
    run(GOOD)
    before = list(Region.objects.values_list("code", "name"))
    text = GOOD.replace("Jiwan,3", "Jiwan Baru,3") + "35.19.09.2009,Wayut,4,35.19.09,desa\n" + row
    with pytest.raises(RegionImportError) as caught:
        run(text)
    [error] = caught.value.errors
    assert error.line == 8
    assert reason in error.reason
    # The good rows of the same file were not applied either: all or nothing.
    assert list(Region.objects.values_list("code", "name")) == before


@pytest.mark.django_db
def test_every_bad_row_is_reported_not_just_the_first():
    text = HEADER + "35,Jawa Timur,1,,provinsi\nxx,Rusak,1,,provinsi\n35.01,,2,35,kabupaten\n"
    with pytest.raises(RegionImportError) as caught:
        run(text)
    assert [(e.line, e.reason) for e in caught.value.errors] == [
        (3, "malformed code"),
        (4, "empty name"),
    ]
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_unreadable_encoding_is_reported_with_its_line():
    raw = (HEADER + "35,Jawa Timur,1,,provinsi\n").encode() + "36,Bântên,1,,provinsi\n".encode(
        "latin-1"
    )
    with pytest.raises(RegionImportError) as caught:
        regions_import(raw=raw)
    [error] = caught.value.errors
    assert error.line == 3
    assert "encoding" in error.reason
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_reported():
    with pytest.raises(RegionImportError, match="missing columns: level, parent_code"):
        run("code,name\n35,Jawa Timur\n")


@pytest.mark.django_db
def test_import_command_reports_counts_and_fails_on_bad_rows(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_regions", str(good))
    assert "5 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "35.19.09.2099,,4,35.19.09,desa\n")
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_regions", str(bad))
    assert "line 7 [35.19.09.2099]: empty name" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.django_db
def test_national_file_imports_every_level_and_is_idempotent(wilayah_csv):
    raw = wilayah_csv.read_bytes()
    report = regions_import(raw=raw)
    assert report.created == 91_599
    counts = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 38, 2: 514, 3: 7_285, 4: 83_762}
    assert Region.objects.filter(kind=RegionKind.KOTA).count() == 98
    assert Region.objects.filter(kind=RegionKind.DESA_ADAT).count() == 14
    assert Region.objects.get(code="35.19.09.2010").name == "Klagenserut"
    assert Region.objects.get(code="35.11").name == "Kabupaten Bondowoso"
    assert Region.objects.get(code="53.07.01.2021").name == "Regapu’u"
    assert Region.objects.get(code="35.01.04.2014").parent.parent.name == "Kabupaten Pacitan"
    assert Region.objects.under("35.19").filter(level=4).count() == 206
    again = regions_import(raw=raw)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 91_599)


@pytest.mark.django_db
def test_errors_are_in_indonesian_by_default():
    from django.utils import translation

    with translation.override("id"):
        with pytest.raises(RegionImportError) as caught:
            run(HEADER + "35,,1,,provinsi\n")
        assert str(caught.value.errors[0]) == "baris 2 [35]: nama kosong"
