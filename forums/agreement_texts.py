"""Default group agreement texts, drawn from the forums' values (see shared BRIEF)."""

DEFAULT_AGREEMENT = {
    "fi": """Ryhmäsopimus

1. Luottamuksellisuus. Mitä foorumissa kerrotaan, jää foorumiin. Emme kerro toisten asioita eteenpäin emmekä tunnistettavasti edes omassa työyhteisössämme, ellei koko ryhmä ole siihen suostunut.
2. Tasavertaisuus. Jokainen on täällä esihenkilönä ja ihmisenä, ei asemansa, organisaationsa tai kokemusvuosiensa edustajana. Jokaisen ääni on yhtä tärkeä.
3. Kunnioitus ja turvallisuus. Kuuntelemme keskeyttämättä, emme arvostele emmekä nolaa. Jokainen päättää itse, mitä kertoo. Foorumi on turvallinen paikka myös epävarmuudelle.
4. Kokemusta, ei neuvoja. Jaamme omia kokemuksiamme ("minulla kävi näin") sen sijaan, että kertoisimme toiselle, mitä hänen pitäisi tehdä.
5. Sitoutuminen. Osallistumme tapaamisiin, valmistaudumme niihin ja ilmoitamme poissaolosta etukäteen. Jokainen on tärkeä ryhmälle.
6. Muistiot ovat nimettömiä. Tapaamisten muistioihin ei kirjata nimiä eikä tunnistettavia tietoja.

Hyväksymällä sitoudun noudattamaan tätä sopimusta.""",
    "en": """Group agreement

1. Confidentiality. What is said in the forum stays in the forum. We do not pass on others' matters, not even unnamed in our own workplace, unless the whole group has agreed.
2. Equality. Everyone is here as a supervisor and a person, not as a representative of their position, organisation or years of experience. Every voice counts the same.
3. Respect and safety. We listen without interrupting, we do not judge or embarrass. Everyone decides what they share. The forum is a safe place for uncertainty too.
4. Experience, not advice. We share our own experience ("this is what happened to me") rather than telling others what they should do.
5. Commitment. We attend the meetings, prepare for them and tell in advance when we cannot come. Everyone is important to the group.
6. Notes are anonymous. Session notes record no names and nothing that identifies a person.

By accepting I commit to this agreement.""",
    "sv": """Gruppavtal

1. Konfidentialitet. Det som sägs i forumet stannar i forumet. Vi för inte vidare andras angelägenheter, inte ens utan namn på vår egen arbetsplats, om inte hela gruppen har samtyckt.
2. Jämlikhet. Alla är här som chefer och människor, inte som företrädare för sin position, organisation eller erfarenhet. Allas röst väger lika.
3. Respekt och trygghet. Vi lyssnar utan att avbryta, vi dömer inte och vi generar ingen. Var och en bestämmer själv vad hen berättar. Forumet är en trygg plats även för osäkerhet.
4. Erfarenhet, inte råd. Vi delar egna erfarenheter ("så här gick det för mig") i stället för att säga åt andra vad de borde göra.
5. Engagemang. Vi deltar i mötena, förbereder oss och meddelar i förväg om vi inte kan komma. Var och en är viktig för gruppen.
6. Anteckningarna är anonyma. I minnesanteckningarna skrivs inga namn eller uppgifter som kan identifiera någon.

Genom att godkänna förbinder jag mig att följa detta avtal.""",
}


def default_agreement_text(language: str) -> str:
    return DEFAULT_AGREEMENT.get(language, DEFAULT_AGREEMENT["fi"])
