"""Shared checks of a list page's Previous/Next pager (the pager include keeps the other query parameters)."""
import re
from html import unescape


def pager_links(body: str) -> dict[str, str]:
    """The Previous/Next links of the pager, unescaped."""
    nav = re.search(r'<nav class="pager".*?</nav>', body, re.S)
    assert nav, "the list has a pager"
    return {label: unescape(href) for href, label in re.findall(r'<a href="([^"]+)">(Previous|Next)</a>', nav.group(0))}


def walk_two_pages(client, url: str, params: dict, kept: str, expected: list, page_size: int) -> tuple[str, str]:
    """Open the list with ``params``, follow Next, and check both pages: the links carry ``kept`` and
    the page number (replaced, not repeated), the rows are ``expected`` in order. The two bodies."""
    first = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200
    links = pager_links(first.content.decode())
    assert links == {"Next": f"?{kept}&page=2"}

    second = client.get(url + links["Next"], HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 200
    body = second.content.decode()
    assert [o.pk for o in second.context["object_list"]] == expected[page_size:]
    assert pager_links(body) == {"Previous": f"?{kept}&page=1"}
    assert "Page 2 of 2" in body
    shown = [o.pk for o in first.context["object_list"]] + [o.pk for o in second.context["object_list"]]
    assert shown == expected
    return first.content.decode(), body
