from django.urls import path

from sessions_app.meetings import planning_views as planning
from sessions_app.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("forums/<int:forum_id>/meetings/new/", views.meeting_schedule, name="schedule"),
    path("forums/<int:forum_id>/polls/new/", planning.poll_create, name="poll_create"),
    path("forums/<int:forum_id>/themes/", planning.themes, name="themes"),
    path(
        "forums/<int:forum_id>/themes/<int:theme_id>/vote/",
        planning.theme_vote,
        name="theme_vote",
    ),
    path("polls/<int:poll_id>/", planning.poll_detail, name="poll"),
    path("polls/<int:poll_id>/slots/<int:slot_id>/pick/", planning.poll_pick, name="poll_pick"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("meetings/<int:meeting_id>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path("meetings/<int:meeting_id>/preparation/", views.meeting_preparation, name="preparation"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<int:meeting_id>/calendar.ics", views.meeting_ics, name="ics"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]
