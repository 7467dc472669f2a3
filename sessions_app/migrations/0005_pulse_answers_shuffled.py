"""Answers stored before the staging table existed lie in the order they were given,
the two answer tables row by row alike: rewrite each table in its own random order.

On PostgreSQL, VACUUM FULL then rewrites the tables' files, so the old row versions (and
with them the old order) are not left behind in the data files. Safe to run again; going
back changes nothing.
"""

import random

from django.db import migrations

ANSWER_TABLES = ("ForumPulseAnswer", "OrganisationPulseAnswer")


def shuffle_answers(apps, schema_editor) -> None:
    shuffle = random.SystemRandom().shuffle
    for name in ANSWER_TABLES:
        model = apps.get_model("sessions_app", name)
        rows = list(model.objects.all())
        if not rows:
            continue
        shuffle(rows)
        model.objects.all().delete()
        model.objects.bulk_create(rows, batch_size=500)


def vacuum_answer_tables(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in ANSWER_TABLES:
            table = apps.get_model("sessions_app", name)._meta.db_table
            cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction; the shuffle itself is one.
    atomic = False

    dependencies = [
        ("sessions_app", "0004_private_texts_encrypted"),
    ]

    operations = [
        migrations.RunPython(shuffle_answers, migrations.RunPython.noop, atomic=True),
        migrations.RunPython(vacuum_answer_tables, migrations.RunPython.noop, atomic=False),
    ]
