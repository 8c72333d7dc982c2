"""The one view mixin that applies row scoping and role permissions.

Out of the user's places → 404 (the user learns nothing about the row); in their places
but the role may not do this → 403.
"""

from django.core.exceptions import PermissionDenied


class ScopedQuerysetMixin:
    """Narrows `get_queryset()` to the user's places: lists, details, edits, deletes and
    exports are scoped without extra code."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


class RolePermissionMixin:
    """Requires `permission_required` (a Django permission of the user's role) → 403.

    Applied after the object lookup, so a row out of scope is a 404 before it can be a
    403: the user must not learn that it exists.
    """

    permission_required: str | None = None

    def check_role_permission(self):
        if self.permission_required and not self.request.user.has_perm(self.permission_required):
            raise PermissionDenied
