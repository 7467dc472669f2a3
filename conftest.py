"""Root conftest."""


def pytest_configure(config):
    # Tests run Celery tasks eagerly unless a test starts a real worker itself. Celery
    # reads Django settings lazily, so setting this before the first task is enough.
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = True
