"""Slum areas (SK Kumuh) over the program's kelurahan/desa, with a baseline survey, yearly
updates and a final survey. Every survey is scored by the app's own scoring
(`slums.scoring.score` with the rules of the default method), and the affected volumes
shrink year by year, so areas leave the slum levels and hectares are reduced."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from kotaku.workflow import ReviewStatus
from slums import scoring
from slums.choices import LocationKind, SurveyKind
from slums.models import (
    Indicator,
    ProgramRollup,
    SlumArea,
    SlumAreaResult,
    SlumAreaYearResult,
    SlumSurvey,
    SurveyIndicatorValue,
)
from slums.services import (
    default_method,
    program_rollup_refresh,
    rules_for,
    slum_area_results_refresh,
)

from .base import (
    AS_OF,
    FISCAL_YEARS,
    PLACES_PER_CHUNK,
    Stage,
    at,
    chunks,
    day_between,
    plus,
    rng_for,
)
from .names import group_words

CENT = Decimal("0.01")
WHOLE_DENOMINATORS = ("buildings", "households")


def _count(rng, mean: float) -> int:
    return int(mean) + (1 if rng.random() < mean - int(mean) else 0)


def _outline(rng, lat, lon, hectares):
    """A closed square of about the area's size around its point."""
    half = max(0.0005, (float(hectares) ** 0.5) * 0.00045)
    lat, lon = lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02)
    ring = [
        [round(lon - half, 6), round(lat - half, 6)],
        [round(lon + half, 6), round(lat - half, 6)],
        [round(lon + half, 6), round(lat + half, 6)],
        [round(lon - half, 6), round(lat + half, 6)],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _issuer(name: str) -> str:
    if name.startswith("Kota "):
        return f"Walikota {name[5:]}"
    return f"Bupati {name.removeprefix('Kabupaten ')}"


def review_stamps(rng, status, day, *, submitter, verifier, approver) -> dict:
    """The review fields of a record in `status`, stamped on the days after `day`."""
    stamps = {"status": status, "return_comment": ""}
    if status == ReviewStatus.DRAFT:
        return stamps
    stamps.update(submitted_by_id=submitter, submitted_at=at(day, 16, rng.randint(0, 59)))
    if status in (ReviewStatus.VERIFIED, ReviewStatus.APPROVED):
        stamps.update(verified_by_id=verifier, verified_at=at(plus(day, 2), 9))
    if status == ReviewStatus.APPROVED:
        stamps.update(approved_by_id=approver, approved_at=at(plus(day, 4), 14))
    if status == ReviewStatus.RETURNED:
        stamps.update(
            returned_by_id=verifier,
            returned_at=at(plus(day, 2), 9),
            return_comment="Mohon lengkapi data dan foto pendukung.",
        )
    return stamps


def latest_status(rng) -> str:
    """Mostly approved; some waiting for review, returned or still a draft."""
    draw = rng.random()
    if draw < 0.70:
        return ReviewStatus.APPROVED
    if draw < 0.83:
        return ReviewStatus.SUBMITTED
    if draw < 0.90:
        return ReviewStatus.VERIFIED
    if draw < 0.96:
        return ReviewStatus.RETURNED
    return ReviewStatus.DRAFT


class _Surveys:
    def __init__(self, ctx, rng):
        self.ctx, self.rng = ctx, rng
        method = default_method()
        self.method_id = method.pk
        self.rules = rules_for(method)
        self.indicator_ids = dict(Indicator.objects.filter(method=method).values_list("code", "pk"))
        self.next_id = ctx.writer.next_id(SlumSurvey)

    def header(self, hectares):
        rng = self.rng
        area = (hectares * Decimal(rng.uniform(0.95, 1.0))).quantize(CENT)
        buildings = max(20, int(float(area) * rng.uniform(40, 110)))
        households = int(buildings * rng.uniform(1.0, 1.3))
        road = (area * Decimal(rng.uniform(120, 320))).quantize(CENT)
        return {
            "area_ha": area,
            "buildings": buildings,
            "people": int(households * rng.uniform(3.3, 4.4)),
            "households": households,
            "road_length_m": road,
            "drainage_length_m": (road * Decimal(rng.uniform(1.0, 1.6))).quantize(CENT),
        }

    def volumes(self, header, shares):
        out = {}
        for rule in self.rules.indicators:
            denominator = header[rule.denominator]
            share = shares[rule.code]
            if rule.denominator in WHOLE_DENOMINATORS:
                out[rule.code] = Decimal(min(denominator, round(denominator * share)))
            else:
                volume = (denominator * Decimal(share)).quantize(CENT, ROUND_HALF_UP)
                out[rule.code] = min(volume, denominator)
        return out

    def rows_for(self, area_id, place, kind_of_location, hectares):
        """The surveys of one area, first year to last, with their indicator values."""
        rng, ctx = self.rng, self.ctx
        header = self.header(hectares)
        if kind_of_location == LocationKind.UPGRADING:
            severity, pace = rng.uniform(0.45, 0.92), rng.uniform(0.72, 0.97)
        else:
            severity, pace = rng.uniform(0.12, 0.45), rng.uniform(0.85, 1.0)
        shares = {
            rule.code: min(1.0, max(0.0, rng.gauss(severity, 0.2)))
            for rule in self.rules.indicators
        }
        surveys, values = [], []
        for year in FISCAL_YEARS:
            kind = SurveyKind.BASELINE
            if year != FISCAL_YEARS[0]:
                kind = SurveyKind.FINAL if year == FISCAL_YEARS[-1] else SurveyKind.UPDATE
                shares = {
                    code: share * pace * rng.uniform(0.9, 1.0) for code, share in shares.items()
                }
            volumes = self.volumes(header, shares)
            result = scoring.score(self.rules, header, volumes)
            day = min(
                day_between(rng, datetime.date(year, 7, 1), datetime.date(year, 10, 31)), AS_OF
            )
            status = latest_status(rng) if year == FISCAL_YEARS[-1] else ReviewStatus.APPROVED
            surveys.append(
                {
                    "id": self.next_id,
                    "slum_area_id": area_id,
                    "rt_id": None,
                    "year": year,
                    "kind": kind,
                    "method_id": self.method_id,
                    **header,
                    "aspect_scores": {a: str(avg) for a, avg in result.aspects.items()},
                    "total_score": result.total,
                    "level": result.level,
                    "created_by_id": place.facilitator,
                    "created_at": at(day, 9),
                    **review_stamps(
                        rng,
                        status,
                        day,
                        submitter=place.facilitator,
                        verifier=ctx.askot[place.kabupaten],
                        approver=ctx.perkim[place.kabupaten],
                    ),
                }
            )
            for code, computed in result.indicators.items():
                values.append(
                    {
                        "survey_id": self.next_id,
                        "indicator_id": self.indicator_ids[code],
                        "volume": computed.volume,
                        "percentage": computed.percentage,
                        "score": computed.score,
                    }
                )
            self.next_id += 1
        return surveys, values


def create_slums(ctx, out):
    rng = rng_for(ctx.seed, "slums")
    writer = ctx.writer
    with Stage("slum areas and surveys", out) as stage:
        area_id = writer.next_id(SlumArea)
        surveyor = _Surveys(ctx, rng)
        by_kab: dict[str, list] = {}
        for place in ctx.places:
            by_kab.setdefault(place.kabupaten, []).append(place)
        for part in chunks(ctx.places, PLACES_PER_CHUNK):
            areas, covers, units, surveys, values = [], [], [], [], []
            for place in part:
                for _number in range(_count(rng, ctx.scale.slum_areas_per_kelurahan)):
                    area = _area(ctx, rng, area_id, place)
                    areas.append(area)
                    covered = [place]
                    neighbours = [other for other in by_kab[place.kabupaten] if other is not place]
                    if neighbours and rng.random() < 0.1:
                        covered.append(rng.choice(neighbours))
                    for other in covered:
                        covers.append({"slumarea_id": area_id, "region_id": other.code})
                        other.slum_areas.append(area_id)
                    for unit in rng.sample(place.rtrw, min(len(place.rtrw), rng.randint(1, 3))):
                        units.append({"slumarea_id": area_id, "rtrw_id": unit[0]})
                    more_surveys, more_values = surveyor.rows_for(
                        area_id, place, area["location_kind"], area["area_ha"]
                    )
                    surveys += more_surveys
                    values += more_values
                    area_id += 1
            stage.add("areas", writer.insert(SlumArea, areas))
            stage.add("area kelurahan", writer.insert(SlumArea.kelurahan.through, covers))
            stage.add("area RT/RW", writer.insert(SlumArea.rt_rw.through, units))
            stage.add("surveys", writer.insert(SlumSurvey, surveys))
            stage.add("indicator values", writer.insert(SurveyIndicatorValue, values))
        # The stored results the pages read, computed in the database by the rules
        # themselves (the service's INSERT … SELECT); the writer then checks their keys
        # and updates their statistics with the rest.
        slum_area_results_refresh()
        program_rollup_refresh()
        for label, model in (
            ("results", SlumAreaResult),
            ("results by year", SlumAreaYearResult),
            ("program by region", ProgramRollup),
        ):
            writer.touched.append(model)
            stage.add(label, model.objects.count())


def _area(ctx, rng, area_id, place):
    # About 1.2 ha an area: the program counted 23,656 ha over 11,067 kelurahan/desa.
    hectares = Decimal(rng.uniform(0.4, 2.0)).quantize(CENT)
    sk_date = day_between(rng, datetime.date(2019, 3, 1), datetime.date(2020, 11, 30))
    return {
        "id": area_id,
        "name": f"Kawasan {group_words(rng, 1)} {place.name}",
        "sk_number": f"188.45/{rng.randint(10, 999)}/KPTS/{sk_date.year}",
        "sk_date": sk_date,
        "sk_issued_by": _issuer(ctx.region_names[place.kabupaten]),
        "area_ha": hectares,
        "kabupaten_id": place.kabupaten,
        "location_kind": LocationKind.UPGRADING if rng.random() < 0.75 else LocationKind.PREVENTION,
        "outline": _outline(rng, place.lat, place.lon, hectares),
        "created_at": at(sk_date, 10),
    }
