from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from foorumix import home, views
from forums import views as forum_views
from members import privacy_views
from members import views as member_views

# One sign-in path for everyone: the admin's own login page sends to allauth's, which
# has the second factor and the rate limits (a password posted to /admin/login/ signs
# no one in). The MFA requirement covers the admin like every page
# (members.middleware.MFARequiredMiddleware).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home.home, name="home"),
    path("language/", member_views.set_language, name="set_language"),
    path("settings/email/", member_views.notification_settings, name="notification_settings"),
    path("settings/profile/", privacy_views.profile, name="profile"),
    path("settings/my-data/", privacy_views.my_data, name="my_data"),
    path("settings/my-data/download/", privacy_views.my_data_download, name="my_data_download"),
    path("settings/delete-account/", privacy_views.delete_account, name="delete_account"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("healthz", views.healthz, name="healthz"),
    path("forums/", include("forums.urls")),
    path("invitations/<str:token>/", forum_views.invitation, name="invitation"),
    path("", include("sessions_app.urls")),
    # One address per account: allauth's email page without its several-address actions.
    path("accounts/email/", member_views.email_change, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "foorumix.views.error_403"
handler404 = "foorumix.views.error_404"
handler429 = "members.views.rate_limited"
handler500 = "foorumix.views.error_500"
