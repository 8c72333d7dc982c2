"""Web hardening: the production settings (DEBUG off, environment as in .ci/run's deploy
check) pass `check --deploy` and send the security headers; no page the sweep visits
holds an inline script or an `on…=` handler, which the Content-Security-Policy would
block."""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from .sweep import BUILDERS, World, client_for_user, list_routes, object_kind, object_routes

ROOT = Path(django_settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#Jq2!vLp9@Zr4$Wm8^Tn3&Yb6*Hc1(Kd5)Gf0-Ue7+Sa2=Qo9",
    "ALLOWED_HOSTS": "kotaku.example.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://kotaku.example.go.id",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_SETTINGS_MODULE": "kotaku.settings.base",
}

# Runs under the production settings: the settings that matter and the headers of one
# answer over HTTPS and of one over plain HTTP.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="kotaku.example.go.id")
secure = client.get("/health/", secure=True)
plain = client.get("/health/")
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "X_FRAME_OPTIONS",
]
print(json.dumps({
    "settings": {name: getattr(settings, name) for name in names},
    "secure": {"status": secure.status_code, "headers": dict(secure.headers)},
    "plain": {"status": plain.status_code, "location": plain.get("Location", "")},
}))
"""


def _production(*args):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def production():
    result = _production("-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_the_deploy_check():
    result = _production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_and_transport(production):
    values = production["settings"]
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"):
        assert values[name] is True, name
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    # Plain HTTP is sent to HTTPS.
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"].startswith("https://kotaku.example.go.id/")


def test_production_security_headers(production):
    headers = production["secure"]["headers"]
    assert production["secure"]["status"] == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


class _InlineCode(HTMLParser):
    """Finds what a `script-src 'self'` policy blocks: inline script code, `on…=`
    handlers and `javascript:` links."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self._inline = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        data_only = (attrs.get("type") or "").lower() in ("application/json", "application/ld+json")
        self._inline = tag == "script" and "src" not in attrs and not data_only

    def handle_data(self, data):
        if self._inline and data.strip():
            self.problems.append(f"<script>{data.strip()[:40]}…</script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = False


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.problems


def test_the_checker_finds_inline_code():
    html = '<a onclick="x()">a</a><script>alert(1)</script><script src="/s.js"></script>'
    html += '<script type="application/json">{"a": 1}</script><a href="javascript:x()">b</a>'
    assert len(inline_code(html)) == 3


def test_no_page_holds_inline_scripts(
    db, regions, national_officer, district_editor, settings, tmp_path
):
    """Every list page and every object page the sweep knows, as the district editor."""
    settings.MEDIA_ROOT = tmp_path / "media"
    probe = client_for_user(national_officer)
    world = World()
    urls = [route.url() for route in list_routes() if route.allows("get")]
    for route in object_routes():
        model = object_kind(route, probe)
        if model is not None and model._meta.label in BUILDERS and route.allows("get"):
            urls += [route.url(value) for value in world.values(model, "in")]
    client = client_for_user(district_editor)
    found, pages = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        assert "script-src 'self'" in response["Content-Security-Policy"]
        found += [f"{url}: {problem}" for problem in inline_code(response.content.decode())]
    assert pages >= 50
    assert not found, "\n".join(found)
