"""Who the user of a request is, and what they may do, in two light queries.

Django's ModelBackend loads the user, then their groups (for the role) and their own
and their groups' permissions in two more queries: four on every page. Here the user's
row is one query and their groups and permissions are one more, written out once as SQL
(building it with the ORM on every request cost more than running it). What they mean is
unchanged: the role is the first of `Role` among the user's groups, and the permissions
are the user's own and their groups', all of them for a superuser.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from .choices import Role

GROUP, PERMISSION = 0, 1


@functools.cache
def _access_sql(superuser: bool) -> str:
    """(kind, name, codename) rows: the user's groups, then their permissions. Only
    table and column names of Django's own models go in, and the user's id as a
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
        f"SELECT {PERMISSION}, ct.{app_label}, p.{codename}"  # noqa: S608 (names only)
        f" FROM {table(Permission)} p INNER JOIN {table(ContentType)} ct"
        f" ON ct.{q('id')} = p.{column(Permission, 'content_type')}"
    )
    parts = [
        f"SELECT {GROUP}, g.{column(Group, 'name')}, ''"  # noqa: S608 (names only)
        f" FROM {table(Group)} g INNER JOIN {table(user_groups)} ug"
        f" ON ug.{column(user_groups, 'group')} = g.{q('id')}"
        f" WHERE ug.{column(user_groups, 'user')} = %(user)s"
    ]
    if superuser:
        parts.append(permission)
    else:
        parts.append(
            f"{permission} INNER JOIN {table(user_perms)} up"
            f" ON up.{column(user_perms, 'permission')} = p.{q('id')}"
            f" WHERE up.{column(user_perms, 'user')} = %(user)s"
        )
        parts.append(
            f"{permission} INNER JOIN {table(group_perms)} gp"
            f" ON gp.{column(group_perms, 'permission')} = p.{q('id')}"
            f" INNER JOIN {table(user_groups)} ug"
            f" ON ug.{column(user_groups, 'group')} = gp.{column(group_perms, 'group')}"
            f" WHERE ug.{column(user_groups, 'user')} = %(user)s"
        )
    return " UNION ALL ".join(parts)


def load_access(user) -> None:
    """Set `user.role` and the permission cache ModelBackend reads, in one query."""
    groups, permissions = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_access_sql(user.is_superuser), {"user": user.pk})
        for kind, name, codename in cursor.fetchall():
            if kind == GROUP:
                groups.add(name)
            else:
                permissions.add(f"{name}.{codename}")
    # What the `role` cached property would compute from the groups.
    user.__dict__["role"] = next((role for role in Role if role.value in groups), None)
    user._perm_cache = permissions


class AccessBackend(ModelBackend):
    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            load_access(user)
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_access(user_obj)
        return user_obj._perm_cache
