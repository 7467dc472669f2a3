from django.urls import path

from forums import views

app_name = "forums"

urlpatterns = [
    path("new/", views.forum_create, name="create"),
    path("<int:forum_id>/", views.forum_detail, name="detail"),
    path("<int:forum_id>/edit/", views.forum_edit, name="edit"),
    path("<int:forum_id>/agreement/", views.agreement, name="agreement"),
    path("<int:forum_id>/agreement/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:forum_id>/invitations/", views.invitations, name="invitations"),
    path(
        "<int:forum_id>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:forum_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:forum_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:forum_id>/leave/", views.leave, name="leave"),
    path("<int:forum_id>/audit/", views.audit, name="audit"),
]
