import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import invitations, services
from forums.models import AgreementAcceptance, AuditEvent, Forum, GroupAgreement, Membership
from tests.factories import OrganisationFactory, UserFactory, make_forum

pytestmark = pytest.mark.django_db


def forum_form(**overrides):
    data = {
        "name": "Uusi foorumi",
        "description": "Kuvaus",
        "organisations": [OrganisationFactory().pk, OrganisationFactory().pk],
        "capacity": 10,
        "language": "en",
        "reminder_days": "7,1",
        "note_retention_months": 24,
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_cross_organisation_forum_with_the_default_agreement(
    client, coordinator
):
    co = UserFactory(is_coordinator=True)
    client.force_login(coordinator)
    data = forum_form(co_coordinators=[co.pk])
    response = client.post(reverse("forums:create"), data)
    forum = Forum.objects.get(name="Uusi foorumi")
    assert response.headers["Location"] == reverse(
        "forums:invitations", kwargs={"forum_id": forum.pk}
    )
    assert forum.organisations.count() == 2
    assert (forum.capacity, forum.language, forum.status) == (10, "en", "forming")
    assert set(forum.coordinators.all()) == {coordinator, co}
    agreement = GroupAgreement.objects.get(forum=forum)
    assert agreement.version == forum.agreement_version == 1
    assert "What is said in the forum stays in the forum" in agreement.text


def test_finnish_forum_gets_the_finnish_agreement(coordinator):
    forum = make_forum(coordinator=coordinator, language="fi")
    assert "Mitä foorumissa kerrotaan, jää foorumiin" in services.current_agreement(forum).text


def test_more_than_three_co_coordinators_is_refused(client, coordinator):
    others = [UserFactory(is_coordinator=True).pk for _ in range(4)]
    client.force_login(coordinator)
    response = client.post(reverse("forums:create"), forum_form(co_coordinators=others))
    assert response.status_code == 200
    assert "co_coordinators" in response.context["form"].errors
    assert not Forum.objects.exists()


def test_bad_forum_input_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("forums:create"), forum_form(capacity=99, organisations=[]))
    form = response.context["form"]
    assert set(form.errors) == {"capacity", "organisations"}
    assert form["name"].value() == "Uusi foorumi"
    assert not Forum.objects.exists()


def test_status_moves_forward_only(client, forum, coordinator):
    client.force_login(coordinator)
    edit = reverse("forums:edit", kwargs={"forum_id": forum.pk})
    organisations = list(forum.organisations.values_list("pk", flat=True))
    data = forum_form(organisations=organisations, status="active", name="Foorumi A")
    assert client.post(edit, data).status_code == 302
    forum.refresh_from_db()
    assert forum.status == "active"
    response = client.post(edit, {**data, "status": "forming"})
    assert "status" in response.context["form"].errors
    forum.refresh_from_db()
    assert forum.status == "active"


def test_editing_the_agreement_creates_a_version_everyone_must_accept(forum, coordinator, member):
    client_version = services.agreement_publish(forum=forum, actor=coordinator, text="Versio kaksi")
    forum.refresh_from_db()
    assert client_version.version == forum.agreement_version == 2
    assert GroupAgreement.objects.filter(forum=forum).count() == 2
    membership = Membership.objects.get(forum=forum, user=member)
    assert membership.accepted_version == 1
    services.agreement_accept(forum=forum, user=member)
    membership.refresh_from_db()
    assert membership.accepted_version == 2
    acceptances = AgreementAcceptance.objects.filter(user=member).order_by("agreement__version")
    assert [a.agreement.version for a in acceptances] == [1, 2]
    assert all(a.accepted_at for a in acceptances)


def test_unchanged_agreement_text_publishes_no_new_version(client, forum, coordinator):
    client.force_login(coordinator)
    text = services.current_agreement(forum).text
    client.post(reverse("forums:agreement_edit", kwargs={"forum_id": forum.pk}), {"text": text})
    forum.refresh_from_db()
    assert forum.agreement_version == 1


def test_member_leaves_and_loses_access_at_once_but_the_row_stays(client, forum, member):
    client.force_login(member)
    client.post(reverse("forums:leave", kwargs={"forum_id": forum.pk}))
    assert client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).status_code == 404
    membership = Membership.objects.get(forum=forum, user=member)
    assert membership.end_reason == "left"
    assert membership.ended_at is not None


def test_coordinator_removes_a_member(client, forum, coordinator, member):
    membership = Membership.objects.get(forum=forum, user=member)
    client.force_login(coordinator)
    client.post(
        reverse(
            "forums:member_remove", kwargs={"forum_id": forum.pk, "membership_id": membership.pk}
        )
    )
    membership.refresh_from_db()
    assert membership.end_reason == "removed"
    client.force_login(member)
    assert client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).status_code == 404


def test_member_cannot_remove_another_member(client, forum, coordinator, member):
    other = UserFactory()
    other_membership = Membership.objects.create(forum=forum, user=other, accepted_version=1)
    client.force_login(member)
    response = client.post(
        reverse(
            "forums:member_remove",
            kwargs={"forum_id": forum.pk, "membership_id": other_membership.pk},
        )
    )
    assert response.status_code == 403
    other_membership.refresh_from_db()
    assert other_membership.ended_at is None


def test_audit_log_records_security_events_and_coordinators_see_them(
    client, forum, coordinator, member
):
    invitations.invitation_create_many(forum=forum, actor=coordinator, text="uusi@example.fi")
    services.membership_leave(forum=forum, user=member)
    actions = list(AuditEvent.objects.filter(forum=forum).values_list("action", flat=True))
    assert {
        "forum_created",
        "agreement_published",
        "agreement_accepted",
        "invitation_sent",
        "membership_left",
    } <= set(actions)
    client.force_login(coordinator)
    page = client.get(reverse("forums:audit", kwargs={"forum_id": forum.pk})).content.decode()
    assert "uusi@example.fi" in page


