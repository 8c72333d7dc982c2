"""Every link a page shows opens for the user who sees it.

As each demo user, on the demo data, the pages reachable from the start page by their
links are visited (a bounded crawl: a few of each kind of URL), and none may answer 403
or 404. A page that shows a button its user may not use, or links to a record outside
the user's places, fails here with the page that showed the link. (The access sweep,
test_url_sweep.py, checks the other side: what each URL answers to whom.)
"""

import collections
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_USERS
from accounts.models import User

# Not pages to crawl: the admin (its own links, its own tests), logging out, the language
# form's target, uploaded files, downloads and exports.
SKIP = re.compile(r"^/(admin|akun/logout|bahasa|berkas)/|[?&](export|template)=")
PER_KIND = 2  # URLs of one kind (the path, with numbers as N) visited, whatever the query
MAX_PAGES = 200  # per user


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urljoin(f"http://testserver{base}", href))
        if url.netloc == "testserver":
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def crawl(client) -> tuple[int, list]:
    """(pages visited, [(status, URL, the page that linked to it)] of every refusal)."""
    queue = collections.deque([("/", "")])
    seen, kinds, refused, visited = {"/"}, collections.Counter(), [], 0
    while queue and visited < MAX_PAGES:
        path, came_from = queue.popleft()
        kind = kind_of(path)
        kinds[kind] += 1
        if kinds[kind] > PER_KIND:
            continue
        response = client.get(path)
        visited += 1
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            path = target.path + (f"?{target.query}" if target.query else "")
            response = client.get(path)
        if response.status_code in (403, 404):
            refused.append((response.status_code, path, came_from))
            continue
        assert response.status_code == 200, (path, came_from, response.status_code)
        if response.streaming or "text/html" not in response["Content-Type"]:
            continue
        for link in links_of(response.content.decode(), path):
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append((link, path))
    return visited, refused


@pytest.mark.django_db
def test_every_link_opens_for_the_user_who_sees_it(client):
    call_command("load_demo", verbosity=0)
    refused, visited = {}, {}
    for username, *_rest in DEMO_USERS:
        client.force_login(User.objects.get(username=username))
        visited[username], refused[username] = crawl(client)
        client.logout()
    assert all(count >= 20 for count in visited.values()), visited
    assert refused == {username: [] for username, *_rest in DEMO_USERS}
