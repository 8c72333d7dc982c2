import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone


def record_last_login(sender, user, **kwargs):
    """On login: the time, written without saving the user (Django's own receiver saves
    it, and every save of a user adds an entry to their history, though `last_login` is
    not kept there: a login is not a change of the user, and the login audit has it)."""
    user.last_login = timezone.now()
    type(user).objects.filter(pk=user.pk).update(last_login=user.last_login)


def stamp_session(sender, request, user, **kwargs):
    """On login: when the session began and was last used (saved with the login)."""
    now = int(time.time())
    request.session[IdleSessionTimeoutMiddleware.STARTED] = now
    request.session[IdleSessionTimeoutMiddleware.KEY] = now


class IdleSessionTimeoutMiddleware:
    """Logs a user out after `SESSION_IDLE_TIMEOUT` seconds without a request, and
    `SESSION_COOKIE_AGE` seconds after the session began, however active.

    Saving the session renews its expiry date, so the whole-life cap is kept here from
    the time the session began. The time of the last request is written at most once a
    minute, so most requests do not save the session.
    """

    KEY = "last_seen"
    STARTED = "started"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(self.KEY, now)
            started = session.setdefault(self.STARTED, now)
            if now - last_seen > timeout or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - last_seen >= 60:
                session[self.KEY] = now
        return self.get_response(request)
