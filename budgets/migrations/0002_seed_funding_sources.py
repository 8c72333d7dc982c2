"""The funding sources named by the program (DOMAIN.md); officers add more in the admin."""

from django.db import migrations

SOURCES = [
    ("bpm-reguler", "BPM reguler", False),
    ("bpm-pkt", "BPM cash for work / PKT", False),
    ("bdi", "BDI", False),
    ("apbd-provinsi", "APBD provinsi", False),
    ("apbd-kabkota", "APBD kabupaten/kota", False),
    ("dak", "DAK", False),
    ("csr", "CSR/non-government", False),
    ("swadaya", "Swadaya", True),
    ("lainnya", "Other", False),
]


def seed(apps, schema_editor):
    FundingSource = apps.get_model("budgets", "FundingSource")
    for order, (code, name, is_community) in enumerate(SOURCES, start=1):
        FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "is_community": is_community, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
