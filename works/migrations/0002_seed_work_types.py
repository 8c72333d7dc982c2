"""The common types of work; officers add more in the admin."""

from django.db import migrations

# Names are data in the program's own (Indonesian) terms, as officers know them.
TYPES = [
    ("Jalan paving", "jalan", "m"),
    ("Jalan rabat beton", "jalan", "m"),
    ("Drainase", "drainase", "m"),
    ("MCK komunal", "air_limbah", "unit"),
    ("Septic tank", "air_limbah", "unit"),
    ("IPAL komunal", "air_limbah", "unit"),
    ("Hidran umum", "air_minum", "unit"),
    ("Sumur", "air_minum", "unit"),
    ("TPS3R", "persampahan", "unit"),
    ("Hidran kebakaran", "kebakaran", "unit"),
    ("APAR", "kebakaran", "unit"),
]


def seed(apps, schema_editor):
    WorkType = apps.get_model("works", "WorkType")
    for name, aspect, unit in TYPES:
        WorkType.objects.get_or_create(
            name=name, defaults={"aspect": aspect, "default_unit": unit}
        )


def unseed(apps, schema_editor):
    WorkType = apps.get_model("works", "WorkType")
    WorkType.objects.filter(name__in=[name for name, _a, _u in TYPES], works=None).delete()


class Migration(migrations.Migration):
    dependencies = [("works", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
