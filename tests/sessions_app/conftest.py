import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service errors raised outside a request are matched in English here."""
    with translation.override("en"):
        yield
