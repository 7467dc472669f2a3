"""HR aggregate URLs. Access class (tests/test_access_policy.py): HR, own organisation."""

from django.urls import path

from sessions_app.hr import views as views

app_name = "hr"
urlpatterns = [
    path("hr/participation/", views.participation, name="participation"),
    path("hr/participation.csv", views.participation_csv, name="participation_csv"),
]
