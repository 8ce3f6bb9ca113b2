"""``row_links`` gives each row the URL ``reverse`` gives it, under a script prefix too."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.pages import row_links


@pytest.mark.parametrize("prefix", ["/", "/thidua/"])
def test_each_row_has_the_url_reverse_gives(prefix):
    set_script_prefix(prefix)
    try:
        unit_url, sign_url = row_links("regions:unit_detail"), row_links("pacts:pact_sign", 7)
        for key in (1, 9, 10, 98765, 9_876_543_210):
            assert unit_url(key) == reverse("regions:unit_detail", args=[key])
            assert sign_url(key) == reverse("pacts:pact_sign", args=[7, key])
        assert unit_url(3).startswith(prefix)
    finally:
        set_script_prefix("/")


def test_a_key_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        row_links("regions:unit_detail")("1/../admin")
    with pytest.raises(NoReverseMatch):
        row_links("regions:unit_list")
