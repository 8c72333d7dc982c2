import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from dashboards.views import DashboardView


def home(request):
    """The start page is the dashboard of the user's own places (it lists those places
    too, each a way into the region tree)."""
    return DashboardView.as_view()(request)


@never_cache
@login_not_required
@transaction.non_atomic_requests
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@transaction.non_atomic_requests
def favicon(request):
    """What browsers ask for when a page names no icon (the admin's pages): the site's
    icon, by its static URL (hashed in production, so not a permanent redirect)."""
    response = HttpResponseRedirect(static("favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response


def server_error(request):
    """The 500 page (urls.handler500), or 503 when the database could not be reached or
    gave up on the query (connection refused or lost, a restart, a timeout): nothing was
    wrong with the request, and sent again in a moment it will work. A plain page: a
    template could need the database itself."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    title = escape(_("The database is not reachable at the moment"))
    text = escape(_("The request could not be completed. Please try again in a minute."))
    response = HttpResponse(
        f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1><p>{text}</p>", status=503
    )
    response["Retry-After"] = "30"
    return response
