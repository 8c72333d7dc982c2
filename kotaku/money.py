"""Rupiah amounts: whole rupiah, shown as `Rp 750.000.000`."""

from decimal import Decimal


def format_rupiah(amount) -> str:
    """`750000000` → `Rp 750.000.000`; negative amounts keep their sign: `-Rp 5.000`."""
    if amount is None or amount == "":
        return "–"
    value = int(Decimal(amount).quantize(Decimal(1)))
    digits = f"{abs(value):,}".replace(",", ".")
    return f"-Rp {digits}" if value < 0 else f"Rp {digits}"
