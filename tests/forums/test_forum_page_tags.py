"""The forum page's template tags give the addresses and markup that {% url %} and the
former template loops gave."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from forums.templatetags.forum_page import forum_url

NAMES = [
    "forums:detail", "forums:agreement", "notes:forum_notes", "meetings:themes",
    "forums:invitations", "forums:edit", "pulse:forum_results", "forums:audit",
    "meetings:schedule", "meetings:poll_create", "live:forum_plan", "forums:leave",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_forum_url_is_the_reversed_address_for_any_forum(name):
    for forum_id in (1, 42, 2**63 - 1):
        assert forum_url(name, forum_id) == reverse(name, kwargs={"forum_id": forum_id})


def test_forum_url_follows_the_script_prefix():
    assert forum_url("forums:agreement", 7) == "/forums/7/agreement/"
    set_script_prefix("/foorumix/")
    try:
        assert forum_url("forums:agreement", 7) == "/foorumix/forums/7/agreement/"
    finally:
        clear_script_prefix()
    assert forum_url("forums:agreement", 7) == "/forums/7/agreement/"


def test_forum_navigation_marks_the_current_page_and_shows_coordinator_pages_to_them_only(
    client, forum, member, coordinator
):
    notes = reverse("notes:forum_notes", kwargs={"forum_id": forum.pk})
    client.force_login(member)
    page = client.get(notes).content.decode()
    agreement = reverse("forums:agreement", kwargs={"forum_id": forum.pk})
    assert f'<li><a href="{notes}" aria-current="page">Muistiot</a></li>' in page
    assert f'<li><a href="{agreement}">Ryhmäsopimus</a></li>' in page
    assert reverse("forums:audit", kwargs={"forum_id": forum.pk}) not in page
    client.force_login(coordinator)
    page = client.get(notes).content.decode()
    assert f'<a href="{reverse("forums:audit", kwargs={"forum_id": forum.pk})}">' in page
