"""FOORUMIX_MIN_GROUP_SIZE: the anonymity threshold, never below 3."""

import pytest
from django.conf import settings

from tests.processes import run_manage


def test_the_threshold_defaults_to_five():
    assert settings.FOORUMIX_MIN_GROUP_SIZE == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2", "FOORUMIX_MIN_GROUP_SIZE must be at least 3, got 2."),
        ("0", "FOORUMIX_MIN_GROUP_SIZE must be at least 3, got 0."),
        ("five", "FOORUMIX_MIN_GROUP_SIZE must be a whole number"),
    ],
)
def test_a_threshold_below_three_stops_startup_with_a_clear_message(value, message):
    result = run_manage("check", FOORUMIX_MIN_GROUP_SIZE=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_threshold_of_three_or_more_is_accepted():
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.FOORUMIX_MIN_GROUP_SIZE)",
        FOORUMIX_MIN_GROUP_SIZE="3",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("3")
