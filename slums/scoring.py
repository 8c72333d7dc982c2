"""Scoring a survey: pure functions, no database.

The same rules score the form preview (in the browser, from the bands passed with
json_script) and the saved survey (here, on the server, which is the one that counts).
A percentage is rounded to 2 decimals before it is banded, so the score always matches
the percentage the user sees.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    aspect: str
    denominator: str


@dataclass(frozen=True)
class Rules:
    """A scoring method's rules. Bands are (threshold, result), highest threshold first."""

    indicators: tuple[IndicatorRule, ...]
    score_bands: tuple[tuple[Decimal, int], ...]
    level_bands: tuple[tuple[int, str], ...]


@dataclass
class IndicatorResult:
    volume: Decimal
    percentage: Decimal
    score: int


@dataclass
class ScoreResult:
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    aspects: dict[str, Decimal] = field(default_factory=dict)
    total: int = 0
    level: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def band_score(percentage: Decimal, score_bands) -> int:
    for minimum, score in score_bands:
        if percentage >= minimum:
            return score
    return 0


def band_level(total: int, level_bands) -> str:
    for minimum, level in level_bands:
        if total >= minimum:
            return level
    return level_bands[-1][1] if level_bands else ""


def percentage_of(volume: Decimal, denominator: Decimal) -> Decimal:
    return (Decimal(volume) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


def score(rules: Rules, header: dict, volumes: dict) -> ScoreResult:
    """Each indicator's percentage of its denominator and score, each aspect's average
    score, the total (sum of scores) and the level. An empty volume counts as 0.

    Problems (negative volume, volume above its denominator, a filled indicator whose
    denominator is missing) are returned in `errors` by indicator code."""
    result = ScoreResult()
    by_aspect: dict[str, list[int]] = {}
    for rule in rules.indicators:
        volume = volumes.get(rule.code)
        volume = Decimal(0) if volume in (None, "") else Decimal(volume)
        denominator = header.get(rule.denominator)
        percentage = Decimal("0.00")
        if volume < 0:
            result.errors[rule.code] = _("The volume cannot be negative.")
        elif volume > 0 and not denominator:
            result.errors[rule.code] = _(
                "Fill in the %(denominator)s first: this indicator is a share of it."
            ) % {"denominator": _denominator_label(rule.denominator)}
        elif volume > 0 and volume > Decimal(denominator):
            result.errors[rule.code] = _(
                "The volume (%(volume)s) is larger than the %(denominator)s (%(value)s)."
            ) % {
                "volume": volume,
                "denominator": _denominator_label(rule.denominator),
                "value": denominator,
            }
        elif volume > 0:
            percentage = percentage_of(volume, denominator)
        indicator_score = band_score(percentage, rules.score_bands)
        result.indicators[rule.code] = IndicatorResult(volume, percentage, indicator_score)
        by_aspect.setdefault(rule.aspect, []).append(indicator_score)
        result.total += indicator_score
    result.aspects = {
        aspect: (Decimal(sum(scores)) / len(scores)).quantize(CENT, ROUND_HALF_UP)
        for aspect, scores in by_aspect.items()
    }
    result.level = band_level(result.total, rules.level_bands)
    return result


def _denominator_label(name: str) -> str:
    from .choices import Denominator

    return str(Denominator(name).label)
