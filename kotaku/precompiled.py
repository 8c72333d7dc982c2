"""A query by key, compiled to SQL once per process and then run with other keys.

Building and compiling a queryset costs the ORM about half a millisecond; on the two
queries every page runs (the user of the request) and on the work page's one query, that
was a sixth of a request's time. `ByKey` compiles the queryset once, with a placeholder
key that no row has, and later runs that SQL with the real key, applying the same
converters to the row as the ORM would (dates and decimals on SQLite, for example). The
SQL depends only on the code and on what `scope` names (a user's places, say), so the
result is the row the ORM would return.
"""

import contextlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Value
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI

# A key no row has: the compiled SQL carries it as a parameter, replaced on each run.
PLACEHOLDER = -2_147_480_001
TEXT_PLACEHOLDER = "kotaku:no-such-key"  # the same for text keys
# Compiled forms kept per scope; more scopes than this (users with different places in
# one worker) start the memory over.
MAX_SCOPES = 2000


@dataclass
class _Compiled:
    sql: str | None  # None: the scope matches no row
    params: list
    slot: int  # where the key goes in `params`
    converters: dict  # {column position: (converters, expression)}, as the ORM's


class ByKey:
    """`ByKey(build)`, where `build(scope)` returns a values_list queryset that filters
    on `pk=PLACEHOLDER` (or another key, `placeholder=TEXT_PLACEHOLDER`): `fetch(scope,
    key)` returns that queryset's row for `key` (a list of values, converted) or None."""

    def __init__(self, build, placeholder=PLACEHOLDER):
        self.build = build
        self.placeholder = placeholder
        self.compiled: dict = {}

    def _compile(self, scope) -> _Compiled:
        queryset = self.build(scope)
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a scope with no place: no row, and no query
            return _Compiled(None, [], 0, {})
        params = list(params)
        if params.count(self.placeholder) != 1:
            raise ValueError("The queryset must filter on the key placeholder exactly once.")
        fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        slot = params.index(self.placeholder)
        return _Compiled(sql, params, slot, compiler.get_converters(fields))

    def fetch(self, scope, key):
        compiled = self.compiled.get(scope)
        if compiled is None:
            if len(self.compiled) >= MAX_SCOPES:
                self.compiled.clear()
            compiled = self.compiled[scope] = self._compile(scope)
        if compiled.sql is None:
            return None
        params = list(compiled.params)
        params[compiled.slot] = key
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in compiled.converters.items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        return row


# --- Statements compiled once per key --------------------------------------------------------


def aggregating(queryset, **aggregates):
    """`queryset.aggregate(**aggregates)` as a one-row values_list queryset, so that it can
    be compiled once (`Statements.one`): the aggregates over all the rows (no GROUP BY),
    one row even when no row matches, as `aggregate()` gives."""
    query = queryset.query
    if query.group_by is not None or query.is_sliced or query.distinct or query.combinator:
        raise ValueError("aggregating() takes a plain filtered queryset.")
    return (
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(**aggregates)
        .values_list(*aggregates)
    )


@dataclass
class _Statement:
    sql: str
    params: tuple
    kind: str  # "dicts" (values()), "tuples" (values_list()) or "flat"
    labels: list  # the name of each column
    width: int  # the SQL's columns that are the queryset's
    converters: dict


@dataclass
class _Scalar:
    sql: str | None  # None: no query, the value is `constant`
    params: tuple
    constant: object = None


