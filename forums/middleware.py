from django.shortcuts import redirect

from forums.access import AgreementPending


class AgreementMiddleware:
    """Send a member who has not accepted the current group agreement to its page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, AgreementPending):
            return redirect("forums:agreement", forum_id=exception.forum.pk)
        return None
