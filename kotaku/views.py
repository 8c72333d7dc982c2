from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
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
