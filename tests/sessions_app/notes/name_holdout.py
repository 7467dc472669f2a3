# ruff: noqa: E501 (one labelled sentence a line reads better than wrapped ones)
"""The holdout for issue 16: sentences written after the last change to the detector's
rules (after ``name_corpus`` and ``name_holdout_first`` had shaped them), with members and
other people named differently again, and run unchanged. Nothing was tuned to them.

Same format as ``name_corpus``: ``(text, expected)``, ``expected`` listing ``(kind,
surface)`` in order of appearance; a "possible name" finding counts as a finding.
"""

MEMBERS = [
    "Unelma Joki",
    "Leimu Varis",
    "Usva Nummi",
    "Ahti Kangas",
    "Sampo Rinne",
    "Aamu Tuisku",
]

M, P = "member", "person"

HOLDOUT: list[tuple[str, list[tuple[str, str]]]] = [
    # --- members' names, inflected, at the start of a sentence
    ("Unelman mielestä kehityskeskustelut ovat muuttuneet muodollisuudeksi.", [(M, "Unelman")]),
    ("Unelmalle ehdotettiin, että hän kokeilisi mentorointia.", [(M, "Unelmalle")]),
    ("Joen tiimissä on ollut paljon lyhyitä sairauspoissaoloja.", [(M, "Joen")]),
    ("Joelle soitettiin kesken tapaamisen työterveyshuollosta.", [(M, "Joelle")]),
    ("Leimun alainen on pyytänyt siirtoa toiseen yksikköön.", [(M, "Leimun")]),
    ("Leimu kertoi, että hänen tiiminsä on ollut ilman esihenkilöä kuukauden.", [(M, "Leimu")]),
    ("Variksen mukaan uudet tavoitteet ovat ristiriidassa keskenään.", [(M, "Variksen")]),
    ("Varikselle suositeltiin, että hän ottaisi asian puheeksi johtoryhmässä.", [(M, "Varikselle")]),
    ("Usvan esihenkilö on luvannut lisää resursseja syksyllä.", [(M, "Usvan")]),
    ("Usvalta kysyttiin, miten hän on tukenut uupunutta alaistaan.", [(M, "Usvalta")]),
    ("Nummen mielestä etätyöpäivistä pitäisi sopia tiimeittäin.", [(M, "Nummen")]),
    ("Nummelle kerrottiin, että rekrytointilupa on myönnetty.", [(M, "Nummelle")]),
    ("Ahdin kanssa sovittiin, että hän kirjoittaa yhteenvedon.", [(M, "Ahdin")]),
    ("Ahti sanoi, että hän on harkinnut esihenkilötehtävästä luopumista.", [(M, "Ahti")]),
    ("Kankaan tiimissä otettiin käyttöön viikoittaiset kahdenkeskiset.", [(M, "Kankaan")]),
    ("Kankaalle ehdotettiin työnohjausta.", [(M, "Kankaalle")]),
    ("Sammon alaiset ovat kokeneet muutoksen raskaana.", [(M, "Sammon")]),
    ("Sammolle jäi epäselväksi, kuka vastaa budjetista.", [(M, "Sammolle")]),
    ("Rinteen mukaan tiimi on alkanut luottaa toisiinsa.", [(M, "Rinteen")]),
    ("Rinne totesi, että palautteen pyytäminen on ollut vaikeaa.", [(M, "Rinne")]),
    ("Aamun mielestä palaverikäytännöt ovat parantuneet.", [(M, "Aamun")]),
    ("Aamulle ehdotettiin lyhyempiä työpäiviä syksyksi.", [(M, "Aamulle")]),
    ("Tuiskun yksikössä on kolme uutta työntekijää.", [(M, "Tuiskun")]),
    ("Tuisku kertoi pelkäävänsä, että hän ei jaksa kevääseen.", [(M, "Tuisku")]),
    # --- members' names in the middle of a sentence
    ("Keskustelimme Unelman kanssa hänen työkuormastaan.", [(M, "Unelman")]),
    ("Ryhmä kiitti Jokea rohkeasta puheenvuorosta.", [(M, "Jokea")]),
    ("Sovittiin, että Leimu ja Ahti valmistelevat seuraavan teeman.", [(M, "Leimu"), (M, "Ahti")]),
    ("Ensi kerralla kuullaan Usvan kokemuksista vuorotyöstä.", [(M, "Usvan")]),
    ("Materiaali lähetetään Sammolle ja Rinteelle.", [(M, "Sammolle"), (M, "Rinteelle")]),
    ("Tapaamisen avasi Aamu Tuisku.", [(M, "Aamu"), (M, "Tuisku")]),
    ("Ahti Kankaan mielestä johto ei ymmärrä arkea.", [(M, "Ahti"), (M, "Kankaan")]),
    ("Usva said the new shift system had exhausted her team.", [(M, "Usva")]),
    ("Enligt Sampo har samarbetet med HR blivit bättre.", [(M, "Sampo")]),
    # --- members' names used as ordinary words
    ("Joen varrella kulkeva polku on suosittu kävelypalaverien reitti.", []),
    ("Joki tulvi keväällä, ja toimiston kellari kastui.", []),
    ("Unelmat ja arki eivät aina kohtaa, pohti ryhmä.", []),
    ("Usva peitti järven, kun aloitimme ulkotapaamisen.", []),
    ("Nummella sijaitseva kurssikeskus on remontissa.", []),
    ("Kankaan valinta tiimin uusiin paitoihin jäi kesken.", []),
    ("Rinteessä laskettelu oli tyky-päivän ohjelmassa.", []),
    ("Aamu alkoi palaverilla, jossa kaikki olivat väsyneitä.", []),
    ("Tuisku yltyi iltapäivällä, joten osa lähti aikaisin kotiin.", []),
    ("Rinnettä ylös kävely oli monelle raskasta.", []),
    ("Varikset raakkuivat pihalla koko tapaamisen ajan.", []),
    # --- other people
    ("Hallituksen puheenjohtaja Erkki Suominen vieraili henkilöstöinfossa.", [(P, "Erkki"), (P, "Suominen")]),
    ("Sisareni Johanna on auttanut minua jaksamaan.", [(P, "Johanna")]),
    ("Appeni Reijo sairastui, ja jouduin jäämään kotiin.", [(P, "Reijo")]),
    ("Controller Outi Mäkipää pyysi luvut perjantaihin mennessä.", [(P, "Outi"), (P, "Mäkipää")]),
    ("Alaiseni Chidi Okafor on hakenut vakituista paikkaa.", [(P, "Chidi"), (P, "Okafor")]),
    ("Työntekijäni Mariam pyysi vapaata lapsen sairauden takia.", [(P, "Mariam")]),
    ("Kollegani Dmitri Volkov siirtyi Tampereelle.", [(P, "Dmitri"), (P, "Volkov")]),
    ("Keskustelin asiakkaamme Ewa Kowalskan kanssa laskutuksesta.", [(P, "Ewa"), (P, "Kowalskan")]),
    ("Vår VD Gunnar Holm meddelade omorganisationen i fredags.", [(P, "Gunnar"), (P, "Holm")]),
    ("Our HR partner Nadia Khan promised to look into it.", [(P, "Nadia"), (P, "Khan")]),
    ("Jyrki kertoi, että hänen tiiminsä on pienentynyt.", [(P, "Jyrki")]),
    # --- nothing personal
    ("Sovittiin, että seuraavaksi käsitellään muutosvastarintaa.", []),
    ("Henkilöstöjohtaja lupasi vastata kysymyksiin ensi viikolla.", []),
    ("Ryhmä pohti, miten omaa jaksamista voi seurata arjessa.", []),
]  # fmt: skip
