"""The pulse: the one-time answer link (TOKEN) and a forum's results (FORUM_COORDINATOR).
The paths are the ones that went out in emails before the pulse had its own package."""

from django.urls import path

from sessions_app.pulse import views

app_name = "pulse"
urlpatterns = [
    path("pulse/<str:token>/", views.answer, name="answer"),
    path("forums/<int:forum_id>/pulse/", views.forum_results, name="forum_results"),
]
