import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_without_secrets(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}
    body = response.content.decode()
    assert settings.SECRET_KEY not in body
    assert "127.0.0.1" not in body
    assert response.headers["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_but_stays_up(client, settings):
    from foorumix.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unreachable"}
