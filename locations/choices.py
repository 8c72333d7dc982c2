from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABUPATEN_KOTA = 2, _("Regency/city")
    KECAMATAN = 3, _("District (kecamatan)")
    KELURAHAN_DESA = 4, _("Kelurahan/desa")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    DESA_ADAT = "desa_adat", _("Desa adat")
