"""Session notes URLs. Access: forum_notes and meeting_notes are for the forum's members
and coordinators; meeting_notes_edit for its coordinators and the meeting's note-taker
(other members 403). Outsiders and HR get 404 on all three."""

from django.urls import path

from sessions_app.notes import views as notes_views

app_name = "notes"
urlpatterns = [
    path("forums/<int:forum_id>/notes/", notes_views.forum_notes, name="forum_notes"),
    path("meetings/<int:meeting_id>/notes/", notes_views.meeting_notes, name="meeting_notes"),
    path(
        "meetings/<int:meeting_id>/notes/edit/",
        notes_views.meeting_notes_edit,
        name="meeting_notes_edit",
    ),
]
