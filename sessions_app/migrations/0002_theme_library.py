from django.db import migrations

# The shared theme library: discussion starters for supervisors' peer work, in the
# spirit of SAMK's theme cards (see shared/domain/BRIEF.md).
THEMES = [
    (
        "Muutoksen johtaminen",
        "Leading change",
        "Att leda förändring",
        "Miten viestin muutoksesta, jota en itse ole valinnut? Miten tuen tiimiä epävarmuudessa?",
        "How do I communicate a change I did not choose? How do I support the team through uncertainty?",
        "Hur kommunicerar jag en förändring som jag inte själv har valt? Hur stöder jag teamet i osäkerheten?",
    ),
    (
        "Vaikeat keskustelut",
        "Difficult conversations",
        "Svåra samtal",
        "Palautteen antaminen, ristiriidat ja asiat, joita on helpompi lykätä.",
        "Giving feedback, conflicts and the matters that are easier to postpone.",
        "Att ge feedback, konflikter och saker som är lättare att skjuta upp.",
    ),
    (
        "Oma jaksaminen ja rajat",
        "Own coping and boundaries",
        "Egen ork och gränser",
        "Mistä tunnistan, että kuormitus kasvaa liian suureksi? Miten pidän rajoistani kiinni?",
        "How do I notice that my load is growing too heavy? How do I hold on to my boundaries?",
        "Hur märker jag att belastningen blir för stor? Hur håller jag fast vid mina gränser?",
    ),
    (
        "Työkyvyn tukeminen",
        "Supporting work ability",
        "Att stödja arbetsförmågan",
        "Varhainen välittäminen, puheeksiotto ja yhteistyö työterveyshuollon kanssa.",
        "Early support, raising concerns and working with occupational health.",
        "Tidigt stöd, att ta upp oro och samarbete med företagshälsovården.",
    ),
    (
        "Johdon ja henkilöstön välissä",
        "Between management and staff",
        "Mellan ledningen och personalen",
        "Kun paine tulee sekä ylhäältä että alhaalta: lojaalisuus, ristiriidat ja oma rooli.",
        "When pressure comes from above and below: loyalty, conflicts and my own role.",
        "När trycket kommer både uppifrån och nedifrån: lojalitet, konflikter och min egen roll.",
    ),
    (
        "Esihenkilöksi kasvaminen",
        "Becoming a supervisor",
        "Att växa in i chefsrollen",
        "Harva päätyy esihenkilöksi suunnitellusti. Mikä yllätti, mitä olen oppinut?",
        "Few become supervisors by plan. What surprised me, what have I learned?",
        "Få blir chefer enligt plan. Vad överraskade mig, vad har jag lärt mig?",
    ),
    (
        "Turvallisuuden luominen tiimiin",
        "Creating safety in the team",
        "Att skapa trygghet i teamet",
        "Psykologinen turvallisuus, luottamus ja virheistä oppiminen arjessa.",
        "Psychological safety, trust and learning from mistakes in everyday work.",
        "Psykologisk trygghet, tillit och att lära av misstag i vardagen.",
    ),
    (
        "Rekrytointi ja perehdytys",
        "Recruiting and onboarding",
        "Rekrytering och introduktion",
        "Oikean ihmisen löytäminen ja hyvä alku uudelle työntekijälle.",
        "Finding the right person and a good start for a new employee.",
        "Att hitta rätt person och en bra start för en ny medarbetare.",
    ),
    (
        "Ajankäyttö ja priorisointi",
        "Time and priorities",
        "Tidsanvändning och prioriteringar",
        "Kalenteri täynnä: mihin sanon kyllä, mihin ei?",
        "A full calendar: what do I say yes to, and what no?",
        "En full kalender: vad säger jag ja till, och vad nej?",
    ),
    (
        "Organisaatiokulttuurin näkyväksi tekeminen",
        "Making the organisation's culture visible",
        "Att synliggöra organisationskulturen",
        "Miten omat valintani esihenkilönä näyttävät, mitä meillä pidetään tärkeänä?",
        "How do my choices as a supervisor show what we value here?",
        "Hur visar mina val som chef vad vi värdesätter här?",
    ),
    (
        "Etä- ja hybridityön johtaminen",
        "Leading remote and hybrid work",
        "Att leda distans- och hybridarbete",
        "Yhteys, luottamus ja tasapuolisuus, kun tiimi ei ole samassa paikassa.",
        "Connection, trust and fairness when the team is not in one place.",
        "Kontakt, tillit och rättvisa när teamet inte är på samma plats.",
    ),
]


def add_library(apps, schema_editor):
    Theme = apps.get_model("sessions_app", "Theme")
    for title_fi, title_en, title_sv, desc_fi, desc_en, desc_sv in THEMES:
        Theme.objects.get_or_create(
            forum=None,
            title_fi=title_fi,
            defaults={
                "title_en": title_en,
                "title_sv": title_sv,
                "description_fi": desc_fi,
                "description_en": desc_en,
                "description_sv": desc_sv,
            },
        )


def remove_library(apps, schema_editor):
    Theme = apps.get_model("sessions_app", "Theme")
    Theme.objects.filter(forum=None, title_fi__in=[row[0] for row in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0001_initial")]
    operations = [migrations.RunPython(add_library, remove_library)]
