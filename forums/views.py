import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from foorumix.outbox import failed_for_forum
from forums import invitations as invitation_service
from forums import pages, selectors, services
from forums.access import (
    forum_for_coordinator,
    forum_for_member,
    forum_for_participant,
    invitation_by_token,
    invitation_for_coordinator,
    membership_for_coordinator,
    require_coordinator_role,
)
from forums.forms import AgreementForm, ForumForm, InviteForm
from forums.models import Membership
from members.accounts import address_owner, owns_verified_address

BREAKS = re.compile(r"(?<=[@.])")


def breakable(text: str) -> SafeString:
    """`text` (an email address) with a line-break opportunity after each "@" and ".", so
    a long address wraps on a phone instead of pushing the page sideways."""
    return format_html_join(mark_safe("<wbr>"), "{}", ((part,) for part in BREAKS.split(text)))


def _forum_fields(form: ForumForm) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "organisations": data["organisations"],
        "capacity": data["capacity"],
        "language": data["language"],
        "co_coordinators": data["co_coordinators"],
        "reminder_days": data["reminder_days"],
        "note_retention_months": data["note_retention_months"],
    }


@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    require_coordinator_role(request.user)
    form = ForumForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        forum = services.forum_create(actor=request.user, **_forum_fields(form))
        messages.success(request, _("The forum was created. Next, invite its members."))
        return redirect("forums:invitations", forum_id=forum.pk)
    return render(request, "forums/forum_form.html", {"form": form, "forum": None})


