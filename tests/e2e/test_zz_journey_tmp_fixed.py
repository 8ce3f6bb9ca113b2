"""TEMPORARY (journey helper): runs the awards journey with the three proposed template fixes simulated."""

import re

import pytest

from tests.e2e.test_awards_journey import journey  # noqa: F401
from tests.e2e.test_awards_journey import test_a_unit_registers_is_scored_voted_up_and_awarded_the_flag  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fix(route):
    response = route.fetch()
    body = response.text().replace("btn-outline-warning", "btn-warning")
    body = re.sub(r'(id|aria-describedby)="([a-z]+_\d+)-error"', r'\1="id_\2_error"', body)
    body = re.sub(r'(class="table-success">\s*<th[^>]*>)<a ', r'\1<a class="link-body-emphasis" ', body)
    route.fulfill(response=response, body=body)


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_():
        context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.route(re.compile(r"/(awards/(registrations|scores)|campaigns)/"), _fix)
        return page

    yield open_
    for context in contexts:
        context.close()
