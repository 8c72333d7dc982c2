"""Works in Klagenserut (Kecamatan Jiwan, Kabupaten Madiun) unless told otherwise."""

import base64
import datetime
import struct
import zlib
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import KLAGENSERUT
from programs.models import Bkm, CommunityGroup
from works import rollups, services
from works.choices import VolumeUnit, WorkMethod, WorkStatus
from works.models import ProgressReport, Work, WorkType

START = datetime.date(2020, 6, 1)
SEEDED_TYPES = {"Jalan paving": ("jalan", "m"), "Drainase": ("drainase", "m")}


def tiny_png() -> bytes:
    """A real 1×1 PNG, built by hand (decodes with Pillow as well)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x0b\x6e\x4f")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# A real 1×1 JPEG.
TINY_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////"
    "////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EAB"
    "QQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AN//Z"
)


def photo_file(name="foto.png", content=None):
    return SimpleUploadedFile(name, tiny_png() if content is None else content, "image/png")


def pdf_file(name="bast.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n")


def work_type(name="Jalan paving"):
    """A type seeded by the data migration; recreated if a transactional test flushed it."""
    aspect, unit = SEEDED_TYPES[name]
    return WorkType.objects.get_or_create(
        name=name, defaults={"aspect": aspect, "default_unit": unit}
    )[0]


class BkmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bkm
        django_get_or_create = ["kelurahan_id"]

    kelurahan_id = KLAGENSERUT
    name = factory.Sequence(lambda n: f"LKM Bangkit Bersama {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    """A KSM by default (`kind="kpp"` for a KPP)."""

    class Meta:
        model = CommunityGroup

    kind = "ksm"
    bkm = factory.SubFactory(BkmFactory, kelurahan_id=factory.SelfAttribute("..kelurahan_id"))
    kelurahan_id = KLAGENSERUT
    name = factory.Sequence(lambda n: f"Maju {n}")
    formed_on = datetime.date(2020, 2, 1)


class SummarisedFactory(factory.django.DjangoModelFactory):
    """Rows saved directly, as the services would leave them: with their work's summary
    (`WorkSummary`) brought up to date. A test that changes rows by hand afterwards calls
    `services.work_summary_refresh` itself, as a service would."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        services.work_summary_refresh(work_ids=[getattr(row, "work_id", row.pk)])
        return row


class WorkFactory(SummarisedFactory):
    class Meta:
        model = Work

    fiscal_year = 2020
    kelurahan_id = KLAGENSERUT
    aspect = "jalan"
    work_type = factory.LazyFunction(work_type)
    name = factory.Sequence(lambda n: f"Jalan paving {n}")
    volume = Decimal("140")
    unit = VolumeUnit.METRE
    builder = factory.SubFactory(GroupFactory, kelurahan_id=factory.SelfAttribute("..kelurahan_id"))
    method = WorkMethod.SWAKELOLA
    planned_start = START
    planned_end = datetime.date(2020, 9, 30)
    budget = Decimal("80000000")
    planned_people = 120
    planned_women = 60
    planned_households = 30
    planned_poor_households = 10
    planned_mbr = 25
    status = WorkStatus.UNDER_CONSTRUCTION
    status_date = START


class ReportFactory(SummarisedFactory):
    """A report saved directly (for selector tests); services test the rules."""

    class Meta:
        model = ProgressReport

    work = factory.SubFactory(WorkFactory)
    report_date = datetime.date(2020, 7, 1)
    physical_progress = Decimal("30")
    spent_to_date = Decimal("20000000")
    workers_men = 8
    workers_women = 4
    labour_days = Decimal("60")
    wage_value = Decimal("6000000")
    status = "approved"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        report = super()._create(model_class, *args, **kwargs)
        if report.status == "approved":  # as services.progress_report_review does
            work = report.work
            rollups.add_approved_report(
                report, kelurahan_id=work.kelurahan_id, fiscal_year=work.fiscal_year
            )
        return report


def image_bytes(fmt="JPEG", size=(40, 30), *, noise=False, exif=None, mode="RGB") -> bytes:
    """A real image made with Pillow: `fmt` "JPEG", "PNG", "WEBP" or "GIF"; with `noise`
    the pixels are random (so a JPEG has a real amount of data to cut short)."""
    import io
    import os

    from PIL import Image

    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).convert(mode)
    else:
        image = Image.new(mode, size, (11, 110, 79) if mode == "RGB" else 0)
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
