"""Every form, fuzzed: any text, broken UTF-8, NUL bytes, very long strings, huge and
negative numbers, impossible dates, Rupiah written every way, random bytes as uploads.
The answer must be the form again (with a message) or a redirect, never a server error.

The form pages are found through the URL resolver (views that build a form, or that
take a POST), the field names are read from the rendered HTML, so a new form is fuzzed
the day it lands. The Django test client raises a view's exception, so a 500 fails.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from works.tests.factories import pdf_file, tiny_png

from .sweep import Route, World, all_routes, client_for_user, object_kind

EXAMPLES = 25
# Counted for docs/security.md (printed by the last test).
FUZZED = {"forms": 0, "inputs": 0, "saved": 0, "queries": 0}

NASTY_TEXT = [
    b"",
    b" ",
    b"\x00",
    b"a\x00b",
    b"\xed\xa0\x80",  # a lone surrogate as a browser would never send it
    b"\xff\xfe\xfd",  # not UTF-8 at all
    b"\xc3",  # a cut UTF-8 sequence
    "🏠 ٣ １２３ Ñ".encode(),
    b"x" * 100_000,
    b"-1",
    b"0",
    b"-0",
    b"99999999999999999999999999999999",
    b"-99999999999999999999999999999999",
    b"1e309",
    b"-1e309",
    b"NaN",
    b"Infinity",
    b"1.5",
    b"1,5",
    b"2026-02-30",
    b"31/13/2026",
    b"0000-00-00",
    b"9999-12-31",
    b"10000-01-01",
    b"2026-13-01T25:61",
    b"Rp -5.000",
    b"Rp 1.000.000.000.000.000.000",
    b"Rp 750.000.000",
    "Rp\u00a0750.000".encode(),
    b"<script>alert(1)</script>",
    b"' OR 1=1 --",
    b"../../etc/passwd",
    b'=HYPERLINK("http://x")',
    b"35.19.09.2010",
    b"35.01.04.2014",
]
FILE_NAMES = ["a.pdf", "b.png", "c.jpg", "d.csv", "e.xlsx", "f.exe", "", "../../x.pdf", "ü.PDF"]


# --- Finding the forms -------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: action, and each field with its type, rendered value
    and (for a select) its options."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            if (attrs.get("method") or "get").lower() == "post":
                self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select["options"].append(attrs.get("value", ""))
        elif tag in ("input", "select", "textarea"):
            kind = (attrs.get("type") or tag).lower()
            field = {"type": kind, "value": attrs.get("value", ""), "options": []}
            self._form["fields"].setdefault(attrs["name"], field)
            if tag == "select":
                self._select = field
        if tag == "option" and self._select is not None and "value" not in attrs:
            self._select["options"].append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_routes() -> list[Route]:
    """Every page that takes a form: views that build one or accept a POST."""
    found = []
    for route in all_routes():
        view = route.view_class
        if view is None or view.__module__.startswith("django.contrib.admin"):
            continue
        # Django's own auth views: the ones without a token, but not logout (it would
        # end the fuzzing session).
        if view.__module__.startswith("django.") and (route.kwargs or "logout" in route.name):
            continue
        if route.allows("post") or hasattr(view, "get_form"):
            found.append(route)
    return found


def _page_showing_form(route: Route, url: str) -> str:
    """A POST-only action's form sits on the object's page: the URL one level up."""
    return url if route.allows("get") else url.rstrip("/").rsplit("/", 1)[0] + "/"


def _fields_for(client, route: Route, url: str) -> dict:
    page = client.get(_page_showing_form(route, url))
    assert page.status_code == 200, (route.route, page.status_code)
    forms = forms_on(page.content.decode())
    path = url.split("?")[0]
    matching = [form for form in forms if form["action"] in (path, "")] or forms
    fields = {}
    for form in matching:
        for name, field in form["fields"].items():
            fields.setdefault(name, field)
    fields.pop("csrfmiddlewaretoken", None)
    return fields


# --- Encoding what a broken client could send ----------------------------------------------


def _urlencoded(values: dict[str, bytes]) -> bytes:
    return "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}"
        for name, value in values.items()
    ).encode()


def _multipart(values: dict[str, bytes], files: dict[str, tuple[str, bytes]], boundary: str):
    parts = []
    for name, value in values.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def _value(field) -> st.SearchStrategy:
    choices = [st.just(field["value"].encode())] if field["value"] else []
    if field["options"]:
        choices.append(st.sampled_from([option.encode() for option in field["options"]]))
    choices += [
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: str(n).encode()),
        st.dates().map(lambda day: day.isoformat().encode()),
        st.binary(max_size=40),
    ]
    return st.one_of(choices)


PLAUSIBLE = [
    (re.compile(r"nik"), b"3519014101900001"),
    (re.compile(r"phone|telp"), b"081234567890"),
    (re.compile(r"year|tahun"), b"2020"),
    (re.compile(r"month"), b"7"),
    (re.compile(r"date|_on$|start|end|tanggal"), b"2020-07-01"),
    (re.compile(r"amount|budget|value|cost|wage|spent|nilai"), b"1000000"),
    (re.compile(r"^(rt|rw|termin|priority|men|women|people|households|volume)"), b"1"),
]


def _plausible(name: str, field) -> bytes:
    """A value that passes the field on its own, so that fuzzing one field reaches the
    form's and the service's rules instead of stopping at the others."""
    if field["value"] and field["type"] != "checkbox":
        return field["value"].encode()
    options = [option for option in field["options"] if option]
    if options:
        return options[0].encode()
    if field["type"] == "checkbox":
        return b"on"
    for pattern, value in PLAUSIBLE:
        if pattern.search(name):
            return value
    return {"number": b"10", "date": b"2020-07-01", "email": b"uji@example.id"}.get(
        field["type"], b"Uji coba"
    )


def _file() -> st.SearchStrategy:
    content = st.one_of(
        st.binary(max_size=3000),
        st.just(tiny_png()),
        st.just(pdf_file().read()),
        st.just(b"%PDF-" + b"\x00" * 100),
        st.just(b"nama,nik\nSiti,3519\n"),
        st.just(b"PK\x03\x04" + b"\x00" * 60),
    )
    return st.tuples(st.sampled_from(FILE_NAMES), content)


# --- The fuzz tests ------------------------------------------------------------------------


ROUTES = form_routes()


def _route_id(route):
    return route.name or route.route


@pytest.fixture
def officer_client(db, regions, national_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_FAILURE_LIMIT = 10_000  # the lockout is tested in accounts/
    return client_for_user(national_officer)


def _url_for(route: Route, client) -> str:
    if not route.kwargs:
        return route.url()
    model = object_kind(route, client)
    assert model is not None, f"the fuzzer cannot tell what {route.route} is about"
    world = World()
    values = world.values(model, "in")
    # A region page is about one level (desa or kabupaten): take the one that opens.
    for value in values:
        url = route.url(value)
        if client.get(_page_showing_form(route, url)).status_code == 200:
            return url
    return route.url(values[0])


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_no_form_answers_fuzzed_input_with_a_server_error(route, officer_client):
    """As the national officer, who may use every form on every row."""
    client = officer_client
    url = _url_for(route, client)
    fields = _fields_for(client, route, url)
    file_fields = [name for name, field in fields.items() if field["type"] == "file"]
    text_fields = {
        name: field
        for name, field in fields.items()
        if field["type"] not in ("file", "submit", "button", "reset", "image")
    }
    assert fields or route.name.endswith("_review"), f"no form fields found for {url}"
    FUZZED["forms"] += 1
    names = sorted(text_fields) or ["-"]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def post(data):
        # One or two fields get fuzzed values, the others plausible ones.
        fuzzed = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=2), label="fuzz")
        values = {}
        for name, field in text_fields.items():
            if name not in fuzzed:
                values[name] = _plausible(name, field)
            elif field["type"] in ("checkbox", "radio") and data.draw(st.booleans()):
                continue
            else:
                values[name] = data.draw(_value(field), label=name)
        files = {name: data.draw(_file(), label=name) for name in file_fields}
        FUZZED["inputs"] += 1
        if files:
            boundary = "fuzzBoundary7MA4YWxkTrZu0gW"
            body = _multipart(values, files, boundary)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body, content_type = _urlencoded(values), "application/x-www-form-urlencoded"
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code in (200, 302, 400), (url, response.status_code)
        FUZZED["saved"] += response.status_code == 302

    post()


# Query parameters the list pages, dashboards and reports read besides their filter forms.
QUERY_NAMES = ["page", "export", "sort", "level", "within", "region", "zoom", "bbox"]
QUERY_NAMES += ["fiscal_year", "kelurahan", "kabupaten", "totals_level", "format", "template"]
GET_EXAMPLES = 10
GET_ROUTES = [route for route in all_routes() if route.allows("get") and not route.kwargs]


@pytest.mark.parametrize("route", GET_ROUTES, ids=_route_id)
def test_no_page_answers_fuzzed_query_parameters_with_a_server_error(route, officer_client):
    """Filters and the parameters views read themselves, on every page without an id."""
    client = officer_client
    url = route.url()
    page = client.get(url)
    names = set(QUERY_NAMES)
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        names |= {name for form in _get_forms(page.content.decode()) for name in form}
    names = sorted(names)

    @settings(
        max_examples=GET_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def get(data):
        chosen = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=3), label="names")
        values = {name: data.draw(st.sampled_from(NASTY_TEXT), label=name) for name in chosen}
        FUZZED["queries"] += 1
        response = client.get(f"{url}?{_urlencoded(values).decode()}")
        assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)

    get()


def _get_forms(html: str) -> list[list[str]]:
    """The field names of the GET forms (filters) of a page."""
    names, current = [], None
    for match in re.finditer(r"<form\b[^>]*>|</form>|<(?:input|select|textarea)\b[^>]*>", html):
        tag = match.group(0)
        if tag.startswith("<form"):
            current = [] if 'method="get"' in tag.lower() or "method" not in tag else None
            if current is not None:
                names.append(current)
        elif tag == "</form>":
            current = None
        elif current is not None:
            found = re.search(r'name="([^"]+)"', tag)
            if found:
                current.append(found.group(1))
    return names


def test_login_answers_fuzzed_input_with_the_form(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 10_000  # the lockout is tested in accounts/

    @settings_for_login
    @given(username=st.sampled_from(NASTY_TEXT), password=st.sampled_from(NASTY_TEXT))
    def post(username, password):
        FUZZED["inputs"] += 1
        body = _urlencoded({"username": username, "password": password})
        response = client.generic(
            "POST", "/akun/login/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
        assert re.search(rb'name="username"', response.content)

    post()


settings_for_login = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def test_fuzz_summary(capsys):
    with capsys.disabled():
        print(
            f"\nFuzzing: {FUZZED['forms']} forms, {EXAMPLES} examples each, "
            f"{FUZZED['inputs']} inputs in all, {FUZZED['saved']} of them accepted; "
            f"{FUZZED['queries']} fuzzed query strings on {len(GET_ROUTES)} pages"
        )
    assert FUZZED["inputs"] >= FUZZED["forms"]


# --- Regressions: server errors the fuzzing found --------------------------------------------


def test_a_nul_byte_as_the_kabupaten_of_a_slum_area_is_a_form_error(
    officer_client, national_officer
):
    """PostgreSQL refuses a NUL byte in a query: the posted kabupaten was looked up
    before the form checked it."""
    from slums.tests.factories import SlumAreaFactory

    area = SlumAreaFactory()
    url = f"/kumuh/{area.pk}/ubah/"
    response = officer_client.post(url, {"name": "Kawasan", "kabupaten": "\x00"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["kabupaten"]


def test_history_of_users_leaves_out_what_their_history_does_not_keep(
    officer_client, national_officer
):
    """A user's history has no password column: listing it failed with a server error."""
    national_officer.first_name = "Renamed"
    national_officer.save()
    response = officer_client.get("/riwayat/", {"kind": "accounts.user"})
    assert response.status_code == 200
    assert "Renamed" in response.content.decode()
