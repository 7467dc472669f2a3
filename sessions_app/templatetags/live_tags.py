"""Template tags that put the live meeting into other pages: the meeting page's link to
it, and the member's previous commitment on the preparation page."""

from django import template

from sessions_app.live.access import is_live_open
from sessions_app.live.selectors import previous_commitment

register = template.Library()


@register.inclusion_tag("sessions_app/live/_meeting_link.html")
def live_meeting_link(meeting, access) -> dict:
    """During the live window: the way in (facilitator view for coordinators, the live
    meeting for members). Before it, coordinators get the link to the meeting's plan.
    No query."""
    if is_live_open(meeting):
        return {
            "live_link": {
                "meeting_id": meeting.pk,
                "is_coordinator": access.is_coordinator,
                "is_member": access.is_member,
            }
        }
    if access.is_coordinator and meeting.status == "scheduled" and not meeting.has_started:
        return {"plan_link": meeting.pk}
    return {}


@register.inclusion_tag("sessions_app/live/_previous_commitment.html", takes_context=True)
def previous_commitment_card(context, meeting) -> dict:
    """The viewer's own commitment from the previous meeting, with "how did it go?"."""
    request = context["request"]
    return {
        "previous": previous_commitment(meeting, request.user),
        "next_url": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