@login_required
def forum_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    form = ForumForm(request.POST or None, instance=forum, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_update(
                forum=forum,
                actor=request.user,
                status=form.cleaned_data["status"],
                **_forum_fields(form),
            )
        except ValidationError as error:
            form.add_error("status", error)
        else:
            messages.success(request, _("The forum's details were saved."))
            return redirect("forums:detail", forum_id=forum.pk)
    return render(
        request, "forums/forum_form.html", {"form": form, "forum": forum, "access": access}
    )


@login_required
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_member(request.user, forum_id)
    forum = access.forum
    people = selectors.forum_people(forum)
    context = {
        **pages.sections_context(forum, request.user),
        "forum": forum,
        "access": access,
        "organisations": people.organisations,
        "coordinators": people.coordinators,
        "members": people.members,
    }
    if access.is_coordinator:
        context["undelivered"] = failed_for_forum(forum.pk)
    return render(request, "forums/forum_detail.html", context)


@login_required
def agreement(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Read the current group agreement; a member accepts it here (POST)."""
    access = forum_for_member(request.user, forum_id, agreement_page=True)
    forum = access.forum
    membership = access.membership
    if request.method == "POST":
        if membership is None:
            raise Http404
        services.agreement_accept(forum=forum, user=request.user)
        messages.success(request, _("Thank you. The forum is now open for you."))
        return redirect("forums:detail", forum_id=forum.pk)
    return render(
        request,
        "forums/agreement.html",
        {
            "forum": forum,
            "access": access,
            "agreement": services.current_agreement(forum),
            "membership": membership,
            "needs_acceptance": access.needs_agreement,
        },
    )


@login_required
def agreement_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    current = services.current_agreement(forum)
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        version = services.agreement_publish(
            forum=forum, actor=request.user, text=form.cleaned_data["text"]
        )
        if version is None:
            messages.info(request, _("The text did not change; no new version was published."))
        else:
            messages.success(
                request,
                _("Version %(version)s published. Every member will be asked to accept it.")
                % {"version": version.version},
            )
        return redirect("forums:agreement", forum_id=forum.pk)
    return render(
        request, "forums/agreement_form.html", {"forum": forum, "access": access, "form": form}
    )


@login_required
def invitations(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The coordinator invites by email (one or a pasted list) and manages invitations."""
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    form = InviteForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = invitation_service.invitation_create_many(
            forum=forum, actor=request.user, text=form.cleaned_data["addresses"]
        )
        failed = [line.line for line in report if not line.ok]
        # Keep what did not go out in the box, so nothing typed is lost.
        form = InviteForm(initial={"addresses": "\n".join(failed)})
    invitations = list(selectors.forum_invitations(forum))
    return render(
        request,
        "forums/invitations.html",
        {
            "forum": forum,
            "access": access,
            "form": form,
            "report": report,
            "invitations": invitations,
            # Addresses with line-break opportunities, so the list fits a phone.
            "report_rows": [(line, breakable(line.line)) for line in report or ()],
            "invitation_rows": [(item, breakable(item.email)) for item in invitations],
        },
    )


@login_required
def invitation_resend(request: HttpRequest, forum_id: int, invitation_id: int) -> HttpResponse:
    access, invitation = invitation_for_coordinator(request.user, forum_id, invitation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        invitation_service.invitation_resend(invitation=invitation, actor=request.user)
    except invitation_service.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the earlier link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("forums:invitations", forum_id=forum_id)


@login_required
def invitation_revoke(request: HttpRequest, forum_id: int, invitation_id: int) -> HttpResponse:
    """GET asks (the link stops working at once; the person is not told); POST revokes."""
    access, invitation = invitation_for_coordinator(request.user, forum_id, invitation_id)
    if invitation.accepted_at or invitation.revoked_at:
        messages.info(request, _("This invitation is no longer open."))
        return redirect("forums:invitations", forum_id=forum_id)
    if request.method != "POST":
        return render(
            request,
            "forums/invitation_revoke.html",
            {
                "forum": access.forum,
                "access": access,
                "invitation": invitation,
                "email": breakable(invitation.email),
            },
        )
    try:
        invitation_service.invitation_revoke(invitation=invitation, actor=request.user)
    except invitation_service.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("forums:invitations", forum_id=forum_id)


@login_required
def member_remove(request: HttpRequest, forum_id: int, membership_id: int) -> HttpResponse:
    """GET says what removing the member does; POST removes them (and emails them)."""
    access, membership = membership_for_coordinator(request.user, forum_id, membership_id)
    forum = access.forum
    person = membership.user
    name = person.get_full_name() or person.email
    if request.method != "POST":
        return render(
            request,
            "forums/member_remove.html",
            {"forum": forum, "access": access, "membership": membership, "name": name},
        )
    try:
        services.membership_remove(forum=forum, membership_id=membership.pk, actor=request.user)
    except Membership.DoesNotExist:  # another coordinator was quicker
        messages.info(request, _("%(name)s is no longer a member.") % {"name": name})
    else:
        messages.success(
            request,
            _("%(name)s was removed from the forum and will be told by email.") % {"name": name},
        )
    return redirect("forums:detail", forum_id=forum.pk)


@login_required
def leave(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_participant(request.user, forum_id, agreement_page=True)
    forum = access.forum
    if request.method == "POST":
        services.membership_leave(forum=forum, user=request.user)
        messages.success(request, _("You left the forum %(name)s.") % {"name": forum.name})
        return redirect("home")
    return render(request, "forums/leave.html", {"forum": forum, "access": access})


@login_required
def audit(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    return render(
        request,
        "forums/audit.html",
        {"forum": forum, "access": access, "events": list(selectors.forum_audit(forum))},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to. Anyone holding the link may open it; only
    the invited address can accept. Bad links get a clear page and change nothing."""
    found = invitation_by_token(token)
    problem = invitation_service.invitation_problem(found)
    if problem is not None:
        status = 404 if problem == "invalid" else 410
        return render(
            request, "forums/invitation_invalid.html", {"problem": problem}, status=status
        )
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            membership = invitation_service.invitation_accept(invitation=found, user=user)
        except invitation_service.InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        request.session.pop(invitation_service.SESSION_KEY, None)
        return redirect("forums:agreement", forum_id=membership.forum_id)

    context = {"invitation": found, "forum": found.forum}
    if user.is_authenticated:
        context["email_matches"] = owns_verified_address(user, found.email)
    else:
        # An unverified claim on someone else's account is no account: the invitee
        # signs up (members/accounts.py).
        context["has_account"] = address_owner(found.email) is not None
        if not context["has_account"]:
            # The link proves the address: signup opens for it and treats it as verified.
            invitation_service.invitation_remember(request, found)
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
    return render(request, "forums/invitation.html", context)
