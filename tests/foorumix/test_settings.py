"""Settings come from the environment; a bad value stops start-up with a clear message."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import run_manage

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "foorumix.example.org",
    "FOORUMIX_NOTES_KEYS": "dGVzdC1vbmx5LW5vdGVzLWtleS0wMTIzNDU2Nzg5YWI=",
}


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("DATABASE_URL", "mysql://localhost/foorumix", "DATABASE_URL must be a postgres://"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must look like redis://"),
        ("EMAIL_TIMEOUT", "soon", "EMAIL_TIMEOUT must be a whole number"),
        ("EMAIL_URL", "carrierpigeon://coop", "EMAIL_URL must use one of"),
        ("ALLOWED_HOSTS", "a,,b", "ALLOWED_HOSTS must be a comma-separated list"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
    ],
)
def test_malformed_variable_stops_startup_with_clear_message(variable, value, message):
    result = run_manage("check", **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="foorumix.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_production_with_short_secret_key_refuses_to_start():
    result = run_manage(
        "check",
        DEBUG="false",
        ALLOWED_HOSTS="foorumix.example.org",
        SECRET_KEY="short",
        FOORUMIX_NOTES_KEYS=PRODUCTION["FOORUMIX_NOTES_KEYS"],
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_flags_debug_mode():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="true",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_time_zone_is_helsinki_and_aware():
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert settings.USE_TZ is True


def test_argon2_is_the_first_password_hasher_and_validators_are_on():
    from foorumix import settings as project_settings

    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    names = {
        validator["NAME"].rsplit(".", 1)[1]
        for validator in project_settings.AUTH_PASSWORD_VALIDATORS
    }
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


def test_finnish_is_the_default_language_with_swedish_and_english():
    assert settings.LANGUAGE_CODE == "fi"
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "sv", "en"]
