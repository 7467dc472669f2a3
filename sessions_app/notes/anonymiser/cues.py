"""Word lists for weighing whether a name that is also an ordinary word is meant as a name:
the words around it that speak for a person ("Sadun mielestä", "Sadulle ehdotettiin") or
for a thing or a place ("Mäen päällä", "Niemellä sijaitseva"), and the titles and relations
that introduce somebody's name ("toimitusjohtaja Kari Mattila", "vaimoni Leena").
Data only; the rules that use it are in ``evidence``.
"""

from __future__ import annotations

import re


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Base forms (as Voikko gives them) of verbs whose subject or object is usually a person, in
# any person, tense or the passive: "Satu kertoi", "Sadulle ehdotettiin", "Sadulta kysyttiin".
HUMAN_VERB_BASES = _word_set(
    "kertoa sanoa todeta kysyä kysellä pyytää vastata ehdottaa kommentoida huomauttaa "
    "ilmoittaa soittaa kirjoittaa lähettää haluta toivoa luvata suuttua itkeä hermostua "
    "loukkaantua ahdistua irtisanoutua irtisanoa valittaa kokea tuntea tuntua ajatella muistuttaa "
    "painottaa korostaa kieltäytyä myöntää pahoitella kiittää kehua moittia uhata puhua "
    "keskustella pelätä sairastua osallistua palata aloittaa lopettaa suositella neuvoa "
    "kuvata kuvailla pohtia miettiä harkita päättää aikoa epäillä ihmetellä selittää jakaa "
    "tuoda nostaa ottaa vetää johtaa esittää avata arvioida kannustaa tukea jaksaa väsyä "
    "uupua huolestua ilahtua innostua harmitella vaatia hakea siirtyä tarjota opastaa ohjata "
    "muistaa unohtaa tietää ymmärtää kuulla huomata oppia saada antaa kehottaa rohkaista "
    "lohduttaa kuunnella tavata haastatella palkata nimittää lomauttaa ylentää varoittaa "
    "pyydellä tiedustella jäädä"
)
# The same as surface forms, for the fallback without Voikko (and sv/en verbs for both).
HUMAN_VERB_FORMS = _word_set(
    "kertoi kertoo kertovat sanoi sanoo totesi toteaa kysyi kysyy pyysi pyytää vastasi "
    "ehdotti ehdottaa kommentoi huomautti ilmoitti soitti kirjoitti lähetti halusi haluaa "
    "toivoi lupasi suuttui itki hermostui loukkaantui ahdistui irtisanoutui valitti koki "
    "kokee tuntee tunsi tuntui ajattelee ajatteli muistutti painotti korosti kieltäytyi myönsi "
    "pahoitteli kiitti kehui moitti uhkasi puhui keskusteli pelkää pelkäsi sairastui "
    "osallistui palasi aloitti lopetti suositteli neuvoi kuvasi kuvaili pohti mietti harkitsee "
    "harkitsi päätti aikoo epäili ihmetteli selitti jakoi toi nosti otti veti esitti arvioi "
    "kannusti jaksaa jaksoi väsyi uupui huolestui ilahtui innostui vaati haki siirtyi "
    "tarjosi unohti tiesi ymmärsi kuuli huomasi sai antoi kehotti jäi "
    "kerrottiin sanottiin kysyttiin ehdotettiin pyydettiin suositeltiin soitettiin "
    "annettiin tarjottiin neuvottiin ilmoitettiin muistutettiin kiitettiin toivottiin "
    "luvattiin huomautettiin lähetettiin kehotettiin korostettiin todettiin vastattiin "
    "kerrotaan sanotaan kysytään ehdotetaan suositellaan ilmoittaa lupaa soittaa toivoo valittaa "
    "berättade berättar sa sade säger tyckte tycker kände känner frågade frågar ville vill "
    "föreslog svarade skrev "
    "said says told tells asked asks wrote mentioned felt feels thinks thought wants wanted "
    "complained explained replied agreed refused admitted suggested reported resigned cried "
    "shouted had has"
)
# Forms of "olla" (to be) and the states after them that only people are in.
BE_FORMS = _word_set("on oli ovat olivat olisi ei ollut olleet")
HUMAN_STATES = _word_set(
    "huolissaan sairauslomalla lomalla vapaalla poissa paikalla mukana väsynyt uupunut "
    "helpottunut pettynyt tyytyväinen vihainen iloinen innoissaan ahdistunut eri samaa "
    "sairaana kotona töissä eläkkeellä vanhempainvapaalla lomautettuna kiireinen"
)
# A word after a name that is about a person: "Sadun mielestä", "Onnin kanssa".
PERSON_POSTPOSITIONS = _word_set(
    "mielestä mukaan kanssa kanssaan kanssani kanssamme luona luokse luota puolesta "
    "ehdotuksesta pyynnöstä aloitteesta takia vuoksi kertoman kertomaan mielipide mielipidettä"
)
# After a genitive, the start of a noun that belongs to a person: "Lahjan alainen",
# "Mäen tiimissä", "Helmin jaksamisesta".
PERSON_HEADS = (
    "tiimi", "tiimil", "alai", "esihenkilö", "esimie", "yksikk", "yksikö", "kokemu",
    "esimerk", "ehdotu", "tilante", "työ", "kollega", "kollegoi", "perhe", "puoliso",
    "lapse", "lapsi", "äiti", "äidi", "isä", "jaksami", "vastuu", "osasto", "projekt",
    "kehityskeskustelu", "palaut", "kysymy", "kommentt", "huol", "ajatu", "näkemy",
    "kertomu", "vuoro", "puheenvuoro", "mieli", "toive", "toivee", "tunte", "osaami",
    "tehtäv", "rooli", "päätö", "asema", "sijai", "viest", "sähköpost", "puhel",
    "poissaolo", "sairau", "uupumu", "ura", "palkka", "sopimu", "esity", "alustu", "idea",
    "vastau", "puhe", "pyyntö", "pyynnö", "huomio", "lähtö", "loma", "vuosiloma",
)  # fmt: skip
# After a name, words that make it a place, a time or a thing: "Mäen päällä", "Salon
# kaupunki", "Niemellä sijaitseva", "Rannalle rakennettu", "Illan aikana".
PLACE_WORDS = _word_set(
    "aikana aikaan jälkeen ajan mittaan kuluessa alussa lopussa kohden kohti asti saakka "
    "päätteeksi "
    "päällä päälle päältä alla alle alta juurella juurelle juurelta juuressa takana taakse "
    "takaa vieressä viereen vierestä vierellä reunalla reunalle reunalta laidalla laidalle "
    "laidalta laella laelle laelta rinteellä rinteelle rinteessä rinteeseen kärjessä kärkeen "
    "kärjestä kärjellä rannalla rannalle rannalta rannassa yllä yli ylitse poikki halki "
    "ympärillä ympäri keskellä suulla suulle varrella varrelle varrelta pohjalla pohjalle "
    "pinnalla pinnalle mukana kohdalla kupeessa kyljessä edessä edustalla yläpuolella "
    "alapuolella sisällä läpi ylös alas ylhäällä alhaalla"
)
PLACE_PREFIXES = (
    "kaupun", "kunna", "kunta", "seutu", "seudu", "alue", "kylä", "kylää", "sijait", "olev",
    "rakennet", "kulkev", "nousev", "laskev", "virtaav", "huipu", "maisem", "tie", "polku",
    "polu",
)  # fmt: skip
# Conjunctions and subordinators after a verb form: "Uskon, että", "Toivon ettei".
THAT_WORDS = _word_set("että ettei etten ettet ettemme ettette jotta kun")

