"""People's rights over their data: the export holds exactly their own data, and deleting
the account leaves nothing that names or points to them, while HR's figures stay."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse
from django.utils import timezone

from forums.models import AuditEvent, Membership
from members import erasure
from members.models import User
from members.sessions import SessionStore
from sessions_app.hr.report import participation_report
from sessions_app.models import Participation, Preparation
from tests.factories import PASSWORD, UnitFactory, UserFactory, make_forum, totp_code
from tests.members import personal_world
from tests.members.personal_world import OTHER, OTHER_TEXTS, PERSON, PERSON_TEXTS

pytestmark = pytest.mark.django_db


def exported(client) -> str:
    response = client.get(reverse("my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


# --- Export -------------------------------------------------------------------------------


def test_a_members_export_holds_their_data_and_nothing_of_the_other_members():
    world = personal_world.build()
    text = exported(world.client)
    data = json.loads(text)

    assert data["account"][0]["email"] == PERSON["email"]
    assert data["account"][0]["unit"] == "Laboratorio"
    assert [row["forum"] for row in data["memberships"]] == ["Tutkijafoorumi"]
    assert data["agreement_acceptances"][0]["agreement__version"] == 1
    assert data["invitations"][0]["sent_to"] == PERSON["email"]
    assert {row["type"] for row in data["second_factors"]} == {"totp", "recovery_codes"}
    assert data["calendar_feeds"] and "token" not in json.dumps(data["calendar_feeds"])
    assert {row["title"] for row in data["themes"]} == {"Jaksaminen muutoksessa"}
    assert [row["answer"] for row in data["poll_answers"]]
    assert {row["event"] for row in data["session_notes"]} == {"wrote", "read"}
    assert [row["answered"] for row in data["pulse"]] == [True]
    assert {row["kind"] for row in data["emails"]} == {"reminder", "poll_opened"}
    assert any(row["about_me"] for row in data["audit_events"])
    # Private texts, decrypted for their author.
    assert PERSON_TEXTS[0] in text and PERSON_TEXTS[1] in text
    # Nothing of the other member, whose data sits in the same tables.
    for secret in (*OTHER_TEXTS, OTHER["email"], OTHER["last_name"], "Palautteen antaminen"):
        assert secret not in text
    # No secrets and no pulse answers, and the export says why.
    assert "pbkdf2" not in text and "md5$" not in text and "token_hash" not in text
    assert '"useful"' not in text and "ilman yhteyttä sinuun" in data["about"]


def test_a_coordinators_export_holds_their_forums_and_actions_but_no_members_data():
    world = personal_world.build()
    world.client.force_login(world.coordinator)
    text = exported(world.client)
    data = json.loads(text)

    assert data["coordinated_forums"] == [{"name": "Tutkijafoorumi"}]
    sent = [row for row in data["audit_events"] if row["by_me"] and not row["about_me"]]
    assert sent and all(row["detail"] == "" for row in sent)  # invitees' addresses left out
    for secret in (*PERSON_TEXTS, *OTHER_TEXTS, PERSON["email"], OTHER["email"]):
        assert secret not in text


def test_an_hr_viewers_export_holds_their_account_only(hr_viewer):
    world = personal_world.build()
    world.client.force_login(hr_viewer)
    data = json.loads(exported(world.client))

    assert data["account"][0]["hr_viewer_of"] == hr_viewer.hr_organisation.name
    assert data["memberships"] == [] and data["meetings"] == []
    text = json.dumps(data)
    for secret in (*PERSON_TEXTS, *OTHER_TEXTS, PERSON["email"], OTHER["email"]):
        assert secret not in text


def test_the_readable_page_shows_the_same_sections_in_finnish():
    world = personal_world.build()
    response = world.client.get(reverse("my_data"), HTTP_ACCEPT_LANGUAGE="fi")
    html = response.content.decode()
    assert response.status_code == 200
    assert PERSON_TEXTS[0] in html and OTHER_TEXTS[0] not in html
    assert 'id="section-meetings"' in html and 'id="section-pulse"' in html
    assert "Lataa tiedostona (JSON)" in html
    assert "no-store" in response["Cache-Control"]


def test_a_visitor_cannot_see_or_download_anyones_data(client):
    personal_world.build()
    for name in ("my_data", "my_data_download", "delete_account", "profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_name_can_be_corrected(member, client):
    client.force_login(member)
    response = client.post(reverse("profile"), {"first_name": "Liisa-Maria", "last_name": "Koivu"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.get_full_name() == "Liisa-Maria Koivu"


# --- Deleting the account -------------------------------------------------------------------


def traces(person_id: int, needles: list[str]) -> list[str]:
    """Every row in any table that points to the person or holds their name or address:
    foreign keys (many-to-many tables included) and every text field, decrypted where
    the field encrypts (values are read through the ORM), and the sessions' data."""
    found = []
    needles = [needle.lower() for needle in needles]
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if field.is_relation and field.related_model is User:
                if manager.filter(**{field.attname: person_id}).exists():
                    found.append(label)
            elif isinstance(field, models.CharField | models.TextField | models.JSONField):
                for value in manager.values_list(field.name, flat=True):
                    text = json.dumps(value) if isinstance(value, dict | list) else str(value)
                    if any(needle in text.lower() for needle in needles):
                        found.append(label)
                        break
    if User.objects.filter(pk=person_id).exists():
        found.append("members.User row")
    store = SessionStore()
    for session in Session.objects.all():
        if store.decode(session.session_data).get(SESSION_KEY) == str(person_id):
            found.append("django_session")
    return found


def delete(world, *, code: bool = True):
    data = {"password": PASSWORD}
    if code:
        data["code"] = totp_code(world.totp_secret)
    return world.client.post(reverse("delete_account"), data)


