"""The site's URLs and one more, for the benchmark alone (production's URLconf is
kotaku.urls, without it): an empty page behind the same middleware, login, session and
access as every page. Its time over its SQL is what any page pays before its own work,
the part of a page's ratio that no view or template can win back."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from kotaku import urls as site

handler500 = site.handler500


@transaction.non_atomic_requests
def empty_page(request):
    # LoginRequiredMiddleware has loaded the user, their groups, permissions and places.
    return HttpResponse(
        f"<!DOCTYPE html><title>kotaku</title><p>{request.user.pk}</p>",
        content_type="text/html; charset=utf-8",
    )


urlpatterns = [path("__bench__/empty/", empty_page, name="bench_empty"), *site.urlpatterns]