# Titles and relations that introduce a name: "toimitusjohtaja Kari Mattila", "vaimoni
# Leena", "tyttäreni Lumi". Long ones also end a compound ("henkilöstöpäällikkö"); short ones
# only start a word ("isäni" but not "lisäksi"). Any case or possessive ending may follow.
_TITLE_STEMS = (
    "johtaja", "päällikkö", "päällikö", "esihenkilö", "esimies", "esimiehe", "lääkäri",
    "hoitaja", "psykologi", "luottamusmies", "luottamusmiehe", "luottamusedustaja",
    "valtuutettu", "valtuutetu", "koordinaattori", "asiantuntija", "sihteeri", "assistentti",
    "konsultti", "valmentaja", "ohjaaja", "vetäjä", "harjoittelija", "sijainen", "sijaise",
    "työntekijä", "alainen", "alaise", "alaist", "kollega", "työkaveri", "työtoveri",
    "asiakas", "asiakkaa", "puoliso", "vaimo", "aviomies", "aviomiehe", "tytär", "tyttäre",
    "ystävä", "naapuri", "anoppi", "anopi", "tohtori", "professori", "rehtori", "opettaja",
    "pastori", "ministeri", "insinööri", "myyjä", "kumppani", "serkku", "serku", "mummo",
    "isoäiti", "isoäidi", "isoisä", "edustaja", "puheenjohtaja", "jäsen",
)  # fmt: skip
_RELATION_STEMS = (
    "mies", "miehe", "poika", "poja", "äiti", "äidi", "isä", "veli", "velje", "sisko",
    "sisar", "sisare", "appi", "ape", "setä", "sedä", "täti", "lapsi", "lapse", "herra", "rouva",
    "neiti",
)  # fmt: skip
TITLE_RE = re.compile(
    rf"^(?:.*(?:{'|'.join(_TITLE_STEMS)})[a-zäöå]{{0,6}}"
    rf"|(?:{'|'.join(_RELATION_STEMS)})(?:[aä]?(?:n|t|ni|si|nsa|nsä|mme|nne|lle|lla|llä|lta|ltä))?)$"
)
TITLE_WORDS = _word_set(
    "mr mrs ms dr named nimeltä nimeltään "
    "wife husband partner son daughter mother father sister brother friend neighbour "
    "neighbor ceo cfo cto chair chairman chairwoman doctor nurse teacher colleague manager "
    "boss supervisor employee subordinate director client customer coworker co-worker "
    "chef chefen kollega kollegan fru frun hustru hustrun mannen sonen dotter dottern mamma "
    "pappa syster systern bror brodern vän vännen granne grannen vd direktör direktören "
    "medarbetare medarbetaren anställd anställda kund kunden"
)
