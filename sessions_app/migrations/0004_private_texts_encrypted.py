"""Members' private texts are stored encrypted; the pulse's staging table.

The preparation texts and the notes to the coordinator become EncryptedTextFields
(foorumix/crypto.py) and every existing value, also "", is encrypted in place. Safe to
run again: a value that already has a token's shape is left as it is. Reversible while
the keys that encrypted the values are configured: going back decrypts them, and writes
any staged pulse answers into the answer tables before the staging table is dropped.
"""

import json
import random
import uuid
from datetime import date

from django.db import migrations, models

import foorumix.crypto
from foorumix import crypto

PRIVATE_TEXTS = {
    "participation": ("absence_note",),
    "preparation": ("current_situation", "to_bring"),
}
# The score columns in the order of PULSE_QUESTION_NAMES when this migration was written.
SCORE_COLUMNS = ("useful", "safe_place", "important_to_group", "helps_coping")


def _seal(value):
    if value is not None and crypto.looks_encrypted(value):
        return value  # encrypted by an earlier run
    return crypto.encrypt_private(value or "")


def _open(value):
    if value is None or not crypto.looks_encrypted(value):
        return value
    return crypto.decrypt_private(value)  # UndecryptableError stops the reversal


def _convert(apps, schema_editor, convert) -> None:
    # Raw SQL: the model field would decrypt on reading and encrypt on writing.
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, columns in PRIVATE_TEXTS.items():
        table = quote(apps.get_model("sessions_app", model_name)._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {names} FROM {table} ORDER BY id")  # noqa: S608
            changes = []
            for pk, *values in cursor.fetchall():
                converted = [convert(value) for value in values]
                if converted != values:
                    changes.append((*converted, pk))
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                changes,
            )


def encrypt_private_texts(apps, schema_editor) -> None:
    _convert(apps, schema_editor, _seal)


def decrypt_private_texts(apps, schema_editor) -> None:
    _convert(apps, schema_editor, _open)


def write_staged_answers(apps, schema_editor) -> None:
    """Going back: every staged answer goes to its answer table now, in random order."""
    staged = apps.get_model("sessions_app", "StagedPulseAnswer")
    tables = {
        "forum": apps.get_model("sessions_app", "ForumPulseAnswer"),
        "organisation": apps.get_model("sessions_app", "OrganisationPulseAnswer"),
    }
    rows = {name: [] for name in tables}
    for payload in staged.objects.values_list("payload", flat=True):  # decrypted by the field
        if isinstance(payload, crypto.UndecryptableText):
            raise crypto.UndecryptableError("A staged pulse answer fits no configured key.")
        content = json.loads(payload)
        table = content.pop("table")
        scores = dict(zip(SCORE_COLUMNS, content.pop("scores"), strict=True))
        for name in ("answered_on", "month"):
            if name in content:
                content[name] = date.fromisoformat(content[name])
        keys = {"forum": "forum_id", "organisation": "organisation_id", "unit": "unit_id"}
        fields = {keys.get(name, name): value for name, value in content.items()}
        rows[table].append(tables[table](**fields, **scores))
    for name, model in tables.items():
        random.SystemRandom().shuffle(rows[name])
        model.objects.bulk_create(rows[name], batch_size=500)
    staged.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0003_outbox_claim"),
    ]

    operations = [
        migrations.AlterField(
            model_name="participation",
            name="absence_note",
            field=foorumix.crypto.EncryptedTextField(
                blank=True, max_length=500, verbose_name="note to the coordinator"
            ),
        ),
        migrations.AlterField(
            model_name="preparation",
            name="current_situation",
            field=foorumix.crypto.EncryptedTextField(
                blank=True, verbose_name="What is going on for me"
            ),
        ),
        migrations.AlterField(
            model_name="preparation",
            name="to_bring",
            field=foorumix.crypto.EncryptedTextField(
                blank=True, verbose_name="What I want to bring to the group"
            ),
        ),
        migrations.RunPython(encrypt_private_texts, decrypt_private_texts),
        migrations.CreateModel(
            name="StagedPulseAnswer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("release_on", models.DateField(db_index=True)),
                ("payload", foorumix.crypto.EncryptedTextField()),
            ],
        ),
        migrations.RunPython(migrations.RunPython.noop, write_staged_answers),
    ]
