"""Seeds the default scoring method: Permen PUPR 14/PRT/M/2018 (16 indicators)."""

from django.db import migrations

CODE = "permen-pupr-14-2018"

# code, aspect, label, unit, denominator
INDICATORS = [
    ("1a", "bangunan", "Ketidakteraturan bangunan", "unit", "buildings"),
    ("1b", "bangunan", "Kepadatan bangunan tidak sesuai ketentuan tata ruang", "ha", "area_ha"),
    ("1c", "bangunan", "Bangunan tidak memenuhi persyaratan teknis", "unit", "buildings"),
    ("2a", "jalan", "Jaringan jalan tidak melayani seluruh lingkungan", "m", "road_length_m"),
    ("2b", "jalan", "Kualitas permukaan jalan buruk", "m", "road_length_m"),
    ("3a", "air_minum", "Tidak tersedia akses aman air minum", "KK", "households"),
    ("3b", "air_minum", "Kebutuhan air minum minimal per orang tidak terpenuhi", "KK", "households"),
    ("4a", "drainase", "Drainase tidak mampu mengalirkan limpasan (genangan)", "ha", "area_ha"),
    ("4b", "drainase", "Ketidaktersediaan drainase", "m", "drainage_length_m"),
    ("4c", "drainase", "Kualitas konstruksi drainase buruk", "m", "drainage_length_m"),
    ("5a", "air_limbah", "Sistem pengelolaan air limbah tidak sesuai standar", "KK", "households"),
    ("5b", "air_limbah", "Prasarana dan sarana air limbah tidak sesuai persyaratan", "KK", "households"),
    ("6a", "persampahan", "Prasarana dan sarana persampahan tidak sesuai persyaratan", "KK", "households"),
    ("6b", "persampahan", "Sistem pengelolaan persampahan tidak sesuai standar", "KK", "households"),
    ("7a", "kebakaran", "Ketidaktersediaan prasarana proteksi kebakaran", "unit", "buildings"),
    ("7b", "kebakaran", "Ketidaktersediaan sarana proteksi kebakaran", "unit", "buildings"),
]
SCORE_BANDS = [(76, 5), (51, 3), (25, 1), (0, 0)]
LEVEL_BANDS = [(60, "berat"), (38, "sedang"), (16, "ringan"), (0, "tidak_kumuh")]


def seed(apps, schema_editor):
    ScoringMethod = apps.get_model("slums", "ScoringMethod")
    method, created = ScoringMethod.objects.get_or_create(
        code=CODE,
        defaults={
            "name": "Permen PUPR 14/2018",
            "is_default": True,
            "description": "Peraturan Menteri PUPR No. 14/PRT/M/2018: 16 indikator, 7 aspek.",
        },
    )
    if not created:
        return
    for order, (code, aspect, label, unit, denominator) in enumerate(INDICATORS, start=1):
        method.indicators.create(
            code=code, aspect=aspect, label=label, unit=unit, denominator=denominator, order=order
        )
    for minimum, score in SCORE_BANDS:
        method.score_bands.create(min_percentage=minimum, score=score)
    for minimum, level in LEVEL_BANDS:
        method.level_bands.create(min_total=minimum, level=level)


def unseed(apps, schema_editor):
    apps.get_model("slums", "ScoringMethod").objects.filter(code=CODE, surveys=None).delete()


class Migration(migrations.Migration):
    dependencies = [("slums", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
