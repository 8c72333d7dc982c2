"""What every stage of the generator shares: the scale, the seeded randomness, fixed
dates, and the writer that inserts rows in chunks (COPY on PostgreSQL, multi-row INSERT
elsewhere).

Rows are plain dicts keyed by field attname, never model instances: 1.5 million
instances would not fit the time budget, and raw inserts let the stage give created_at
and similar fields fixed values (auto_now_add would stamp the time of the run, and the
output must depend on the seed alone). Columns a row leaves out take the field's
default, so fields added to a model later (e.g. `version`) are filled too.
"""

import datetime
import io
import json
import random
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, models

JAKARTA = ZoneInfo("Asia/Jakarta")
FISCAL_YEARS = (2021, 2022, 2023, 2024, 2025)
# The day the generated program "stands": every date is on or before it.
AS_OF = datetime.date(2025, 12, 15)
CHUNK = 20_000


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    kabupaten: int
    kelurahan: int
    ksm_per_kelurahan: float
    kpp_per_kelurahan: float
    works_per_kelurahan_year: float
    slum_areas_per_kelurahan: float
    kelurahan_per_facilitator: int


SCALES = {
    "national": Scale("national", 34, 270, 11_000, 3.6, 1.4, 2.75, 1.82, 4),
    "small": Scale("small", 2, 4, 24, 3.6, 1.4, 2.75, 1.82, 4),
}


def rng_for(seed: int, stage: str) -> random.Random:
    """One generator per stage, so that changing one stage leaves the others alone."""
    return random.Random(f"{seed}:{stage}")


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def plus(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def capped(day: datetime.date) -> datetime.date:
    return min(day, AS_OF)


# --- Writing rows -------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return (
                value.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return value
    if isinstance(value, (dict, list)):
        return _copy_text(json.dumps(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


class Writer:
    """Inserts rows (dicts) into a model's table, in chunks, and counts them."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.touched: list[type[models.Model]] = []

    def next_id(self, model) -> int:
        top = model._default_manager.aggregate(top=models.Max("pk"))["top"]
        return (top or 0) + 1

    def insert(self, model, rows) -> int:
        """Insert every row of the iterable, CHUNK rows at a time; returns the count."""
        count, chunk, columns = 0, [], None
        for row in rows:
            if columns is None:
                columns = self._columns(model, row)
            chunk.append(row)
            if len(chunk) >= CHUNK:
                count += self._flush(model, columns, chunk)
                chunk = []
        if chunk:
            count += self._flush(model, columns, chunk)
        if model not in self.touched:
            self.touched.append(model)
        return count

    def _columns(self, model, first_row):
        columns = []
        for field in model._meta.concrete_fields:
            if field.primary_key and field.attname not in first_row:
                continue  # the database numbers it (M2M through rows)
            if field.attname in first_row:
                default = None
            elif field.has_default():
                default = field.get_default()
            elif field.null:
                default = None
            else:
                raise ValueError(f"{model.__name__}.{field.attname} needs a value")
            columns.append((field, default))
        return columns

    def _flush(self, model, columns, chunk) -> int:
        table = model._meta.db_table
        names = [field.column for field, _default in columns]
        getters = [(field.attname, default) for field, default in columns]
        if self.postgres:
            buffer = io.StringIO()
            write = buffer.write
            for row in chunk:
                write("\t".join([_copy_text(row.get(name, default)) for name, default in getters]))
                write("\n")
            buffer.seek(0)
            quoted = ", ".join(f'"{name}"' for name in names)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(f'COPY "{table}" ({quoted}) FROM STDIN', buffer)
        else:
            fields = [field for field, _default in columns]
            values = [
                [
                    field.get_db_prep_save(row.get(name, default), connection)
                    for field, (name, default) in zip(fields, getters, strict=True)
                ]
                for row in chunk
            ]
            quoted = ", ".join(connection.ops.quote_name(name) for name in names)
            marks = ", ".join(["%s"] * len(names))
            # Table and column names come from the model's meta, never from input.
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.executemany(sql, values)
        return len(chunk)

    def begin(self):
        """Start a stage (inside its transaction). On PostgreSQL, as a superuser, the
        per-row foreign-key triggers are switched off for this transaction only: fired
        at COMMIT for millions of rows they cost more than the inserts. `finish()`
        checks every foreign key of the tables written, set-wise, instead."""
        self.stage_models = len(self.touched)
        self.replica = False
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    self.replica = True

    def finish(self):
        if self.replica:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
                for model in self.touched[self.stage_models :]:
                    _check_foreign_keys(cursor, model)
        self.reset_sequences()

    def analyze(self):
        """Fresh planner statistics: without them PostgreSQL plans the first queries on
        millions of new rows as if the tables were empty."""
        if self.postgres:
            with connection.cursor() as cursor:
                for model in self.touched:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def reset_sequences(self):
        """Explicit ids leave PostgreSQL's sequences behind; move them past the rows."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _check_foreign_keys(cursor, model):
    """Every non-null foreign key of the table points at an existing row (the check
    PostgreSQL would have made row by row), or the stage fails and rolls back."""
    quote = connection.ops.quote_name
    for field in model._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one and not field.one_to_one:
            continue
        target = field.target_field
        sql = (
            f"SELECT count(*) FROM {quote(model._meta.db_table)} child "  # noqa: S608
            f"WHERE child.{quote(field.column)} IS NOT NULL AND NOT EXISTS ("
            f"SELECT 1 FROM {quote(target.model._meta.db_table)} parent "
            f"WHERE parent.{quote(target.column)} = child.{quote(field.column)})"
        )
        cursor.execute(sql)
        missing = cursor.fetchone()[0]
        if missing:
            raise ValueError(f"{missing} rows of {model.__name__}.{field.name} point nowhere")


class Stage:
    """Times a stage and prints what it inserted: `with Stage("works", out) as stage:`."""

    def __init__(self, name: str, out):
        self.name, self.out, self.counts = name, out, {}

    def add(self, label: str, count: int):
        self.counts[label] = self.counts.get(label, 0) + count

    def __enter__(self):
        self.started = time.perf_counter()
        self.out(f"{self.name} …")
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            seconds = time.perf_counter() - self.started
            rows = sum(self.counts.values())
            detail = ", ".join(f"{label} {count:,}" for label, count in self.counts.items())
            self.out(f"{self.name}: {rows:,} rows in {seconds:.1f} s ({detail})")
            self.seconds, self.rows = seconds, rows
        return False


def money(millions: float) -> int:
    """Whole rupiah rounded to the thousand."""
    return int(millions * 1000) * 1000


PLACES_PER_CHUNK = 1_000


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
