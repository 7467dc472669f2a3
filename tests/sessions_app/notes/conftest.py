"""Voikko on and off for the anonymiser's tests."""

import os

import pytest

from sessions_app.notes import anonymiser
from sessions_app.notes.anonymiser import voikko as voikko_module


def require_voikko():
    """Skip without Voikko, or fail when the services are required (CI)."""
    if anonymiser.voikko_available():
        return
    reason = (
        "Voikko is not available: needs the libvoikko package (extra 'voikko') and the Debian "
        "packages libvoikko1 and voikko-fi"
    )
    if os.environ.get("FOORUMIX_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def voikko():
    require_voikko()


@pytest.fixture
def fallback(monkeypatch):
    monkeypatch.setattr(voikko_module, "enabled", False)


@pytest.fixture(params=["voikko", "fallback"])
def mode(request, monkeypatch):
    if request.param == "voikko":
        require_voikko()
    else:
        monkeypatch.setattr(voikko_module, "enabled", False)
    return request.param
