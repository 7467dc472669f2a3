"""The authentication settings: FOORUMIX_MFA_REQUIRED and FOORUMIX_TRUSTED_PROXIES are
parsed strictly; MFA is required by default whenever DEBUG is off."""

import pytest

from tests.foorumix.test_settings import PRODUCTION
from tests.processes import run_manage

SHOW = (
    "from django.conf import settings; "
    "print(settings.FOORUMIX_MFA_REQUIRED, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FOORUMIX_MFA_REQUIRED", "perhaps", "FOORUMIX_MFA_REQUIRED must be true or false"),
        ("FOORUMIX_TRUSTED_PROXIES", "one", "FOORUMIX_TRUSTED_PROXIES must be a whole number"),
        ("FOORUMIX_TRUSTED_PROXIES", "-1", "FOORUMIX_TRUSTED_PROXIES must be at least 0"),
        ("FOORUMIX_TRUSTED_PROXIES", "6", "FOORUMIX_TRUSTED_PROXIES must be at most 5"),
    ],
)
def test_malformed_value_stops_startup(variable, value, message):
    result = run_manage("check", **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_requires_mfa_and_trusts_no_proxy_by_default():
    result = run_manage("shell", "-v", "0", "-c", SHOW, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "0"]


def test_development_defaults_to_no_mfa_requirement():
    result = run_manage("shell", "-v", "0", "-c", SHOW, DEBUG="true")
    assert result.stdout.split() == ["False", "0"]


def test_values_are_read():
    result = run_manage(
        "shell", "-v", "0", "-c", SHOW, DEBUG="true", FOORUMIX_MFA_REQUIRED="yes",
        FOORUMIX_TRUSTED_PROXIES="2",
    )  # fmt: skip
    assert result.stdout.split() == ["True", "2"]


def test_deploy_check_warns_when_production_turns_mfa_off():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", FOORUMIX_MFA_REQUIRED="false",
        **PRODUCTION,
    )  # fmt: skip
    assert result.returncode != 0
    assert "members.W001" in result.stdout + result.stderr
