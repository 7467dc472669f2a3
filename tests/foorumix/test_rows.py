"""foorumix.rows: hand-written statements give what the ORM gives (instances with the
backend's conversions, aware datetimes), and on PostgreSQL each statement is prepared once
per connection, survives a rollback and is prepared again on a new connection."""

import pytest
from django.db import connection, transaction

from foorumix.rows import columns, fetch, instance, moment
from forums.models import Forum
from tests.real_services import require_postgres

pytestmark = pytest.mark.django_db


def prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'foorumix_%%'")
        return {name for (name,) in cursor.fetchall()}


def test_an_instance_read_by_hand_equals_the_orms(forum):
    (row,) = fetch(f"SELECT {columns(Forum, 'f')} FROM forums_forum f WHERE f.id = %s", [forum.pk])
    read = instance(Forum, row)
    expected = Forum.objects.get(pk=forum.pk)
    for field in Forum._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.created_at.tzinfo is not None and not read._state.adding
    assert instance(Forum, [None] * len(Forum._meta.concrete_fields)) is None


def test_parameters_and_percent_signs_keep_their_meaning(forum):
    assert "orumi" in forum.name
    sql = "SELECT name, name LIKE '%%orumi%%', %s FROM forums_forum WHERE id = %s"
    ((name, like, text),) = fetch(sql, ["x", forum.pk])
    assert (name, bool(like), text) == (forum.name, True, "x")
    assert moment(fetch("SELECT created_at FROM forums_forum WHERE id = %s", [forum.pk])[0][0])


@pytest.mark.django_db(transaction=True)
def test_postgres_prepares_each_statement_once_per_connection(forum, other_forum):
    require_postgres()
    sql = "SELECT name FROM forums_forum WHERE id = %s"
    before = prepared_names()
    assert fetch(sql, [forum.pk]) == [(forum.name,)]
    new = prepared_names() - before
    assert len(new) == 1
    # Executed again by name, with other parameters; inside a transaction that rolls back
    # the statement stays prepared.
    with transaction.atomic():
        assert fetch(sql, [other_forum.pk]) == [(other_forum.name,)]
        transaction.set_rollback(True)
    assert prepared_names() - before == new
    assert fetch(sql, [forum.pk]) == [(forum.name,)]
    # A new connection has nothing prepared: the statement is prepared again there.
    connection.close()
    assert prepared_names() == set()
    assert fetch(sql, [other_forum.pk]) == [(other_forum.name,)]
    assert prepared_names() == new
