"""Theme URLs beyond the themes page and voting (those are in meetings/urls.py). No
app_name: sessions_app/meetings/urls.py includes this list, so the names live in the
`meetings` namespace (meetings:theme_pick). Access: the forum's coordinators; members
403, outsiders and HR 404."""

from django.urls import path

from sessions_app.themes import views

urlpatterns = [
    path(
        "forums/<int:forum_id>/themes/<int:theme_id>/pick/",
        views.theme_pick,
        name="theme_pick",
    ),
]
