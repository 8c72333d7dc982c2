"""A realistic KOTAKU program generated on top of the imported region list, for load
tests and benchmarks: `python manage.py generate_dataset --scale national|small`.

Deterministic from the seed: every stage draws from its own `random.Random` seeded with
the seed and the stage's name, walks places in code order, and dates everything from the
fiscal years 2021–2025 (up to base.AS_OF), never from the clock."""

import time
from dataclasses import dataclass, field

from django.db import transaction

from locations.models import Region
from works.models import ReportMonthRollup, WorkRollup, WorkSummary
from works.services import work_summary_rebuild

from .base import SCALES, Scale, Writer
from .budgets import create_budgets
from .institutions import create_institutions
from .regions import MissingRegions, create_rtrw, select_places
from .slums import create_slums
from .users import PASSWORD, PREFIX, create_users, generated_users
from .works import create_works

__all__ = ["PASSWORD", "PREFIX", "SCALES", "DatasetError", "generate", "generated_users"]


class DatasetError(Exception):
    pass


@dataclass
class Context:
    scale: Scale
    seed: int
    writer: Writer = field(default_factory=Writer)


def generate(*, scale: str, seed: int, out=print) -> Context:
    """Fill the database; each stage is one transaction. Returns the context (places,
    users) for callers that want to look at what was made."""
    if not Region.objects.filter(level=4).exists():
        raise DatasetError(
            "No kelurahan/desa in the database: import the region list first "
            "(python manage.py import_regions ../shared/data/wilayah/wilayah.csv)."
        )
    if generated_users().exists():
        raise DatasetError(
            "This database already holds generated data (users named "
            f"'{PREFIX}…'). Generate into a fresh database: drop and create it, migrate, "
            "import_regions, then run this command again."
        )
    ctx = Context(scale=SCALES[scale], seed=seed)
    started = time.perf_counter()
    try:
        select_places(ctx)
    except MissingRegions:
        raise DatasetError("The region list has no province with kelurahan/desa.") from None
    out(
        f"{len(ctx.places):,} kelurahan/desa in {len(ctx.kabupaten):,} kabupaten/kota "
        f"of {len(ctx.provinces)} provinces (scale {scale}, seed {seed})"
    )
    for stage in (
        create_rtrw,
        create_users,
        create_institutions,
        create_slums,
        create_works,
        create_budgets,
    ):
        begun = time.perf_counter()
        with transaction.atomic():
            ctx.writer.begin()
            stage(ctx, out)
            ctx.writer.finish()
        out(f"  … keys checked and committed: {time.perf_counter() - begun:.1f} s in all")
    begun = time.perf_counter()
    ctx.writer.analyze()
    out(f"statistics updated (ANALYZE) in {time.perf_counter() - begun:.1f} s")
    # After ANALYZE: without statistics the summaries' subqueries get plans that take
    # minutes per batch instead of seconds.
    begun = time.perf_counter()
    count = work_summary_rebuild()
    ctx.writer.touched = [WorkSummary, WorkRollup, ReportMonthRollup]
    ctx.writer.analyze()
    out(f"work summaries and rollups: {count:,} works in {time.perf_counter() - begun:.1f} s")
    out(f"done in {time.perf_counter() - started:.1f} s")
    return ctx
