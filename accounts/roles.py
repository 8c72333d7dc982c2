"""What each role may do, as Django permissions on role groups.

Which *rows* a user sees is decided by their place assignments (scoping.py); this module
decides which *actions* a role has. Permissions are named `<app>.<action>_<model>`; the
patterns below are matched against every permission that exists, so later apps only add
their own entries here.
"""

from fnmatch import fnmatch

from .choices import Role

# Each role: permission codename patterns ("app_label.codename"), matched with fnmatch.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.NATIONAL_OFFICER: ["*"],
    Role.PROVINCE_COORDINATOR: ["*.view_*", "*.verify_*"],
    Role.DISTRICT_STAFF: [
        "*.view_*",
        "*.approve_*",
        "locations.add_*",
        "locations.change_*",
        "slums.add_*",
        "slums.change_*",
        "programs.add_*",
        "programs.change_*",
        "budgets.add_*",
        "budgets.change_*",
        "works.add_*",
        "works.change_*",
    ],
    Role.CITY_COORDINATOR: ["*.view_*", "*.verify_*"],
    Role.FACILITATOR: [
        "*.view_*",
        "*.submit_*",
        "locations.add_rtrw",
        # Facilitators propose changes to slum areas only through a survey.
        "slums.add_slumsurvey",
        "slums.change_slumsurvey",
        "programs.add_*",
        "programs.change_*",
        "budgets.add_spending",
        "budgets.change_spending",
        "budgets.add_swadaya*",
        "budgets.change_swadaya*",
        "works.add_*",
        "works.change_*",
    ],
}

# Never granted through a role pattern: user administration stays with superusers and
# national officers (who hold "*").
_EXCLUDED_APPS_FOR_PATTERNS = {"auth", "admin", "contenttypes", "sessions"}


def permissions_for(role: str, permissions):
    patterns = ROLE_PERMISSIONS[role]
    chosen = []
    for permission in permissions:
        app_label = permission.content_type.app_label
        key = f"{app_label}.{permission.codename}"
        if patterns != ["*"] and (
            app_label in _EXCLUDED_APPS_FOR_PATTERNS or permission.codename.endswith("_user")
        ):
            continue
        if any(fnmatch(key, pattern) for pattern in patterns):
            chosen.append(permission)
    return chosen


def sync_role_groups(sender=None, **kwargs):
    """Create one group per role and give it exactly its permissions.

    post_migrate fires once per app; permissions of an app exist only after its own
    signal, so the groups are synced once, on the last app's signal (only apps with a
    models module get one).
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not None and sender is not with_models[-1]:
        return

    permissions = list(Permission.objects.select_related("content_type"))
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(permissions_for(role, permissions))
