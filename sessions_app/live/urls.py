from django.urls import path

from sessions_app.live import plan_views, views

app_name = "live"

urlpatterns = [
    path("meetings/<int:meeting_id>/live/", views.room, name="room"),
    path("meetings/<int:meeting_id>/live/state/", views.state, name="state"),
    path("meetings/<int:meeting_id>/live/notepad/", views.notepad, name="notepad"),
    path("meetings/<int:meeting_id>/live/commitment/", views.commitment, name="commitment"),
    path(
        "meetings/<int:meeting_id>/commitment/outcome/",
        views.commitment_outcome,
        name="commitment_outcome",
    ),
    path("meetings/<int:meeting_id>/live/facilitate/", views.facilitate, name="facilitate"),
    path("meetings/<int:meeting_id>/live/screen/", views.screen, name="screen"),
    path("meetings/<int:meeting_id>/live/control/", views.control, name="control"),
    path("meetings/<int:meeting_id>/live/order/", views.order_mode, name="order_mode"),
    path("meetings/<int:meeting_id>/live/presence/", views.presence, name="presence"),
    path("meetings/<int:meeting_id>/plan/", plan_views.meeting_plan, name="meeting_plan"),
    path("forums/<int:forum_id>/plan/", plan_views.forum_plan, name="forum_plan"),
]
