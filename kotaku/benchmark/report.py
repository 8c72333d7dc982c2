"""Issue 8's targets, and the table the benchmark prints."""

from .measure import Measurement

PAGE_MEDIAN_S = 0.150  # dashboards and lists
PAGE_OVER_SQL = 1.5  # dashboards and lists: page time ≤ 1.5 × their own SQL
EXPORT_PEAK_MB = 150
IMPORT_S = {"postgresql": 20, "sqlite": 30}
REIMPORT_S = 10
# A page over a small scope may skip a query or two (no handover yet, no child regions):
# queries that grow with the rows show as many more on the big scope.
QUERY_SLACK = 2


def misses(m: Measurement, vendor: str) -> list[str]:
    """What `m` misses of its targets (empty: it meets them all)."""
    found = []
    if m.queries_small is not None and m.queries - m.queries_small > QUERY_SLACK:
        found.append(f"queries {m.queries} > {m.queries_small} on a small scope")
    if m.kind in ("dashboard", "list"):
        if m.median > PAGE_MEDIAN_S:
            found.append(f"median > {PAGE_MEDIAN_S * 1000:.0f} ms")
        if m.ratio is not None and m.ratio > PAGE_OVER_SQL:
            found.append(f"> {PAGE_OVER_SQL}× SQL")
    elif m.kind == "export" and m.peak_mb >= EXPORT_PEAK_MB:
        found.append(f"peak ≥ {EXPORT_PEAK_MB} MB")
    elif m.kind == "import":
        limit = REIMPORT_S if "re-import" in m.name else IMPORT_S.get(vendor, 30)
        if m.median > limit:
            found.append(f"median > {limit} s")
    return found


def verdict(m: Measurement, vendor: str) -> str:
    if m.status != "ok":
        return m.status
    if m.kind == "reference":
        return "no target"
    found = misses(m, vendor)
    return "MISS: " + "; ".join(found) if found else "PASS"


def _ms(seconds):
    return "" if seconds is None else f"{seconds * 1000:.1f}"


def _number(value, spec="d"):
    return "" if value is None else format(value, spec)


COLUMNS = (
    ("measured", "<"),
    ("median ms", ">"),
    ("p95 ms", ">"),
    ("n", ">"),
    ("queries", ">"),
    ("q small", ">"),
    ("rows", ">"),
    ("SQL ms", ">"),
    ("×SQL", ">"),
    ("peak MB", ">"),
    ("verdict", "<"),
)


def row_of(m: Measurement, vendor: str) -> list[str]:
    return [
        m.name,
        _ms(m.median),
        _ms(m.p95),
        _number(m.requests or None),
        _number(m.queries),
        _number(m.queries_small),
        _number(m.rows),
        _ms(m.sql),
        _number(m.ratio, ".2f"),
        _number(m.peak_mb, ".0f"),
        verdict(m, vendor) + (f" ({m.note})" if m.note else ""),
    ]


def table(measurements: list[Measurement], vendor: str) -> str:
    """An aligned text table, one line per measurement."""
    rows = [[header for header, _align in COLUMNS]]
    rows += [row_of(m, vendor) for m in measurements]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row in rows:
        cells = [
            f"{cell:{align}{width}}"
            for cell, (_header, align), width in zip(row, COLUMNS, widths, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def slowest_queries(measurements: list[Measurement], vendor: str, width: int = 400) -> str:
    """The slowest queries of each page that misses a target, to EXPLAIN ANALYZE."""
    lines = []
    for m in measurements:
        if m.status == "ok" and m.slowest and misses(m, vendor):
            lines.append(f"\n{m.name} ({m.url}): slowest queries")
            lines += [f"  {seconds * 1000:8.1f} ms  {sql[:width]}" for seconds, sql in m.slowest]
    return "\n".join(lines)
