"""allauth adapter: signup is closed except through a valid forum invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Only a person holding a valid invitation (stored in the session by the
        invitation page) may sign up; everyone else is shown "signup closed"."""
        from forums.invitations import invitation_for_signup

        return invitation_for_signup(request) is not None
