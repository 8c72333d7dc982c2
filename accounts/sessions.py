"""Django's database sessions, read by SQL compiled once (kotaku.precompiled).

Every request reads its session; building and compiling that query each time cost about
as much as running it. The row, its expiry check and everything else are Django's own
(`django.contrib.sessions.backends.db`); only the query is not rebuilt.
"""

import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from kotaku.precompiled import TEXT_PLACEHOLDER, ByKey

_SESSIONS = ByKey(
    lambda _scope: Session.objects.filter(session_key=TEXT_PLACEHOLDER).values_list(
        "session_data", "expire_date"
    ),
    placeholder=TEXT_PLACEHOLDER,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        try:
            row = _SESSIONS.fetch(None, self.session_key)
        except SuspiciousOperation as error:  # as Django's: logged, no session
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            row = None
        if row is None or row[1] <= timezone.now():  # none, or expired: as Django's query
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