def test_deleting_leaves_nothing_that_names_or_points_to_the_person(
    django_capture_on_commit_callbacks,
):
    world = personal_world.build()
    person_id = world.person.pk
    needles = [PERSON["email"], PERSON["last_name"], "Ukon"]
    assert len(traces(person_id, needles)) > 15  # the data that could remain exists

    with django_capture_on_commit_callbacks(execute=True):
        response = delete(world)

    assert response.status_code == 200
    assert "Tilisi on poistettu" in response.content.decode()
    assert traces(person_id, needles) == []
    # The other member's data is untouched.
    assert Participation.objects.filter(user=world.other).count() == 2
    kept = Preparation.objects.filter(author=world.other).values_list(
        "current_situation", flat=True
    )
    assert list(kept) == [OTHER_TEXTS[0]]


def test_deletion_ends_access_at_once_even_before_the_worker_erases(client):
    world = personal_world.build()
    other_device = client
    other_device.force_login(world.person)
    response = delete(world)  # on_commit callbacks not run: the worker has not erased yet
    assert response.status_code == 200
    person = User.objects.get(pk=world.person.pk)
    assert (
        not person.is_active and person.deletion_requested_at and not person.has_usable_password()
    )
    assert other_device.get(reverse("home")).status_code == 302  # signed out everywhere
    assert not client.login(email=PERSON["email"], password=PASSWORD)


def test_deletion_needs_the_password_and_the_code_and_changes_nothing_without_them():
    world = personal_world.build()
    wrong = world.client.post(reverse("delete_account"), {"password": "väärä", "code": "000000"})
    without_code = delete(world, code=False)
    for response in (wrong, without_code):
        assert response.status_code == 200
        assert response.context["form"].errors
    assert User.objects.get(pk=world.person.pk).is_active


def test_coordinators_see_that_a_member_deleted_their_account_but_not_who():
    world = personal_world.build()
    pseudonym = erasure.erase(world.person)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert event.forum == world.forum and event.subject_user == pseudonym
    world.client.force_login(world.coordinator)
    html = world.client.get(reverse("forums:audit", args=[world.forum.pk])).content.decode()
    assert "Poistettu käyttäjä" in html and "Jäsen poisti tilinsä" in html
    assert PERSON["last_name"] not in html and PERSON["email"] not in html
    membership = Membership.objects.get(user=pseudonym)
    assert membership.end_reason == Membership.EndReason.DELETED
    assert world.forum.pk not in Membership.objects.active().values_list("forum", flat=True).filter(
        user=pseudonym
    )


def test_hr_figures_are_the_same_after_a_deletion():
    from tests.sessions_app.hr.test_report import YEAR as year
    from tests.sessions_app.hr.test_report import monthly

    today = timezone.localdate()
    unit = UnitFactory(name="Tehdas")
    organisation = unit.organisation
    people = [UserFactory(organisation=organisation, unit=unit) for _ in range(12)]
    coordinator = UserFactory(is_coordinator=True)
    forum = make_forum(coordinator=coordinator, members=people, organisations=[organisation])
    Membership.objects.filter(forum=forum).update(
        joined_at=timezone.make_aware(timezone.datetime(year - 1, 12, 1))
    )
    monthly(forum, range(1, 13), present=people[2:], absent=people[:2])
    monthly(forum, range(1, 13, 2), present=people[:1], day=20)
    before = participation_report(organisation.pk, year=year, today=today)

    erasure.erase(people[0])
    erasure.erase(people[5])

    after = participation_report(organisation.pk, year=year, today=today)
    assert after.figures == before.figures and after.hidden == before.hidden
    assert any(value for figures in after.figures.values() for value in figures.values())


def test_erasing_twice_or_erasing_a_pseudonym_is_refused_cleanly():
    world = personal_world.build()
    pseudonym = erasure.erase(world.person)
    with pytest.raises(ValueError):
        erasure.erase(pseudonym)
    assert not pseudonym.has_usable_password() and not pseudonym.is_active
    assert pseudonym.email.endswith("@erased.invalid")


def test_a_lost_erasure_task_is_done_by_the_nightly_sweep():
    from members.tasks import erase_requested_accounts

    world = personal_world.build()
    erasure_request = timezone.now() - timedelta(hours=2)
    User.objects.filter(pk=world.person.pk).update(
        is_active=False, deletion_requested_at=erasure_request
    )
    assert erase_requested_accounts() == 1
    assert not User.objects.filter(pk=world.person.pk).exists()
    assert erase_requested_accounts() == 0


@pytest.mark.parametrize("erased", [4, 5])
def test_hr_sees_how_many_deleted_their_accounts_never_who(client, hr_viewer, erased):
    from tests.sessions_app.hr.test_report import YEAR

    organisation = hr_viewer.hr_organisation
    people = [
        UserFactory(organisation=organisation, first_name="Poistuva", last_name=f"Henkilö{n}")
        for n in range(erased)
    ]
    forum = make_forum(coordinator=UserFactory(is_coordinator=True), members=people,
                       organisations=[organisation])  # fmt: skip
    pseudonyms = [erasure.erase(person) for person in people]
    assert all(pseudonyms)
    User.objects.filter(pk__in=[p.pk for p in pseudonyms]).update(
        erased_at=timezone.make_aware(timezone.datetime(YEAR, 6, 15))
    )
    client.force_login(hr_viewer)
    html = client.get(reverse("hr:participation"), {"year": YEAR}).content.decode()
    deletions = html[html.index('id="deletions"') :].split("</p>")[0]
    if erased >= 5:
        assert f"{erased} organisaatiosi" in deletions
    else:
        assert "alle 5" in deletions
    assert "Poistuva" not in html and forum.name not in html
