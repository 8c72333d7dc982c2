import functools
import hashlib

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    """Indonesian unless the user chose otherwise.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language header:
    kotaku is an Indonesian government tool, so a laptop set to English still opens in
    Indonesian. The language switch (Django's `set_language` view) stores the choice in
    the language cookie, which is all this reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy: scripts only from kotaku's own static files
    (no inline scripts, no CDN); map tiles from OpenStreetMap are the one outside source."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                # Leaflet and pygal set styles from code; style attributes stay allowed.
                "style-src 'self' 'unsafe-inline'",
                "img-src 'self' data: blob: https://tile.openstreetmap.org",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


@functools.cache
def csrf_placeholder() -> str:
    """What a part rendered once (kotaku.fragments) holds where a form's CSRF token goes;
    each response puts the request's own token there (`CsrfPlaceholderMiddleware`).
    Derived from the secret key, so that no text a user types can name it."""
    digest = hashlib.sha256(f"kotaku-csrf-placeholder:{settings.SECRET_KEY}".encode())
    return f"csrf{digest.hexdigest()[:40]}"


class CsrfPlaceholderMiddleware:
    """Puts the request's CSRF token where an HTML response holds the placeholder of a
    part rendered once (the top bar's forms, the work page's). Placed after Django's
    CsrfViewMiddleware, which then sets the CSRF cookie that the token belongs to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        placeholder = f'value="{csrf_placeholder()}"'.encode()
        content = response.content
        if placeholder in content:
            token = f'value="{get_token(request)}"'.encode()
            response.content = content.replace(placeholder, token)
        return response