def test_audit_log_of_one_forum_shows_nothing_of_another(client, forum, other_forum, coordinator):
    invitations.invitation_create_many(
        forum=other_forum, actor=other_forum.coordinators.get(), text="toinen@example.fi"
    )
    client.force_login(coordinator)
    page = client.get(reverse("forums:audit", kwargs={"forum_id": forum.pk})).content.decode()
    assert "toinen@example.fi" not in page
    assert "Salainen" not in page


def test_role_changes_in_the_admin_are_audited(client, member):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/members/user/{member.pk}/change/",
        {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "language": "fi",
            "is_coordinator": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "12:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="role_changed")
    assert (event.actor, event.subject_user, event.detail) == (admin, member, "is_coordinator=True")


def _dashboard_queries(client, coordinator) -> int:
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_coordinator_dashboard_runs_a_fixed_number_of_queries(client, coordinator):
    make_forum(coordinator=coordinator, members=[UserFactory()], name="F0")
    one = _dashboard_queries(client, coordinator)
    for number in range(1, 20):
        forum = make_forum(
            coordinator=coordinator,
            members=[UserFactory() for _ in range(6)],
            name=f"F{number}",
        )
        invitations.invitation_create_many(
            forum=forum, actor=coordinator, text=f"kutsu{number}@example.fi"
        )
    twenty = _dashboard_queries(client, coordinator)
    assert one == twenty
    page = client.get("/").content.decode()
    assert page.count("/ 12</dd>") == 20


def test_member_home_runs_a_fixed_number_of_queries(client, member, coordinator):
    make_forum(coordinator=coordinator, members=[member], name="F0")
    client.force_login(member)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for number in range(1, 10):
        make_forum(coordinator=coordinator, members=[member, UserFactory()], name=f"F{number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(one) == len(many)
    assert len(response.context["memberships"]) == 10


def test_a_pasted_right_to_left_override_never_reaches_the_forum_name(client, coordinator):
    client.force_login(coordinator)
    organisation = OrganisationFactory()
    client.post(
        reverse("forums:create"),
        {
            "name": "Esihenkilöt\u202e ikuinen\u00ad",
            "description": "Kuvaus\u200b",
            "organisations": [organisation.pk],
            "capacity": 10,
            "language": "fi",
            "reminder_days": "7,1",
            "note_retention_months": 24,
        },
    )
    forum = Forum.objects.get()
    assert (forum.name, forum.description) == ("Esihenkilöt ikuinen", "Kuvaus")


def test_forum_page_names_its_organisations_coordinators_and_members(
    client, forum, member, coordinator, other_forum
):
    forum.organisations.set(
        [OrganisationFactory(name="Beta Oy"), OrganisationFactory(name="Alfa & Co")]
    )
    co = UserFactory(first_name="", last_name="", email="co@example.fi", is_coordinator=True)
    forum.coordinators.add(co)
    pending = UserFactory(first_name="Aino", last_name="<b>Aalto</b>")
    Membership.objects.create(forum=forum, user=pending)  # the agreement not accepted
    left = UserFactory(first_name="Lähtenyt", last_name="Jäsen")
    Membership.objects.create(forum=forum, user=left, ended_at=timezone.now(), end_reason="left")
    erased = UserFactory(first_name="Entinen", last_name="Nimi", erased_at=timezone.now())
    Membership.objects.create(forum=forum, user=erased, accepted_version=forum.agreement_version)
    url = reverse("forums:detail", kwargs={"forum_id": forum.pk})
    ids = {
        user.pk: Membership.objects.get(forum=forum, user=user, ended_at__isnull=True).pk
        for user in (pending, erased, member)
    }

    def remove(user) -> str:
        return reverse(
            "forums:member_remove", kwargs={"forum_id": forum.pk, "membership_id": ids[user.pk]}
        )

    client.force_login(member)
    page = client.get(url).content.decode()
    assert '<p class="muted">Alfa &amp; Co · Beta Oy</p>' in page
    assert "<dt>Jäsenet</dt><dd>3 / 12</dd>" in page
    assert "<dd>co@example.fi, Kirsi Ojala</dd>" in page  # by last name; no name: the address
    # By last name (the erased account's is kept, its name is not shown), the ended
    # membership left out, every name escaped; no badges or links for a member.
    assert (
        '<ul class="member-list"><li><span>Aino &lt;b&gt;Aalto&lt;/b&gt;</span></li>'
        "<li><span>Poistettu käyttäjä</span></li><li><span>Liisa Virtanen</span></li></ul>"
    ) in page
    assert "Lähtenyt" not in page and "Entinen" not in page and "Salainen" not in page

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert (
        '<ul class="member-list">'
        '<li><span>Aino &lt;b&gt;Aalto&lt;/b&gt;</span> <span class="badge badge-warn">'
        f'Sopimus hyväksymättä</span> <a href="{remove(pending)}">'
        "Poista Aino &lt;b&gt;Aalto&lt;/b&gt;</a></li>"
        "<li><span>Poistettu käyttäjä</span>  "
        f'<a href="{remove(erased)}">Poista Poistettu käyttäjä</a></li>'
        f'<li><span>Liisa Virtanen</span>  <a href="{remove(member)}">'
        "Poista Liisa Virtanen</a></li></ul>"
    ) in page
