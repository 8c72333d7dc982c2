"""Which provinces, kabupaten/kota and kelurahan/desa are in the program, where they lie,
and their RT/RW."""

from dataclasses import dataclass, field

from locations.models import Region, RtRw

from .base import Stage, rng_for

# Approximate centres (latitude, longitude) of the 34 provinces of the program period;
# points are scattered around them so maps show each work in its own province.
CENTRES = {
    "11": (4.7, 96.7), "12": (2.1, 99.5), "13": (-0.7, 100.8), "14": (0.3, 101.7),
    "15": (-1.6, 103.6), "16": (-3.3, 104.2), "17": (-3.8, 102.3), "18": (-4.6, 105.4),
    "19": (-2.7, 106.4), "21": (1.0, 104.5), "31": (-6.2, 106.8), "32": (-6.9, 107.6),
    "33": (-7.15, 110.1), "34": (-7.8, 110.4), "35": (-7.5, 112.2), "36": (-6.4, 106.1),
    "51": (-8.4, 115.2), "52": (-8.65, 117.4), "53": (-8.7, 121.1), "61": (-0.3, 111.5),
    "62": (-1.7, 113.4), "63": (-3.1, 115.3), "64": (0.5, 116.4), "65": (3.0, 116.0),
    "71": (0.6, 124.0), "72": (-1.4, 121.4), "73": (-3.7, 120.0), "74": (-4.1, 122.2),
    "75": (0.7, 122.4), "76": (-2.8, 119.2), "81": (-3.2, 130.1), "82": (1.6, 127.8),
    "91": (-4.3, 138.1), "92": (-1.3, 133.2),
}  # fmt: skip
DEFAULT_CENTRE = (-2.5, 118.0)


@dataclass(slots=True)
class Place:
    """A kelurahan/desa of the program and what later stages hang on it."""

    code: str
    name: str
    kabupaten: str
    lat: float
    lon: float
    rtrw: list[tuple[int, int, int]] = field(default_factory=list)  # (id, rw, rt)
    bkm: int = 0
    builders: list[int] = field(default_factory=list)  # KSM, then Panitia
    panitia: list[int] = field(default_factory=list)
    kpp: list[int] = field(default_factory=list)
    slum_areas: list[int] = field(default_factory=list)
    facilitator: int = 0

    @property
    def province(self):
        return self.code[:2]


class MissingRegions(Exception):
    pass


def _kelurahan_pool(province_codes):
    taken = set(RtRw.objects.values_list("kelurahan_id", flat=True).distinct())
    taken |= set(Region.objects.filter(bkms__isnull=False).values_list("code", flat=True))
    pool: dict[str, list[str]] = {}
    rows = Region.objects.filter(level=4).order_by("code").values_list("code", flat=True)
    for code in rows.iterator(chunk_size=10_000):
        if code[:2] in province_codes and code not in taken:
            pool.setdefault(code[:5], []).append(code)
    return pool


def select_places(ctx):
    """Choose the program's places: every chosen province keeps at least one
    kabupaten/kota; kelurahan/desa are drawn from the chosen kabupaten/kota."""
    rng = rng_for(ctx.seed, "regions")
    scale = ctx.scale
    provinces = sorted(
        Region.objects.filter(level=1, children__children__children__isnull=False)
        .values_list("code", flat=True)
        .distinct()
    )[: scale.provinces]
    if not provinces:
        raise MissingRegions
    pool = _kelurahan_pool(set(provinces))
    by_province: dict[str, list[str]] = {}
    for kab in sorted(pool):
        by_province.setdefault(kab[:2], []).append(kab)
    chosen = {rng.choice(kabs) for kabs in by_province.values()}
    rest = sorted(set(pool) - chosen)
    chosen |= set(rng.sample(rest, max(0, min(len(rest), scale.kabupaten - len(chosen)))))
    candidates = [code for kab in sorted(chosen) for code in pool[kab]]
    codes = sorted(rng.sample(candidates, min(scale.kelurahan, len(candidates))))
    kabupaten = sorted({code[:5] for code in codes})
    names = dict(
        Region.objects.filter(code__in=[*codes, *kabupaten, *provinces]).values_list("code", "name")
    )
    ctx.region_names = names
    ctx.provinces = sorted({code[:2] for code in codes})
    ctx.kabupaten = kabupaten
    centres = {}
    for kab in kabupaten:
        lat, lon = CENTRES.get(kab[:2], DEFAULT_CENTRE)
        centres[kab] = (lat + rng.uniform(-0.6, 0.6), lon + rng.uniform(-0.6, 0.6))
    ctx.places = []
    for code in codes:
        lat, lon = centres[code[:5]]
        ctx.places.append(
            Place(
                code=code,
                name=names[code],
                kabupaten=code[:5],
                lat=max(-10.9, min(6.1, lat + rng.uniform(-0.1, 0.1))),
                lon=max(94.2, min(140.9, lon + rng.uniform(-0.1, 0.1))),
            )
        )


def create_rtrw(ctx, out):
    rng = rng_for(ctx.seed, "rtrw")
    with Stage("RT/RW", out) as stage:
        next_id = ctx.writer.next_id(RtRw)
        rows = []
        for place in ctx.places:
            for rw in range(1, rng.randint(2, 5) + 1):
                for rt in range(1, rng.randint(2, 4) + 1):
                    rows.append({"id": next_id, "kelurahan_id": place.code, "rw": rw, "rt": rt})
                    place.rtrw.append((next_id, rw, rt))
                    next_id += 1
        stage.add("RT/RW", ctx.writer.insert(RtRw, rows))
