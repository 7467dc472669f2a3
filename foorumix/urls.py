from django.contrib import admin
from django.urls import include, path

from foorumix import home, views
from forums import views as forum_views
from members import views as member_views

urlpatterns = [
    path("", home.home, name="home"),
    path("language/", member_views.set_language, name="set_language"),
    path("settings/email/", member_views.notification_settings, name="notification_settings"),
    path("healthz", views.healthz, name="healthz"),
    path("forums/", include("forums.urls")),
    path("invitations/<str:token>/", forum_views.invitation, name="invitation"),
    path("", include("sessions_app.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "foorumix.views.error_403"
handler404 = "foorumix.views.error_404"
handler500 = "foorumix.views.error_500"
