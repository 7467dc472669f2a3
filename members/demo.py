"""Demo people for `manage.py seed_demo`. Realistic Finnish names, all fictional."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from members.models import Organisation, Unit, User

DEMO_PASSWORD = "Foorumix-demo-2026"
DEMO_DOMAIN = "demo.foorumix.fi"

ORGANISATIONS = {
    "Esimerkki Oy": ["Tuotanto", "Asiakaspalvelu", "Talous ja hallinto"],
    "Mallikunta": ["Sivistystoimi", "Sosiaali- ja terveystoimi", "Tekninen toimi"],
}

# (first name, last name, organisation, unit). member01–08 form forum 1 and member09–16
# forum 2 (see forums/demo.py); forum 2 mixes both organisations on purpose.
MEMBERS = [
    ("Liisa", "Virtanen", "Esimerkki Oy", "Tuotanto"),
    ("Mikko", "Korhonen", "Esimerkki Oy", "Tuotanto"),
    ("Anna-Maija", "Nieminen", "Esimerkki Oy", "Tuotanto"),
    ("Pekka", "Mäkinen", "Esimerkki Oy", "Tuotanto"),
    ("Sari", "Hämäläinen", "Esimerkki Oy", "Tuotanto"),
    ("Juha", "Laine", "Esimerkki Oy", "Tuotanto"),
    ("Tiina", "Heikkinen", "Esimerkki Oy", "Asiakaspalvelu"),
    ("Jari", "Koskinen", "Esimerkki Oy", "Asiakaspalvelu"),
    ("Minna", "Järvinen", "Esimerkki Oy", "Asiakaspalvelu"),
    ("Timo", "Lehtonen", "Esimerkki Oy", "Talous ja hallinto"),
    ("Päivi", "Saarinen", "Mallikunta", "Sivistystoimi"),
    ("Antti", "Salminen", "Mallikunta", "Sivistystoimi"),
    ("Hanna", "Heinonen", "Mallikunta", "Sivistystoimi"),
    ("Marko", "Niemi", "Mallikunta", "Sivistystoimi"),
    ("Kaisa", "Kinnunen", "Mallikunta", "Sivistystoimi"),
    ("Ville", "Turunen", "Mallikunta", "Tekninen toimi"),
]


@dataclass
class DemoPeople:
    organisations: dict[str, Organisation]
    coordinators: list[User]
    hr_viewers: list[User]
    members: list[User]
    admin: User


def _person(email: str, **fields) -> User:
    user, created = User.objects.update_or_create(email=email, defaults=fields)
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_people() -> DemoPeople:
    """Create (or bring back to the demo state) organisations, units and people."""
    organisations: dict[str, Organisation] = {}
    units: dict[tuple[str, str], Unit] = {}
    for name, unit_names in ORGANISATIONS.items():
        organisation, _ = Organisation.objects.get_or_create(name=name)
        organisations[name] = organisation
        for unit_name in unit_names:
            units[(name, unit_name)], _ = Unit.objects.get_or_create(
                organisation=organisation, name=unit_name
            )

    coordinators = [
        _person(
            f"coordinator1@{DEMO_DOMAIN}",
            first_name="Kirsi",
            last_name="Ojala",
            is_coordinator=True,
        ),
        _person(
            f"coordinator2@{DEMO_DOMAIN}",
            first_name="Jouni",
            last_name="Rantanen",
            is_coordinator=True,
        ),
    ]
    hr_viewers = [
        _person(
            f"hr1@{DEMO_DOMAIN}",
            first_name="Helena",
            last_name="Lindqvist",
            organisation=organisations["Esimerkki Oy"],
            hr_organisation=organisations["Esimerkki Oy"],
        ),
        _person(
            f"hr2@{DEMO_DOMAIN}",
            first_name="Harri",
            last_name="Peltonen",
            organisation=organisations["Mallikunta"],
            hr_organisation=organisations["Mallikunta"],
        ),
    ]
    members = [
        _person(
            f"member{number:02d}@{DEMO_DOMAIN}",
            first_name=first,
            last_name=last,
            organisation=organisations[org],
            unit=units[(org, unit)],
        )
        for number, (first, last, org, unit) in enumerate(MEMBERS, start=1)
    ]
    admin = _person(
        f"admin@{DEMO_DOMAIN}",
        first_name="Ylläpito",
        last_name="Foorumix",
        is_staff=True,
        is_superuser=True,
    )
    return DemoPeople(organisations, coordinators, hr_viewers, members, admin)
