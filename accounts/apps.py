from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles (Django groups) and the places they are assigned to."""

    name = "accounts"
    verbose_name = _("Users and access")

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_last_login, stamp_session
        from .roles import sync_role_groups

        # Groups and their permissions are kept in code (roles.py) and refreshed after
        # every migrate, so a new model's permissions reach the roles without a data
        # migration per model.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        # The session clock starts with the login, saved together with it.
        user_logged_in.connect(stamp_session, dispatch_uid="accounts.stamp_session")
        # The login time without a save of the user (and so without a history entry).
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="accounts.record_last_login")
