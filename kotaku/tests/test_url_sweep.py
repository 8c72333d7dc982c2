"""The access sweep: every URL pattern that names an object, tried by users out of scope
(→ 404), by a read-only role (→ 403 on writes) and by an in-scope editor (it works).

The patterns come from the URL resolver itself, and the object kind behind each one from
the view (a `sweep_model` attribute, or the table the view looks the id up in), so a
new page is swept the day it lands; a page whose object kind cannot be found fails
`test_every_object_url_names_its_object_kind` with its name.
"""

import pytest

from .sweep import (
    BUILDERS,
    OUT_OF_SCOPE_NAMES,
    World,
    client_for_user,
    list_routes,
    object_kind,
    object_routes,
)

# What a write is posted with: "approve" is an action the read-only role never holds
# (it may verify), and out-of-scope users must get 404 whatever they post.
WRITE_DATA = {"action": "approve", "comment": "sweep"}

# Statistics for the final summary test and docs/security.md.
STATS = {"object_patterns": 0, "other_patterns": 0, "requests": 0}


# --- Fixtures ----------------------------------------------------------------------------


@pytest.fixture
def kinds(db, regions, national_officer):
    """(route, model) for every object URL; a route without a kind is reported, not
    dropped."""
    client = client_for_user(national_officer)
    return [(route, object_kind(route, client)) for route in object_routes()]


@pytest.fixture
def world(settings, tmp_path, kinds):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = World()
    for _route, model in kinds:
        if model is not None and model._meta.label in BUILDERS:
            made.get(model, "in")
            made.get(model, "out")
    return made


def _request(client, method, url, failures, allowed, route):
    STATS["requests"] += 1
    response = getattr(client, method)(url, WRITE_DATA) if method == "post" else client.get(url)
    if response.status_code not in allowed:
        failures.append(f"{method.upper()} {url} ({route.name}): {response.status_code}")
    return response


_client = client_for_user


def _known(kinds):
    """The routes whose object kind the sweep knows (the others fail the first test)."""
    return [(route, model) for route, model in kinds if model and model._meta.label in BUILDERS]


# --- The sweep ---------------------------------------------------------------------------


def test_every_object_url_names_its_object_kind(kinds):
    unknown = [route.route for route, model in kinds if model is None]
    assert not unknown, (
        "The sweep cannot tell which object these URLs are about; give the view a "
        "`sweep_model = <Model>` attribute (or name a non-object URL parameter in "
        f"PARAMETERS): {unknown}"
    )
    without_builder = {m._meta.label for _r, m in kinds if m and m._meta.label not in BUILDERS}
    assert not without_builder, f"add a builder to the sweep for: {sorted(without_builder)}"
    assert len(kinds) >= 50


def test_users_out_of_scope_get_404_on_every_object_url(
    kinds, world, facilitator, outsider, district_reader, district_editor
):
    """The Madiun object for the Pacitan facilitator; the Pacitan object for everyone
    from Madiun (the editor holds the most permissions: a role check before the scope
    check would show up as 403 here)."""
    cases = [(outsider, "in"), (facilitator, "out"), (district_reader, "out")]
    cases.append((district_editor, "out"))
    failures = []
    for user, side in cases:
        client = _client(user)
        for route, model in _known(kinds):
            for value in world.values(model, side):
                url = route.url(value)
                for method in ("get", "post"):
                    # A method the view does not take is refused before any lookup.
                    allowed = {404} if route.allows(method) else {404, 405}
                    _request(client, method, url, failures, allowed, route)
                if route.allows("get"):
                    _request(client, "get", route.url(value, "?export=csv"), failures, {404}, route)
    STATS["object_patterns"] = len(kinds)
    assert not failures, "\n".join(failures)


def _in_scope(client, method, route, values, expected, failures):
    """Requests `route` for each in-scope object; a region URL is about one level only
    (a kelurahan or a kabupaten), so a 404 for the other level is fine as long as one
    level answers `expected`."""
    answers = []
    for value in values:
        response = _request(client, method, route.url(value), [], expected | {404}, route)
        answers.append(response.status_code)
    if not set(answers) & expected or not set(answers) <= expected | {404}:
        failures.append(f"{method.upper()} {route.url(values[0])} ({route.name}): {answers}")
    return answers


def test_read_only_role_gets_403_on_every_write(kinds, world, district_reader):
    client = _client(district_reader)
    failures = []
    writes = 0
    for route, model in _known(kinds):
        values = world.values(model, "in")
        if route.allows("post") and route.view_class is not None:
            writes += 1
            _in_scope(client, "post", route, values, {403}, failures)
        if route.is_form_page:
            _in_scope(client, "get", route, values, {403}, failures)
    assert writes >= 30
    assert not failures, "\n".join(failures)


def test_in_scope_editor_reaches_every_object_page(kinds, world, district_editor):
    """Sanity: the sweep's 404s come from the scope, not from broken URLs."""
    client = _client(district_editor)
    failures = []
    reached = 0
    for route, model in _known(kinds):
        if route.allows("get"):
            answers = _in_scope(
                client, "get", route, world.values(model, "in"), {200, 302}, failures
            )
            reached += 200 in answers
    assert reached >= 30
    assert not failures, "\n".join(failures)


def test_lists_never_show_rows_out_of_scope(world, facilitator, district_editor):
    seen_inside = 0
    failures = []
    routes = [route for route in list_routes() if route.allows("get")]
    STATS["other_patterns"] = len(list_routes())
    for user in (facilitator, district_editor):
        client = _client(user)
        for route in routes:
            for query in ("", "?export=csv"):
                STATS["requests"] += 1
                response = client.get(route.url(query=query))
                if response.status_code in (403, 302, 405):
                    continue
                assert response.status_code == 200, (route.route, response.status_code)
                content = b"".join(response.streaming_content) if response.streaming else None
                text = (content or response.content).decode("utf-8", "replace")
                leaked = [name for name in OUT_OF_SCOPE_NAMES if name in text]
                if leaked:
                    failures.append(f"{user.username} {route.url(query=query)}: {leaked}")
                seen_inside += "sweep in" in text
    assert seen_inside >= 10, "the lists should show the in-scope rows"
    assert not failures, "\n".join(failures)


def test_read_only_role_gets_403_on_create_pages(world, district_reader):
    client = _client(district_reader)
    failures = []
    creates = [route for route in list_routes() if route.is_form_page]
    for route in creates:
        _request(client, "get", route.url(), failures, {403}, route)
        _request(client, "post", route.url(), failures, {403}, route)
    assert len(creates) >= 8
    assert not failures, "\n".join(failures)


def test_admin_is_for_staff_only(client_for, facilitator, district_editor):
    for user in (facilitator, district_editor):
        response = client_for(user).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_sweep_summary(capsys):
    """Runs last in this file: prints the figures docs/security.md quotes."""
    if STATS["requests"]:
        with capsys.disabled():
            print(
                f"\nURL sweep: {STATS['object_patterns']} URL patterns with an object, "
                f"{STATS['other_patterns']} without, {STATS['requests']} requests"
            )
    assert STATS["requests"] == 0 or STATS["object_patterns"] > 0
