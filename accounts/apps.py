from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles (Django groups) and the places they are assigned to."""

    name = "accounts"
    verbose_name = _("Users and access")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session
        from .roles import sync_role_groups

        # Groups and their permissions are kept in code (roles.py) and refreshed after
        # every migrate, so a new model's permissions reach the roles without a data
        # migration per model.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        # The session clock starts with the login, saved together with it.
        user_logged_in.connect(stamp_session, dispatch_uid="accounts.stamp_session")
