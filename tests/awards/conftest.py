"""The awards pages' tests share one world: a region-year of three units ready for awards."""

import pytest

from tests.awards.factories import make_awards_world


@pytest.fixture
def world():
    return make_awards_world(3)
