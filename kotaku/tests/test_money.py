from decimal import Decimal

import pytest

from kotaku.money import format_rupiah
from kotaku.templatetags.kotaku import thousands


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (750_000_000, "Rp 750.000.000"),
        (Decimal("80000000"), "Rp 80.000.000"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1000, "Rp 1.000"),
        (-5000, "-Rp 5.000"),
        (None, "–"),
    ],
)
def test_rupiah_is_shown_the_indonesian_way(amount, shown):
    assert format_rupiah(amount) == shown


def test_thousands_uses_dots():
    assert thousands(83762) == "83.762"
