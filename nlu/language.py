"""Tells Danish from English in short chat messages.

A small vote of stop words and the domain's most common words ("pris", "klage" / "price", "complaint"), so a
fragment such as "price?" is read as English: chat messages are too short for character statistics, and a
wrong guess only changes the reply language, which the person can fix with /sprog.
"""

from __future__ import annotations

from nlu.normalize import words

_DANISH = frozenset("""
jeg du han hun vi de det den er var har hvad hvor hvem hvordan hvornår hvorfor hvis ikke ik ikk nej ja
og eller men til fra med på af om som kan skal vil må få får min mit mine din dit dine sig selv
behandling hjælp hjaelp stoffer kommune kommunen borger søn datter mor far kæreste ven venner
koster gratis tak hej godmorgen goddag farvel også meget lidt noget nogen alle bare lige nu
pris klage klagefrist frist ventetid garanti behandlingsgaranti døgn døgnbehandling dagbehandling ambulant
udskrivning møde møder læge medicin afgørelse valg gravid børn oplysninger opfølgning sagsbehandlingstid
brugerinddragelse inddragelse behandlingsplan behandlingsplanen afgiftning egenbetaling kost logi loven krav
leverandør leverandører graviditet henvisning samtale samtaler gruppe individuel anonym ansøgning søge søger
samtykke psykiatrien udredning visitation misbrug forbrug hvilken hvilke betale telefon nummer adresse
""".split())
_ENGLISH = frozenset("""
i you he she we they it is are was were have has what where who how when why if not no yes
and or but to from with on of about as can shall will must get gets my mine your yours me myself
treatment help drugs council citizen son daughter mother father girlfriend boyfriend friend
cost costs free thanks thank hello hi bye also much little something someone all just now the a an
do does did don't doesn't i'm im need want please would could should there this that
price anonymous complaint complain deadline follow up processing waiting guarantee residential outpatient
discharge meeting meetings doctor medication methadone appeal decision choice pregnant children rights
involvement user users rehab detox lodging board payment travel legal requirements provider providers
municipality pregnancy kids child appointment appointments session sessions individual referral apply
application complaints consent psychiatry records privacy assessment approval approved which pay phone
number address opening hours
""".split())


def detect(text: str) -> str | None:
    """Return "da" or "en" when the text says so clearly enough, else None."""
    lowered = text.lower()
    tokens = words(lowered)
    da = sum(1 for t in tokens if t in _DANISH)
    en = sum(1 for t in tokens if t in _ENGLISH)
    if any(ch in word.lower() for word in text.split() if not word[:1].isupper() for ch in "æøå"):
        da += 2  # Danish letters weigh, but not in a capitalised name ("Brønderslev" in an English sentence)
    if da == en:
        return None
    return "da" if da > en else "en"