class Statements:
    """Querysets compiled to SQL once per key, then run again: `rows(key, build)`.

    `build()` returns a values() or values_list() queryset; `key` must hold everything
    its SQL depends on (the user's `scope_of`, the region, the year, the day), so that
    the same key always builds the same SQL. Building and compiling a dashboard's
    queryset costs the ORM 0.3 to 1 ms, most of the page's own time; the statement then
    costs what its execution and conversion do. The rows are read on every call: only
    the compiling is saved, never a result.
    """

    def __init__(self, limit: int = 4000):
        self.limit = limit
        self.compiled: OrderedDict = OrderedDict()

    def _compile(self, queryset) -> _Statement:
        kinds = {ValuesIterable: "dicts", ValuesListIterable: "tuples"}
        kinds[FlatValuesListIterable] = "flat"
        kind = kinds.get(queryset._iterable_class)
        if kind is None:
            raise ValueError("Statements take values() or values_list() querysets.")
        query = queryset.query
        # elide_empty=False: a condition that matches nothing (a user with no place)
        # compiles to a false WHERE instead of skipping the query, as aggregate() does.
        compiler = query.get_compiler(connection=connection, elide_empty=False)
        sql, params = compiler.as_sql()
        fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        # The columns' names, as Django's ValuesIterable finds them (the SQL selects the
        # columns in the order values() or values_list() names them).
        if query.selected:
            labels = list(query.selected)
        else:
            labels = [*query.extra_select, *query.values_select, *query.annotation_select]
        return _Statement(
            sql,
            tuple(params),
            kind,
            labels,
            compiler.col_count,
            compiler.get_converters(fields),
        )

    def statement(self, key, build) -> _Statement:
        # Shared by a worker's threads (a statement holds no state of a run): another
        # thread may drop an entry between two steps, which costs a compiling at most.
        compiled = self.compiled.get(key)
        if compiled is None:
            compiled = self._compile(build())
            self.compiled[key] = compiled
            with contextlib.suppress(KeyError):  # emptied by another thread
                while len(self.compiled) > self.limit:
                    self.compiled.popitem(last=False)
        else:
            with contextlib.suppress(KeyError):  # dropped by another thread meanwhile
                self.compiled.move_to_end(key)
        return compiled

    def _run(self, compiled: _Statement) -> list:
        """The rows (lists, or tuples when nothing converts them) of the statement."""
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params)
            rows = cursor.fetchall()
        converters = compiled.converters.items()
        width = compiled.width
        if not converters and (not rows or len(rows[0]) == width):
            return rows  # as the database gave them: nothing to convert or cut
        database = connections[DEFAULT_DB_ALIAS]
        result = []
        for raw in rows:
            row = list(raw[:width])
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, database)
            result.append(row)
        return result

    def rows(self, key, build) -> list:
        """The rows of `build()` as the queryset gives them: dicts (values()), tuples
        (values_list()) or values (flat=True)."""
        compiled = self.statement(key, build)
        rows = self._run(compiled)
        if compiled.kind == "dicts":
            return [dict(zip(compiled.labels, row, strict=True)) for row in rows]
        if compiled.kind == "flat":
            return [row[0] for row in rows]
        return [tuple(row) for row in rows]

    def instances(self, key, model, build) -> list:
        """The instances of `build()`, a queryset of `model`'s own rows (no
        select_related, no annotations), as the ORM builds them."""
        names = [field.attname for field in model._meta.concrete_fields]
        rows = self.rows(key, lambda: build().values_list(*names))
        return [model.from_db(connection.alias, names, row) for row in rows]

    def scalar(self, key, run):
        """The one value of the one query that `run()` makes (a queryset's `count()`, say),
        by the SQL that Django compiled for it the first time: the query is captured then,
        and later run directly. A `run()` that makes no query (a count of `none()`) gives
        its value each time without one. The value is the database's, unconverted: for
        counts and other integers."""
        compiled = self.compiled.get(key)
        if compiled is None:
            captured = []

            def capture(execute, sql, params, many, context):
                captured.append((sql, tuple(params or ())))
                return execute(sql, params, many, context)

            with connection.execute_wrapper(capture):
                value = run()
            if len(captured) > 1:
                raise ValueError("scalar() takes one query.")
            compiled = _Scalar(*captured[0]) if captured else _Scalar(None, (), value)
            self.compiled[key] = compiled
            with contextlib.suppress(KeyError):
                while len(self.compiled) > self.limit:
                    self.compiled.popitem(last=False)
            return value
        with contextlib.suppress(KeyError):
            self.compiled.move_to_end(key)
        if compiled.sql is None:
            return compiled.constant
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params)
            return cursor.fetchone()[0]

    def one(self, key, build) -> dict:
        """`build()` is `aggregating(queryset, **aggregates)`: {name: value} of the
        aggregates, as `queryset.aggregate(**aggregates)` returns them."""
        compiled = self.statement(key, build)
        (row,) = self._run(compiled)
        return dict(zip(compiled.labels, row, strict=True))


statements = Statements()


# --- The rows of a list page, by their keys ---------------------------------------------------


@dataclass
class _RowsStatement:
    queryset: object  # its query hands out `compiler`
    compiler: object
    sql: str
    params: tuple
    slots: list  # where each key goes in `params`


