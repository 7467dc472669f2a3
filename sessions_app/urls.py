"""The URLs of the forums' work: meetings, session notes, HR reports and the pulse.
Each sub-package owns its namespace; tests/test_access_policy.py classifies them all."""

from django.urls import include, path

urlpatterns = [
    path("", include("sessions_app.meetings.urls")),
    path("", include("sessions_app.notes.urls")),
    path("", include("sessions_app.hr.urls")),
    path("", include("sessions_app.pulse.urls")),
    path("", include("sessions_app.live.urls")),
]
