"""Derived money totals, kept so that the dashboard adds up a few rows, not millions.

`RegionMoney` holds, per region (its code at each level from province to kelurahan), fiscal
year and source, the money of the allocations lying in or under it; `SpendingMonth` the
approved spending per month of the works lying in or under it. Both are changed by deltas
(`x = x + delta`) from budgets.services, in the same transaction as the write that changes
the money, so they are never stale; `rebuild()` recomputes them set-wise (the generator,
`manage.py refresh_budget_totals`, the data migration). There is no nation-wide row: the
nation is the sum of its provinces, so writes in different provinces never wait on one
another. Rows of one statement are written in key order, so two writers take the locks on
shared rows in the same order (no deadlock).

The live sums in budgets.selectors (`realization_live`) are the reference: the stored
totals must always equal them (budgets/tests/test_rollups.py).
"""

from django.db import connection as default_connection
from django.db import transaction

from kotaku.workflow import PENDING, ReviewStatus
from locations.codes import LEVEL_LENGTHS

from .models import Allocation, Disbursement, RegionMoney, Spending, SpendingMonth

MONEY_COLUMNS = ("allocations", "allocated", "disbursed", "spent", "pending")


def region_codes(code: str) -> list[str]:
    """`35.19.09.2010` → `['35', '35.19', '35.19.09', '35.19.09.2010']`."""
    return [code[:length] for length in LEVEL_LENGTHS if len(code) >= length]


def parent_code(code: str) -> str:
    return code.rpartition(".")[0]


