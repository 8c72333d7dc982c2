"""Kemendagri region codes: `35`, `35.11`, `35.11.11`, `35.11.11.1007`.

The code alone tells the level, the parent and (per Permendagri 58/2021) the kind, so
these rules are kept here, once, and used by the model, the importer and the forms.
"""

import re

from .choices import RegionKind, RegionLevel

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
CODE_PATTERN = r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"
# The length of a code at each level: province, kabupaten/kota, kecamatan, kelurahan/desa.
LEVEL_LENGTHS = (2, 5, 8, 13)


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def level_of(code: str) -> int:
    return code.count(".") + 1


def parent_of(code: str) -> str:
    return code.rpartition(".")[0]


def kind_of(code: str) -> str | None:
    """The kind a well-formed code implies, or None when the code implies none."""
    level = level_of(code)
    last = code.rpartition(".")[2]
    if level == RegionLevel.PROVINSI:
        return RegionKind.PROVINSI
    if level == RegionLevel.KABUPATEN_KOTA:
        number = int(last)
        if 1 <= number <= 69:
            return RegionKind.KABUPATEN
        if 71 <= number <= 99:
            return RegionKind.KOTA
        return None
    if level == RegionLevel.KECAMATAN:
        return RegionKind.KECAMATAN
    return {
        "1": RegionKind.KELURAHAN,
        "2": RegionKind.DESA,
        "3": RegionKind.DESA_ADAT,
    }.get(last[0])
