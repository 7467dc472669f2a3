from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.roles import is_admin, is_coordinator, is_hr_viewer


def navigation(request) -> dict:
    """Role-aware main navigation; templates render it and make no role checks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(reverse("home"), _("Home"), "home")]
    if is_hr_viewer(user):
        items.append((reverse("hr:participation"), _("Participation"), "participation"))
    if not is_hr_viewer(user):
        items.append((reverse("meetings:list"), _("Meetings"), "list"))
    if is_coordinator(user) and not is_hr_viewer(user):
        items.append((reverse("forums:create"), _("New forum"), "create"))
    if is_admin(user):
        items.append((reverse("admin:index"), _("Administration"), "admin"))
    items.append((reverse("notification_settings"), _("My account"), "notification_settings"))
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {
        "nav_items": [
            {"url": url, "label": label, "key": key, "current": key == current}
            for url, label, key in items
        ]
    }