def _upsert(table: str, keys: tuple, columns: tuple, rows: list[tuple]):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET column = column + excluded.column, for
    rows already in key order (PostgreSQL and SQLite ≥ 3.24 alike)."""
    if not rows:
        return
    quote = default_connection.ops.quote_name
    names = [*keys[:1], "parent", *keys[1:], *columns]
    marks = "(" + ", ".join(["%s"] * len(names)) + ")"
    updates = ", ".join(
        f"{quote(column)} = {quote(table)}.{quote(column)} + excluded.{quote(column)}"
        for column in columns
    )
    # Table and column names come from the models, never from input.
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(name) for name in names)}) "  # noqa: S608
        f"VALUES {', '.join([marks] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(key) for key in keys)}) DO UPDATE SET {updates}"
    )
    params = [value for row in rows for value in row]
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)


def money_add(changes):
    """Add to the money of regions. `changes`: (region code of an allocation, fiscal year,
    source id, {column: delta}) — the delta goes to the region and every one above it."""
    merged: dict[tuple, dict] = {}
    for region, year, source, deltas in changes:
        for code in region_codes(region):
            row = merged.setdefault((code, int(year), source), dict.fromkeys(MONEY_COLUMNS, 0))
            for column, delta in deltas.items():
                row[column] += int(delta)
    rows = [
        (code, parent_code(code), year, source, *(row[c] for c in MONEY_COLUMNS))
        for (code, year, source), row in sorted(merged.items())
        if any(row.values())
    ]
    _upsert(RegionMoney._meta.db_table, ("code", "fiscal_year", "source_id"), MONEY_COLUMNS, rows)


def spending_months_add(changes):
    """Add approved spending. `changes`: (kelurahan code of the work, fiscal year of the
    allocation, a date in the month, number of entries, amount)."""
    merged: dict[tuple, list] = {}
    for kelurahan, year, day, entries, amount in changes:
        month = day.replace(day=1)
        for code in region_codes(kelurahan):
            row = merged.setdefault((code, int(year), month), [0, 0])
            row[0] += entries
            row[1] += int(amount)
    rows = [
        (code, parent_code(code), year, month, entries, amount)
        for (code, year, month), (entries, amount) in sorted(merged.items())
        if entries or amount
    ]
    _upsert(
        SpendingMonth._meta.db_table,
        ("code", "fiscal_year", "month"),
        ("entries", "amount"),
        rows,
    )


# What the services call, after the row is written (inside their transaction).


def allocation_added(allocation: Allocation):
    changes = [
        (
            allocation.region_id,
            allocation.fiscal_year,
            allocation.source_id,
            {"allocations": 1, "allocated": allocation.amount},
        )
    ]
    if allocation.part_of_id:
        changes.append(_parent_change(allocation, -allocation.amount))
    money_add(changes)


def allocation_amount_changed(allocation: Allocation, delta):
    if not delta:
        return
    changes = [
        (allocation.region_id, allocation.fiscal_year, allocation.source_id, {"allocated": delta})
    ]
    if allocation.part_of_id:
        changes.append(_parent_change(allocation, -delta))
    money_add(changes)


def _parent_change(part: Allocation, delta):
    parent = Allocation.objects.only("region_id", "fiscal_year", "source_id").get(
        pk=part.part_of_id
    )
    return (parent.region_id, parent.fiscal_year, parent.source_id, {"allocated": delta})


def disbursement_added(entry: Disbursement):
    allocation = entry.allocation
    money_add(
        [
            (
                allocation.region_id,
                allocation.fiscal_year,
                allocation.source_id,
                {"disbursed": entry.amount},
            )
        ]
    )


def _weights(status) -> tuple[int, int]:
    """(spent, pending) shares of a spending entry in `status`."""
    if status == ReviewStatus.APPROVED:
        return 1, 0
    if status in PENDING:
        return 0, 1
    return 0, 0


def spending_moved(entry: Spending, old_status):
    """A spending entry went from `old_status` (None: it is new) to `entry.status`."""
    old_spent, old_pending = _weights(old_status)
    new_spent, new_pending = _weights(entry.status)
    if (old_spent, old_pending) == (new_spent, new_pending):
        return
    region, year, source, kelurahan = Spending.objects.values_list(
        "allocation__region_id",
        "allocation__fiscal_year",
        "allocation__source_id",
        "work__kelurahan_id",
    ).get(pk=entry.pk)
    spent = (new_spent - old_spent) * entry.amount
    pending = (new_pending - old_pending) * entry.amount
    money_add([(region, year, source, {"spent": spent, "pending": pending})])
    if spent:
        entries = new_spent - old_spent
        spending_months_add([(kelurahan, year, entry.date, entries, spent)])


def work_moved(work_id, old_kelurahan: str, new_kelurahan: str):
    """A work moved to another kelurahan: its approved spending moves with it."""
    if old_kelurahan == new_kelurahan:
        return
    changes = []
    for year, day, amount in Spending.objects.filter(
        work_id=work_id, status=ReviewStatus.APPROVED
    ).values_list("allocation__fiscal_year", "date", "amount"):
        changes += [
            (old_kelurahan, year, day, -1, -amount),
            (new_kelurahan, year, day, 1, amount),
        ]
    spending_months_add(changes)


# Full rebuild, set-wise.

_LEVELS = "levels (width, parent_width) AS (VALUES (2, 0), (5, 2), (8, 5), (13, 8))"


def _month_sql(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(DATE_TRUNC('month', {column}) AS date)"
    return f"DATE({column}, 'start of month')"


def rebuild(connection=None):
    """Recompute every derived total from the money records (a few set-wise statements,
    in one transaction)."""
    connection = connection or default_connection
    quote = connection.ops.quote_name
    allocation = quote(Allocation._meta.db_table)
    disbursement = quote(Disbursement._meta.db_table)
    spending = quote(Spending._meta.db_table)
    work = quote(Spending._meta.get_field("work").related_model._meta.db_table)
    money = quote(RegionMoney._meta.db_table)
    months = quote(SpendingMonth._meta.db_table)
    approved, pending = ReviewStatus.APPROVED.value, [status.value for status in PENDING]
    month = _month_sql(connection.vendor, "s.date")
    # Table names come from the models, statuses from the code: nothing from input.
    money_sql = f"""
        WITH {_LEVELS},
        parts AS (
            SELECT part_of_id AS id, SUM(amount) AS total FROM {allocation}
            WHERE part_of_id IS NOT NULL GROUP BY part_of_id
        ),
        paid AS (
            SELECT allocation_id AS id, SUM(amount) AS total FROM {disbursement}
            GROUP BY allocation_id
        ),
        used AS (
            SELECT allocation_id AS id,
                SUM(CASE WHEN status = %s THEN amount ELSE 0 END) AS spent,
                SUM(CASE WHEN status IN (%s, %s) THEN amount ELSE 0 END) AS pending
            FROM {spending} GROUP BY allocation_id
        ),
        per AS (
            SELECT a.region_id AS code, a.fiscal_year, a.source_id,
                a.amount - COALESCE(parts.total, 0) AS allocated,
                COALESCE(paid.total, 0) AS disbursed,
                COALESCE(used.spent, 0) AS spent,
                COALESCE(used.pending, 0) AS pending
            FROM {allocation} a
            LEFT JOIN parts ON parts.id = a.id
            LEFT JOIN paid ON paid.id = a.id
            LEFT JOIN used ON used.id = a.id
        )
        INSERT INTO {money} (code, parent, fiscal_year, source_id, allocations, allocated,
            disbursed, spent, pending)
        SELECT SUBSTR(per.code, 1, levels.width), SUBSTR(per.code, 1, levels.parent_width),
            per.fiscal_year, per.source_id, COUNT(*), SUM(per.allocated), SUM(per.disbursed),
            SUM(per.spent), SUM(per.pending)
        FROM per JOIN levels ON LENGTH(per.code) >= levels.width
        GROUP BY SUBSTR(per.code, 1, levels.width), SUBSTR(per.code, 1, levels.parent_width),
            per.fiscal_year, per.source_id
    """  # noqa: S608
    months_sql = f"""
        WITH {_LEVELS},
        per AS (
            SELECT w.kelurahan_id AS code, a.fiscal_year, {month} AS month,
                COUNT(*) AS entries, SUM(s.amount) AS amount
            FROM {spending} s
            JOIN {allocation} a ON a.id = s.allocation_id
            JOIN {work} w ON w.id = s.work_id
            WHERE s.status = %s
            GROUP BY w.kelurahan_id, a.fiscal_year, {month}
        )
        INSERT INTO {months} (code, parent, fiscal_year, month, entries, amount)
        SELECT SUBSTR(per.code, 1, levels.width), SUBSTR(per.code, 1, levels.parent_width),
            per.fiscal_year, per.month, SUM(per.entries), SUM(per.amount)
        FROM per JOIN levels ON LENGTH(per.code) >= levels.width
        GROUP BY SUBSTR(per.code, 1, levels.width), SUBSTR(per.code, 1, levels.parent_width),
            per.fiscal_year, per.month
    """  # noqa: S608
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {money}")  # noqa: S608
        cursor.execute(f"DELETE FROM {months}")  # noqa: S608
        cursor.execute(money_sql, [approved, *pending])
        cursor.execute(months_sql, [approved])
