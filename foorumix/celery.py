"""The Celery application.

The broker only carries "go look" messages; the state of every job lives in the
database (see foorumix/outbox.py). Exactly one beat process runs; any number of workers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foorumix.settings")

app = Celery("foorumix")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["foorumix"])