class RowsByKeys:
    """Model instances for a list of primary keys, in that order, with the annotations and
    related rows of a queryset (a list page's selector): `fetch(key, build, keys)`.

    A list page's selector annotates each row with subqueries (progress, flags, …);
    building and compiling it cost the ORM 6 ms a page. The SQL of `build().filter(pk__in=
    keys)` depends only on what `key` names (the view, the user, the day) and on how
    many keys there are, so it is compiled once per key and length, with placeholder
    keys, and run with the page's keys. Django's own model iterable then builds the
    instances from the compiler kept with it, as for any queryset.
    """

    def __init__(self, limit: int = 500):
        self.limit = limit
        # Per thread: a statement's compiler is given each fetch's keys in turn.
        self.local = threading.local()

    @property
    def compiled(self) -> OrderedDict:
        if not hasattr(self.local, "compiled"):
            self.local.compiled = OrderedDict()
        return self.local.compiled

    def _compile(self, build, count: int) -> _RowsStatement:
        queryset = build()
        pk = queryset.model._meta.pk
        if pk.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField"):
            placeholders = [PLACEHOLDER - index for index in range(count)]
        else:
            placeholders = [f"{TEXT_PLACEHOLDER}:{index}" for index in range(count)]
        queryset = queryset.filter(pk__in=placeholders)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        if any(params.count(placeholder) != 1 for placeholder in placeholders):
            raise ValueError("The keys must appear once each in the compiled query.")
        # The query hands out this compiler (its select and related-object map), whose
        # SQL is the one compiled here with the page's keys (set in fetch()).
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        slots = [params.index(placeholder) for placeholder in placeholders]
        return _RowsStatement(queryset, compiler, sql, tuple(params), slots)

    def fetch(self, key, build, keys) -> list:
        keys = list(keys)
        if not keys:
            return []
        entry_key = (key, len(keys))
        statements = self.compiled
        compiled = statements.get(entry_key)
        if compiled is None:
            compiled = statements[entry_key] = self._compile(build, len(keys))
            if len(statements) > self.limit:
                statements.popitem(last=False)
        else:
            statements.move_to_end(entry_key)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, keys, strict=True):
            params[slot] = value
        compiler = compiled.compiler
        sql, params = compiled.sql, tuple(params)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        chunks = type(compiler).execute_sql(
            compiler, MULTI, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE
        )
        chunks = [list(chunk) for chunk in chunks]
        raw = tuple(row for chunk in chunks for row in chunk)

        def instances() -> list:
            # Django's model iterable, given the rows read above instead of a cursor.
            compiler.execute_sql = lambda *args, **kwargs: chunks
            try:
                built = list(compiled.queryset._chain())
            finally:
                del compiler.execute_sql
            position = {value: index for index, value in enumerate(keys)}
            built.sort(key=lambda row: position[row.pk])
            return built

        return Rows(instances, len(raw), (tuple(keys), raw))


class Rows(list):
    """The instances `RowsByKeys.fetch` gives, with `key`: the keys and the database's
    rows they are made of (a key of what they show, cheaper than their fingerprint).

    The instances are built when first read, not before: a list page whose rows are
    rendered once per their key (`{% once list_part %}`) needs only the key, and building
    25 works with their related rows cost a millisecond. Their number is known without
    building them.
    """

    def __init__(self, build=None, count: int = 0, key: tuple = ()):
        super().__init__()
        self._build = build
        self._count = count
        self.key = key

    def _fill(self):
        if self._build is not None:
            build, self._build = self._build, None
            list.extend(self, build())

    def __len__(self):
        return self._count if self._build is not None else list.__len__(self)

    def __bool__(self):
        return len(self) > 0


def _building(name):
    method = getattr(list, name)

    def call(self, *args, **kwargs):
        self._fill()
        return method(self, *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


# Everything else a list does reads (or changes) its items, so builds them first.
for _name in [
    "__iter__",
    "__reversed__",
    "__getitem__",
    "__contains__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__add__",
    "__mul__",
    "__rmul__",
    "__iadd__",
    "__imul__",
    "__setitem__",
    "__delitem__",
    "__repr__",
    "__reduce_ex__",
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "index",
    "count",
    "sort",
    "reverse",
    "copy",
]:
    setattr(Rows, _name, _building(_name))


rows_by_keys = RowsByKeys()
