"""Who the user of a request is, what they may do and where, in two light queries.

Django's ModelBackend loads the user, then their groups (for the role) and their own
and their groups' permissions in two more queries, and kotaku then loads their places:
five on every page. Here the user's row is one query, and their groups, permissions and
places are one more, written out once as SQL (building it with the ORM on every request
cost more than running it). What they mean is unchanged: the role is the first of
`Role` among the user's groups, the permissions are the user's own and their groups'
(all of them for a superuser), and the places are the regions they are assigned to.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kotaku.precompiled import PLACEHOLDER, ByKey
from locations.models import Region

from .choices import Role
from .models import PlaceAssignment

GROUP, PERMISSION, PLACE, GROUPS_STAMP = 0, 1, 2, 3

# The permissions of each set of groups seen, by the state of the groups' permissions:
# {(stamp, group ids): permissions}. A role's permissions are a few hundred rows that
# change only when the roles are synced (after migrate) or edited in the admin; any such
# change adds or removes rows of the groups' permission table, which changes its count
# or its newest key (keys are never reused), and the sums of its keys: the stamp read
# with each request's access.
_group_permissions: dict[tuple, frozenset[str]] = {}
MAX_GROUP_SETS = 64


@functools.cache
def _access_sql(superuser: bool) -> str:
    """(kind, a, b, c, d, e) rows: the user's groups (name, key), their own permissions
    (app label, codename; all of them for a superuser), their places (the region's code,
    name, level, kind and parent) and the stamp of the groups' permissions (count, newest
    key). Only table and column names of the models go in, and the user's id as a
    parameter."""
    q = connection.ops.quote_name
    user_model = get_user_model()

    def table(model):
        return q(model._meta.db_table)

    def column(model, name):
        return q(model._meta.get_field(name).column)

    user_groups = user_model.groups.through
    user_perms = user_model.user_permissions.through
    group_perms = Group.permissions.through
    app_label, codename = column(ContentType, "app_label"), column(Permission, "codename")
    permission = (
        f"SELECT {PERMISSION}, ct.{app_label}, p.{codename}, '', '', ''"  # noqa: S608
        f" FROM {table(Permission)} p INNER JOIN {table(ContentType)} ct"
        f" ON ct.{q('id')} = p.{column(Permission, 'content_type')}"
    )
    parts = [
        f"SELECT {GROUP}, g.{column(Group, 'name')}, CAST(g.{q('id')} AS TEXT), '', '', ''"  # noqa: S608
        f" FROM {table(Group)} g INNER JOIN {table(user_groups)} ug"
        f" ON ug.{column(user_groups, 'group')} = g.{q('id')}"
        f" WHERE ug.{column(user_groups, 'user')} = %(user)s"
    ]
    region = ", ".join(f"r.{q(field.column)}" for field in Region._meta.concrete_fields)
    region = region.replace(
        f"r.{column(Region, 'level')}", f"CAST(r.{column(Region, 'level')} AS TEXT)"
    )
    parts.append(
        f"SELECT {PLACE}, {region} FROM {table(Region)} r"  # noqa: S608 (names only)
        f" INNER JOIN {table(PlaceAssignment)} a"
        f" ON a.{column(PlaceAssignment, 'region')} = r.{q(Region._meta.pk.column)}"
        f" WHERE a.{column(PlaceAssignment, 'user')} = %(user)s"
    )
    if superuser:
        parts.append(permission)
    else:
        parts.append(
            f"{permission} INNER JOIN {table(user_perms)} up"
            f" ON up.{column(user_perms, 'permission')} = p.{q('id')}"
            f" WHERE up.{column(user_perms, 'user')} = %(user)s"
        )
        group, perm = column(group_perms, "group"), column(group_perms, "permission")
        parts.append(
            f"SELECT {GROUPS_STAMP}, CAST(COUNT(*) AS TEXT), CAST(MAX({q('id')}) AS TEXT),"  # noqa: S608
            f" CAST(SUM({perm}) AS TEXT), CAST(SUM({group} * {perm}) AS TEXT), ''"
            f" FROM {table(group_perms)}"
        )
    return " UNION ALL ".join(parts)


def _permissions_of_groups(stamp, group_ids) -> frozenset[str]:
    key = (stamp, frozenset(group_ids))
    permissions = _group_permissions.get(key)
    if permissions is None:
        rows = Permission.objects.filter(group__in=group_ids).values_list(
            "content_type__app_label", "codename"
        )
        permissions = frozenset(f"{app_label}.{codename}" for app_label, codename in rows)
        if len(_group_permissions) >= MAX_GROUP_SETS:
            _group_permissions.clear()
        _group_permissions[key] = permissions
    return permissions


_REGION_FIELDS = tuple(field.attname for field in Region._meta.concrete_fields)


def load_access(user) -> None:
    """Set `user.role`, the permission cache ModelBackend reads and the user's places
    (accounts.selectors.user_place_regions), in one query (two the first time a worker
    meets a set of groups, or after their permissions changed)."""
    groups, group_ids, permissions, places, stamp = set(), [], set(), [], None
    fields = _REGION_FIELDS
    level = fields.index("level")
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(user.is_superuser), {"user": user.pk})
        for kind, *values in cursor.fetchall():
            if kind == GROUP:
                groups.add(values[0])
                group_ids.append(int(values[1]))
            elif kind == PERMISSION:
                permissions.add(f"{values[0]}.{values[1]}")
            elif kind == PLACE:
                values[level] = int(values[level])
                places.append(Region.from_db(connection.alias, fields, values))
            else:
                stamp = tuple(values)
    if stamp is not None and group_ids:  # not a superuser (who has them all already)
        permissions |= _permissions_of_groups(stamp, group_ids)
    # What the `role` cached property would compute from the groups.
    user.__dict__["role"] = next((role for role in Role if role.value in groups), None)
    user._perm_cache = permissions
    user._place_regions = sorted(places, key=lambda region: region.code)


@functools.cache
def _user_fields() -> tuple[str, ...]:
    return tuple(field.attname for field in get_user_model()._meta.concrete_fields)


# The user's row by key, compiled once (kotaku.precompiled): ModelBackend's query.
_USERS = ByKey(
    lambda _scope: (
        get_user_model()._default_manager.filter(pk=PLACEHOLDER).values_list(*_user_fields())
    )
)


class AccessBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            row = _USERS.fetch(None, int(user_id))
        except (TypeError, ValueError):
            return None
        if row is None:
            return None
        user = get_user_model().from_db(connection.alias, _user_fields(), row)
        if not self.user_can_authenticate(user):
            return None
        load_access(user)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache
