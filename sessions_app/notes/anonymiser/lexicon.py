"""Word lists for telling names from other words: Voikko's classes and cases, context
words, cue words, and the built-in list of common names (used without Voikko and to fill
gaps in its lexicon). Data only; the rules that use it are in ``names`` and ``stems``.
"""

from __future__ import annotations


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


NAME_CLASSES = {"etunimi", "sukunimi"}
PROPER_CLASSES = NAME_CLASSES | {"paikannimi", "nimi"}
# Cases that put a place reading first: "Heikkilässä" is a place, "Heikkilälle" a person.
INTERIOR_CASES = {"sisaolento", "sisaeronto", "sisatulento"}
LOCATIVE_CASES = INTERIOR_CASES | {"ulkoolento", "ulkoeronto"}

# Capitalised words that Voikko or the fallback would take as names but which are not.
NOT_NAMES = _word_set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday posti kela nokia kone alko "
    "telia fazer valio ilmarinen varma elo keva "
    # Swedish pronouns, capitalised at the start of a sentence ("Min chef ...")
    "min din sin hans hennes vår våra deras mitt ditt sitt mina dina hon han vi det den"
)

PRONOUNS = _word_set("she he they we you it everyone everybody someone somebody nobody")
DETERMINERS = _word_set("the a an your this that these those my our all")  # "Mark the date"
CONJUNCTIONS = _word_set("ja sekä tai eli and or &")

# A capitalised word after one of these is somebody's name even if no dictionary knows it.
CUE_PREFIXES = (
    "alai", "kollega", "kollegoi", "työkaveri", "työtoveri", "työntekijä", "esihenkilö",
    "esimie", "johtaja", "päällikkö", "tiiminvetäjä", "asiakas", "asiakkaa", "puoliso",
    "vaimo", "aviomie", "herra", "rouva", "tohtori", "employee", "colleague", "coworker",
    "co-worker", "manager", "boss", "supervisor", "subordinate", "director",
)  # fmt: skip
CUE_WORDS = {"mr", "mrs", "ms", "dr", "named"}

# Common names: the fallback's whole lexicon, and a filler for gaps in Voikko's (it files
# "Mari" and "Kaarina" only as places). Ordinary-word names are in AMBIGUOUS.
COMMON_FIRST_NAMES = _word_set(
    "aada aapo aarne aatu aino aleksi anja anna anne anneli anni anniina antero antti ari "
    "arja arto asko eemeli eero eetu eeva eija eila eino elias elina eliisa elisa ella elli "
    "emilia emma esa esko hanna hannele hannu harri heidi heikki heli helena helmi henna "
    "henrik hilkka hilla iida iiris ilkka ilmari ilona inkeri irma irja jaakko jaana janne "
    "jari jarmo jenna jenni jere jesse joel johanna joni jonna joonas jorma jouni juha juhani "
    "juho jukka julia jussi jyrki kaarina kai kaija kaisa kalle kari karoliina katja kati "
    "kerttu kimmo kirsi kirsti kristiina kyösti laura lauri leena leila liisa lotta maarit maija "
    "marika marja marjatta marjo marko markku markus martti matias matti mervi mika mikael "
    "mikko milla minna mira mirja mirva niina niko nina noora oliver olli onni oona ossi "
    "outi paavo pasi pauliina pekka pentti petri petteri pia pirjo pirkko päivi raija raimo "
    "reijo reino riikka riitta risto ritva sakari sami sanna sanni sara sari satu seppo "
    "siiri sini sirpa sofia susanna suvi taina taneli tapani tapio tarja teemu terhi teuvo "
    "tiina timo tommi toni topi toivo tuija tuomas tuomo tuula tuuli tuulikki ulla ulla-maija "
    "unto urho usko valtteri veera veikko veli venla vesa ville vilma virpi väinö aila "
    "john james robert michael william david richard joseph thomas charles daniel matthew "
    "anthony mark paul steven andrew kevin brian george edward peter chris alex tom jack "
    "harry oliver mary patricia jennifer linda elizabeth barbara susan jessica sarah karen "
    "nancy lisa emily laura rachel olivia sophie lucy kate helen anna maria priya ben sam joe dan "
    "tim mari anu petra tero teija tiia tanja merja jani lassi rami tomi henri essi emmi mia "
    "ronja iina jonne sauli tuukka eveliina raili aune irja seija marketta pertti kauko "
    "erkki lasse kalevi olavi ilpo kaisu kaarlo eija-riitta maj britt maj-britt "
    # Swedish
    "björn lars anders erik johan karl gustav nils sven magnus stefan fredrik mats "
    "jonas oskar axel emil ingrid karin kerstin birgitta eva annika malin ebba elsa astrid "
    "sigrid linnea frida greta agneta margareta lena camilla charlotta ida stina kristina "
    "gunilla solveig ragnar torsten åsa göran håkan mikaela "
    # English
    "greg gregory emma grace chloe amy hannah claire megan ryan jason scott justin adam "
    "luke sean patrick simon nicholas jonathan timothy stephen philip martin carol "
    # from other cultures
    "ahmed mohammed mohamed muhammad hassan hussein omar abdi abdullahi yusuf ibrahim "
    "mustafa fatima fatma aisha amina zainab leila yasmin khadija hamza mehmet ayşe emine "
    "olena oksana natalia svetlana tatjana tatiana irina olga sergei dmitri aleksandr "
    "aleksei ivan vladimir yuri andrei nguyen minh linh huong chen ming "
    "arjun ravi deepa anil sunita kofi kwame amara chidi jose juan carlos miguel lucia "
    "elena marco giulia pablo diego wojciech katarzyna agnieszka piotr tomasz"
)
COMMON_SURNAMES = _word_set(
    "mäkelä heikkilä koskela hakala jokela peltola rantala laine mäki kivi aalto virta kallio "
    "harju lampi nurmi laakso honka koivu rinne "
    "smith jones brown johnson williams taylor wilson davies evans miller clark"
)
# Names that are also everyday words ("Aina", "Päivä", "Toivon" = I hope): capitalised at the
# start of a sentence they need context to count as names. Mostly from Voikko's own readings.
AMBIGUOUS = _word_set(
    "aina aamu ilta päivä ilma kai pia anna toivo satu tuuli helmi onni into aino usko armas "
    "lempi valo veli kari meri ilona sini rauha lumi tyyne sulo oiva lahja vilja hilla urho "
    "voitto taisto tarmo marja aura tähti kukka ruusu taimi jalo kaino kielo orvokki terttu "
    "vappu vieno lilja iiris suvi tapani elo sisko ukko sirkka ahti lauha säde hely "
    "mäki koski niemi kivi lahti ranta saari vuori laine aalto virta kallio harju lampi nurmi "
    "laakso honka koivu rinne salo kangas lehto järvi pelto pilvi sade kaste usva sointu "
    "taika halla kuura aho suo oja kaski kuusi tammi haapa leppä paju kataja vaahtera mänty "
    "karhu susi kettu kotka haukka joutsen lintu kari luoto niitty metsä"
)
