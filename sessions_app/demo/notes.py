# ruff: noqa: E501 -- prose: one line per bullet in the demo notes
"""Demo session notes for `manage.py seed_demo`: anonymised Finnish notes for the past,
held meetings of both demo forums. Idempotent; does nothing until meetings are held."""

from __future__ import annotations

from django.utils import timezone

from forums.demo import FORUMS
from forums.models import Forum
from sessions_app.models import Meeting, NoteRead
from sessions_app.notes import services as notes
from sessions_app.notes.anonymiser import find_personal_data, redact
from sessions_app.notes.review import forum_names

NOTES = [
    """Teema: muutoksen johtaminen, kun organisaatio uudistuu.

Mitä käsittelimme
- Moni kertoi, että tieto muutoksesta tulee esihenkilölle samaan aikaan kuin tiimille. Olo on kuin kuoren ja puun välissä.
- [jäsen] kuvasi tilannetta, jossa hänen tiiminsä vastusti uutta vuorojärjestelyä. Ryhmä pohti, mikä vastustuksessa on pelkoa ja mikä hyvää huolta.
- Keskustelimme siitä, miten esihenkilö voi olla rehellinen keskeneräisyydestä: "en vielä tiedä" on parempi vastaus kuin hiljaisuus.

Oivallukset
- Muutosvastarinta kertoo usein siitä, että työ on tekijälleen tärkeää.
- Oma jaksaminen kannattaa ottaa puheeksi ennen kuin se on loppu.

Mitä sovimme kokeilevamme
- Jokainen kokeilee seuraavaan tapaamiseen mennessä lyhyttä viikoittaista "mitä tiedämme nyt" -hetkeä tiimin kanssa.
- Seuraavalla kerralla kerromme, miten kokeilu meni.""",
    """Teema: työkyky ja varhainen tuki.

Mitä käsittelimme
- Puheeksi ottamisen vaikeus: milloin huoli on riittävän suuri, ja miten aloittaa keskustelu loukkaamatta.
- [jäsen] jakoi kokemuksen pitkästä sairauspoissaolosta palaavan työntekijän tukemisesta. Ryhmä kuunteli ja kertoi omista vastaavista tilanteista.
- Työterveyshuollon kanssa tehtävä yhteistyö koettiin vaihtelevaksi eri organisaatioissa.

Oivallukset
- Varhainen keskustelu on tukea, ei valvontaa, kun sen sävy on välittävä.
- Esihenkilön ei tarvitse ratkaista kaikkea yksin; oikea kysymys on usein "mikä auttaisi sinua nyt?".

Mitä sovimme kokeilevamme
- Kukin käy läpi oman organisaationsa varhaisen tuen mallin ja tuo yhden havainnon seuraavaan tapaamiseen.""",
    """Teema: esihenkilön oma jaksaminen.

Mitä käsittelimme
- Kiire, keskeytykset ja jatkuva tavoitettavuus. Moni vastaa viesteihin iltaisin.
- Kerroimme, mistä kukin saa voimaa: liikunta, luonto, perhe, harrastukset ja tämä ryhmä.
- [jäsen] kertoi, että vertaisryhmä on ainoa paikka, jossa voi sanoa ääneen olevansa epävarma.

Oivallukset
- Rajojen asettaminen on myös esimerkki tiimille.
- Kokemus "olen tärkeä ryhmälle" kantaa arjessa.

Mitä sovimme kokeilevamme
- Jokainen valitsee yhden viikon, jolloin ei lue työviestejä klo 18 jälkeen, ja kertoo kokemuksestaan.""",
    """Teema: vaikeat keskustelut ja palautteen antaminen.

Mitä käsittelimme
- Kehityskeskustelut, joissa odotukset ja todellisuus eivät kohtaa.
- Ryhmä harjoitteli parikeskusteluna tilannetta, jossa palaute otetaan vastaan puolustautuen.
- Pohdimme, miten antaa palautetta niin, että se koskee tekoja eikä ihmistä.

Oivallukset
- Valmistautuminen helpottaa: kirjoita etukäteen yksi asia, jonka haluat toisen kuulevan.
- Hiljaisuutta ei tarvitse pelätä keskustelussa.

Mitä sovimme kokeilevamme
- Kukin kokeilee palautteen pyytämistä omalta tiimiltään ja kertoo seuraavalla kerralla, mitä kuuli.""",
]


def seed_notes() -> int:
    """Write notes for every held, started meeting of the demo forums that has none.

    Returns how many notes were written. The texts are passed through the detector and
    redacted, so the demo never stores a finding."""
    written = 0
    for number, spec in enumerate(FORUMS):
        forum = Forum.objects.filter(name=spec["name"]).first()
        if forum is None:
            continue
        author = forum.coordinators.order_by("pk").first()
        names = forum_names(forum)
        members = [m.user for m in forum.memberships.active()[:3]]
        meetings = (
            Meeting.objects.filter(
                forum=forum, status=Meeting.Status.HELD, starts_at__lte=timezone.now()
            )
            .filter(note__isnull=True)
            .select_related("forum")
            .order_by("starts_at")
        )
        for index, meeting in enumerate(meetings):
            text = NOTES[(index + number) % len(NOTES)]
            text = redact(text, find_personal_data(text, names))
            try:
                note = notes.note_save(
                    meeting=meeting, author=author, text=text, dismissed=frozenset()
                )
            except notes.NotesPastRetention:
                continue
            NoteRead.objects.bulk_create(NoteRead(note=note, reader=user) for user in members)
            written += 1
    return written
