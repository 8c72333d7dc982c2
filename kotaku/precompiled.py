"""A query by key, compiled to SQL once per process and then run with other keys.

Building and compiling a queryset costs the ORM about half a millisecond; on the two
queries every page runs (the user of the request) and on the work page's one query, that
was a sixth of a request's time. `ByKey` compiles the queryset once, with a placeholder
key that no row has, and later runs that SQL with the real key, applying the same
converters to the row as the ORM would (dates and decimals on SQLite, for example). The
SQL depends only on the code and on what `scope` names (a user's places, say), so the
result is the row the ORM would return.
"""

from dataclasses import dataclass

from django.db import connection

# A key no row has: the compiled SQL carries it as a parameter, replaced on each run.
PLACEHOLDER = -2_147_480_001
TEXT_PLACEHOLDER = "kotaku:no-such-key"  # the same for text keys
# Compiled forms kept per scope; more scopes than this (users with different places in
# one worker) start the memory over.
MAX_SCOPES = 2000


@dataclass
class _Compiled:
    sql: str
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
        sql, params = compiler.as_sql()
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
