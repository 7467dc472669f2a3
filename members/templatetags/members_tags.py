from django import template

from members.accounts import is_address_change
from members.mfa import mfa_required_for

register = template.Library()


@register.filter
def needs_mfa(user) -> bool:
    """{% if user|needs_mfa %}: the person's role requires a second factor."""
    return mfa_required_for(user)


@register.filter
def awaits_owner(address, user) -> bool:
    """{% if address|awaits_owner:user %}: opening this confirmation link would change
    an account's address, and `user` is not that account's owner, signed in."""
    return is_address_change(address) and getattr(user, "pk", None) != address.user_id
