"""A person's rights over their data: see it, take it, correct it, delete the account
(GDPR articles 15-17 and 20). What each app holds is registered in
foorumix/personal_data.py; these pages only show it, and the export contains nothing
the person could not already see."""

from __future__ import annotations

import json
from datetime import date, datetime

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foorumix import personal_data
from members.erasure import request_deletion
from members.forms import DeleteAccountForm, ProfileForm
from members.tasks import erase_account

# Headings for the export's field names on the readable page (the JSON keeps the keys).
LABELS = {
    "email": gettext_lazy("Email address"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "language": gettext_lazy("Language"),
    "employer": gettext_lazy("Employer"),
    "unit": gettext_lazy("Unit"),
    "coordinator": gettext_lazy("Coordinator"),
    "hr_viewer_of": gettext_lazy("HR viewer of"),
    "administrator": gettext_lazy("Administrator"),
    "date_joined": gettext_lazy("Account created"),
    "last_login": gettext_lazy("Last signed in"),
    "password_set": gettext_lazy("Password set"),
    "verified": gettext_lazy("Verified"),
    "primary": gettext_lazy("Primary"),
    "type": gettext_lazy("Type"),
    "created_at": gettext_lazy("Created"),
    "last_used_at": gettext_lazy("Last used"),
    "reminders": gettext_lazy("Reminders"),
    "meeting_updates": gettext_lazy("Meeting updates"),
    "pulse": gettext_lazy("Feedback pulse"),
    "declines": gettext_lazy("Notices when a member cannot come"),
    "forum": gettext_lazy("Forum"),
    "name": gettext_lazy("Name"),
    "joined_at": gettext_lazy("Joined"),
    "accepted_agreement_version": gettext_lazy("Agreement version accepted"),
    "ended_at": gettext_lazy("Ended"),
    "end_reason": gettext_lazy("Why it ended"),
    "agreement__forum__name": gettext_lazy("Forum"),
    "agreement__version": gettext_lazy("Version"),
    "accepted_at": gettext_lazy("Accepted"),
    "sent_to": gettext_lazy("Sent to"),
    "expires_at": gettext_lazy("Expires"),
    "revoked_at": gettext_lazy("Revoked"),
    "meeting_starts_at": gettext_lazy("Meeting"),
    "rsvp": gettext_lazy("Your answer"),
    "rsvp_at": gettext_lazy("Answered"),
    "note_to_coordinator": gettext_lazy("Note to the coordinator"),
    "attended": gettext_lazy("Attended"),
    "current_situation": gettext_lazy("What is going on for me"),
    "to_bring": gettext_lazy("What I want to bring to the group"),
    "shared_with_the_group": gettext_lazy("Shared with the group"),
    "updated_at": gettext_lazy("Updated"),
    "poll": gettext_lazy("Poll"),
    "slot_starts_at": gettext_lazy("Time"),
    "answer": gettext_lazy("Answer"),
    "title": gettext_lazy("Title"),
    "proposed_by_me": gettext_lazy("Proposed by you"),
    "voted_by_me": gettext_lazy("Your vote"),
    "event": gettext_lazy("Event"),
    "at": gettext_lazy("When"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "recipient_email": gettext_lazy("To"),
    "sent_at": gettext_lazy("Sent"),
    "answered": gettext_lazy("Answered"),
    "action": gettext_lazy("Event"),
    "by_me": gettext_lazy("By you"),
    "about_me": gettext_lazy("About you"),
    "detail": gettext_lazy("Detail"),
}


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything Foorumix holds about the signed-in person, readable."""
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "note": section.note,
            "rows": [
                [(LABELS.get(key, key), _shown(value)) for key, value in row.items()]
                for row in section.export(request.user)
            ],
        }
        for section in personal_data.sections()
    ]
    return render(request, "members/my_data.html", {"sections": sections})


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    """The same as JSON (portability: GDPR article 20)."""
    document = {
        "service": "Foorumix",
        "generated_at": timezone.now(),
        "about": _(
            "Everything Foorumix holds about you. Your pulse answers are stored without "
            "any link to you, so they are not here and cannot be."
        ),
        **personal_data.export(request.user),
    }
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"foorumix-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name was saved."))
        return redirect("profile")
    return render(request, "members/profile.html", {"form": form})


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Explains what deletion does; on a confirmed POST, ends access at once and leaves
    the erasure to the worker (members/erasure.py)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
        elif form.is_valid():
            user_id = request.user.pk
            request_deletion(request.user)
            transaction.on_commit(lambda: erase_account.delay(user_id))
            logout(request)
            return render(request, "members/account_deleted.html")
    context = {"form": form, "retention_months": settings.FOORUMIX_ACCOUNT_RETENTION_MONTHS}
    return render(request, "members/delete_account.html", context)
