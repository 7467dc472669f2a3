from django.urls import include, path

from sessions_app.meetings import calendar_views, views
from sessions_app.polls import views as polls
from sessions_app.themes import views as themes

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("forums/<int:forum_id>/meetings/new/", views.meeting_schedule, name="schedule"),
    path("forums/<int:forum_id>/polls/new/", polls.poll_create, name="poll_create"),
    path("forums/<int:forum_id>/themes/", themes.themes, name="themes"),
    path(
        "forums/<int:forum_id>/themes/<int:theme_id>/vote/",
        themes.theme_vote,
        name="theme_vote",
    ),
    path("", include("sessions_app.themes.urls")),
    path("polls/<int:poll_id>/", polls.poll_detail, name="poll"),
    path("polls/<int:poll_id>/slots/<int:slot_id>/pick/", polls.poll_pick, name="poll_pick"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("meetings/<int:meeting_id>/rsvp/", views.meeting_rsvp, name="rsvp"),
    path("meetings/<int:meeting_id>/preparation/", views.meeting_preparation, name="preparation"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="cancel"),
    path("meetings/<int:meeting_id>/nudge/", views.meeting_nudge, name="nudge"),
    path("meetings/<int:meeting_id>/attendance/", views.meeting_attendance, name="attendance"),
    path("meetings/<int:meeting_id>/calendar.ics", calendar_views.meeting_ics, name="ics"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="feed"),
]
