"""HR aggregate and pulse URLs. Access classes (tests/test_access_policy.py):
participation and participation_csv HR; pulse TOKEN; forum_pulse FORUM_COORDINATOR."""

from django.urls import path

from sessions_app.hr import views as hr_views

app_name = "hr"
urlpatterns = [
    path("hr/participation/", hr_views.participation, name="participation"),
    path("hr/participation.csv", hr_views.participation_csv, name="participation_csv"),
    path("pulse/<str:token>/", hr_views.pulse, name="pulse"),
    path("forums/<int:forum_id>/pulse/", hr_views.forum_pulse, name="forum_pulse"),
]
