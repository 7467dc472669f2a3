from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from foorumix.outbox import failed_for_forum
from forums import selectors, services
from forums.access import (
    get_forum_for_coordinator,
    get_forum_for_member,
    get_forum_for_participant,
    require_coordinator_role,
)
from forums.forms import AgreementForm, ForumForm, InviteForm
from forums.invitations import SESSION_KEY, find_invitation
from members.models import User
from sessions_app.meetings import selectors as meeting_selectors


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
    forum = get_forum_for_coordinator(request.user, forum_id)
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
    return render(request, "forums/forum_form.html", {"form": form, "forum": forum})


@login_required
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_member(request.user, forum_id)
    upcoming, past = meeting_selectors.forum_meetings(forum, request.user)
    context = {
        "forum": forum,
        "upcoming": upcoming,
        "past": past,
        "polls": meeting_selectors.forum_polls(forum),
        "organisations": list(forum.organisations.all()),
        "coordinators": list(selectors.forum_coordinators(forum)),
        "members": list(selectors.forum_members(forum)),
    }
    if forum.viewer_is_coordinator:
        context["undelivered"] = failed_for_forum(forum)
    return render(request, "forums/forum_detail.html", context)


@login_required
def agreement(request: HttpRequest, forum_id: int) -> HttpResponse:
    """Read the current group agreement; a member accepts it here (POST)."""
    forum = get_forum_for_member(request.user, forum_id, agreement_page=True)
    membership = forum.viewer_membership
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
            "agreement": services.current_agreement(forum),
            "membership": membership,
            "needs_acceptance": membership is not None
            and membership.accepted_version < forum.agreement_version,
        },
    )


@login_required
def agreement_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_coordinator(request.user, forum_id)
    current = services.current_agreement(forum)
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        if current is not None and form.cleaned_data["text"].strip() == current.text:
            messages.info(request, _("The text did not change; no new version was published."))
        else:
            version = services.agreement_publish(
                forum=forum, actor=request.user, text=form.cleaned_data["text"]
            )
            messages.success(
                request,
                _("Version %(version)s published. Every member will be asked to accept it.")
                % {"version": version.version},
            )
        return redirect("forums:agreement", forum_id=forum.pk)
    return render(request, "forums/agreement_form.html", {"forum": forum, "form": form})


@login_required
def invitations(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The coordinator invites by email (one or a pasted list) and manages invitations."""
    forum = get_forum_for_coordinator(request.user, forum_id)
    form = InviteForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.invitation_create_many(
            forum=forum, actor=request.user, text=form.cleaned_data["addresses"]
        )
        failed = [line.line for line in report if not line.ok]
        # Keep what did not go out in the box, so nothing typed is lost.
        form = InviteForm(initial={"addresses": "\n".join(failed)})
    return render(
        request,
        "forums/invitations.html",
        {
            "forum": forum,
            "form": form,
            "report": report,
            "invitations": list(selectors.forum_invitations(forum)),
        },
    )


def _coordinated_invitation(request: HttpRequest, forum_id: int, invitation_id: int):
    forum = get_forum_for_coordinator(request.user, forum_id)
    invitation = forum.invitations.filter(pk=invitation_id).select_related("forum").first()
    if invitation is None:
        raise Http404
    return forum, invitation


@login_required
def invitation_resend(request: HttpRequest, forum_id: int, invitation_id: int) -> HttpResponse:
    forum, invitation = _coordinated_invitation(request, forum_id, invitation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("forums:invitations", forum_id=forum.pk)


@login_required
def invitation_revoke(request: HttpRequest, forum_id: int, invitation_id: int) -> HttpResponse:
    forum, invitation = _coordinated_invitation(request, forum_id, invitation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("forums:invitations", forum_id=forum.pk)


@login_required
def member_remove(request: HttpRequest, forum_id: int, membership_id: int) -> HttpResponse:
    forum = get_forum_for_coordinator(request.user, forum_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    membership = forum.memberships.filter(pk=membership_id, ended_at__isnull=True).first()
    if membership is None:
        raise Http404
    services.membership_remove(forum=forum, membership_id=membership.pk, actor=request.user)
    messages.success(request, _("The member was removed from the forum."))
    return redirect("forums:detail", forum_id=forum.pk)


@login_required
def leave(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_participant(request.user, forum_id, agreement_page=True)
    if request.method == "POST":
        services.membership_leave(forum=forum, user=request.user)
        messages.success(request, _("You left the forum %(name)s.") % {"name": forum.name})
        return redirect("home")
    return render(request, "forums/leave.html", {"forum": forum})


@login_required
def audit(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_coordinator(request.user, forum_id)
    return render(
        request,
        "forums/audit.html",
        {"forum": forum, "events": list(selectors.forum_audit(forum))},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation email links to. Anyone holding the link may open it; only
    the invited address can accept. Bad links get a clear page and change nothing."""
    found = find_invitation(token)
    problem = services.invitation_problem(found)
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
            membership = services.invitation_accept(invitation=found, user=user)
        except services.InvitationError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        request.session.pop(SESSION_KEY, None)
        return redirect("forums:agreement", forum_id=membership.forum_id)

    context = {"invitation": found, "forum": found.forum}
    if user.is_authenticated:
        context["email_matches"] = user.email.lower() == found.email.lower()
    else:
        request.session[SESSION_KEY] = token
        context["has_account"] = User.objects.filter(email__iexact=found.email).exists()
        if not context["has_account"]:
            # The link proves the address: signup treats it as verified.
            get_adapter(request).stash_verified_email(request, found.email)
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
    return render(request, "forums/invitation.html", context)
