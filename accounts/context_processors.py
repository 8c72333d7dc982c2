from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from kotaku.fragments import Part
from kotaku.middleware import csrf_placeholder

from .choices import Role

# Who may open the login audit (accounts.views), as the top bar shows its link.
AUDITORS = (Role.NATIONAL_OFFICER, Role.PROVINCE_COORDINATOR, Role.DISTRICT_STAFF)


def topbar(request):
    """What the top bar of base.html shows, as a `{% once %}` part: the same for every
    page of a user, path and language, so it is rendered once per those. Its forms hold
    the CSRF placeholder, which each response replaces with the request's own token
    (kotaku.middleware.CsrfPlaceholderMiddleware)."""
    return {"topbar": SimpleLazyObject(lambda: _topbar(request))}


def _topbar(request) -> Part:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    values = {
        "authenticated": authenticated,
        "next_path": request.get_full_path(),
        "LANGUAGE_CODE": translation.get_language(),
        "LANGUAGES": tuple(settings.LANGUAGES),
        "csrf_token": csrf_placeholder(),
    }
    if authenticated:
        from .selectors import user_place_regions

        values.update(
            user_name=user.get_full_name() or user.username,
            role=user.role or "",
            role_label=str(user.role_label),
            places=tuple(place.name for place in user_place_regions(user)),
            sees_everything=user.sees_everything,
            is_staff=user.is_staff,
            can_audit=user.is_superuser or user.role in AUDITORS,
        )
    return Part(values, tuple(values.items()))
