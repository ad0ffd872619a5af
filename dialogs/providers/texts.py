"""Every sentence of the provider desk, as gettext message ids (Danish source text), domain "providers".

The English text is in dialogs/locale/en/LC_MESSAGES/providers.po. Labels for the catalogue's codes
(offer types, target groups, ownership, contract status) are here too, keyed by code.
"""

from __future__ import annotations

from dialogs.i18n import N_

DOMAIN = "providers"

TEXTS: dict[str, str] = {
    "found": N_("{count} udbydere passer. Viser {first}–{last}:"),
    "found_one": N_("1 udbyder passer:"),
    "query": N_("Søgning: {filters}"),
    "query_all": N_("Søgning: alle godkendte udbydere"),
    "sorted_price": N_("billigst først"),
    "sorted_waiting": N_("kortest ventetid først"),
    "sorted_distance": N_("nærmest først"),
    "age_exact": N_("{age} år"),
    "age_under": N_("højst {age} år"),
    "age_over": N_("mindst {age} år"),
    "age_range": N_("{low}–{high} år"),
    "line_provider": N_("{number}. {name} – {offers}, {region} ({municipality})"),
    "line_waiting": N_("Ventetid: {days} (opdateret {date})"),
    "line_waiting_unknown": N_("Ventetid: ukendt"),
    "line_stale": N_("muligvis forældet"),
    "line_free": N_("ledige pladser: {count} (opdateret {date})"),
    "line_price": N_("Pris: {price} kr. pr. dag ({offer})"),
    "line_price_unknown": N_("Pris: ikke oplyst"),
    "line_why": N_("Passer: {reasons}"),
    "why_primary": N_("kommunens primære leverandør"),
    "why_named": N_("nævnt ved navn"),
    "why_dual": N_("tager imod dobbeltdiagnose"),
    "why_age": N_("alder {range}"),
    "why_region": N_("i {region}"),
    "more": N_("Vis flere ({next_first}–{next_last} af {total})"),
    "page_expired": N_("Listen er udløbet. Stil spørgsmålet igen, så får du en ny liste."),
    "none": N_("Ingen godkendte udbydere passer til søgningen."),
    "widen_region": N_("Ingen i {region}: {count} i hele landet uden regionskravet."),
    "widen_nothing": N_("Heller ikke med færre krav er der nogen: prøv en anden tilbudstype."),
    "filter_offer_type": N_("tilbudstypen"),
    "filter_target_group": N_("målgruppen"),
    "filter_age": N_("alderskravet"),
    "filter_region": N_("regionen"),
    "sample": N_("Eksempeldata: kataloget er et eksempel, ikke kommunens egne aftaler."),
    "help": N_(
        "Spørg om tilbud med dine egne ord, fx »hvilke døgntilbud tager imod gravide?«, »kortest ventetid på "
        "dagbehandling i Nordjylland«, »billigste døgn med dobbeltdiagnose« eller »hvad koster <udbyder> pr. døgn?«. "
        "Eller skriv /tilbud efterfulgt af spørgsmålet."),
    "unknown_provider": N_("Jeg kender ingen udbyder med det navn i kataloget."),
    # A named provider's card
    "card_title": N_("{name} ({ownership}, {municipality}, {region})"),
    "card_offers": N_("Tilbud: {offers}"),
    "card_prices": N_("Pris pr. dag: {prices}"),
    "card_price_item": N_("{offer} {price} kr."),
    "card_no_prices": N_("Pris pr. dag: ikke oplyst"),
    "card_board": N_("Kost og logi: {price} kr. pr. døgn"),
    "card_board_unknown": N_("Kost og logi: ikke oplyst"),
    "card_unplanned": N_("Betaling ved uplanlagt afslutning: {terms}"),
    "card_unplanned_unknown": N_("Betaling ved uplanlagt afslutning: ikke oplyst"),
    "card_groups": N_("Målgrupper: {groups}"),
    "card_ages": N_("Alder: {range}"),
    "card_age_fits": N_("Tager imod en på {age} år: {answer}"),
    "card_approval": N_("Godkendt af Socialtilsynet: {approved}. Tilbudsportalen: {listed}."),
    "card_contract": N_("Aftale med kommunen: {contract}"),
    "card_phone": N_("Indtag: {phone}"),
    "yes": N_("ja"),
    "no": N_("nej"),
    # Frit valg
    "frit_valg_rules": N_(
        "Frit valg (servicelovens § 101, stk. 5): borgeren kan vælge et andet offentligt eller privat tilbud af "
        "samme type, som borgeren er visiteret til, aldrig skift mellem dag- og døgnbehandling (Ankestyrelsens "
        "principafgørelse 23-18). Stedet skal være godkendt af Socialtilsynet og stå på Tilbudsportalen. Der er "
        "ikke frit valg ved anonym behandling (§ 101 a). Vælger borgeren et andet tilbud end det, kommunen har "
        "bevilget, gælder behandlingsgarantien på 14 dage ikke, men behandlingen skal starte så hurtigt som muligt. "
        "Frit valg kan begrænses, hvis hensynet til borgeren taler for det (§ 101, stk. 7): det er jeres faglige "
        "vurdering."),
    "frit_valg_anonymous": N_(
        "Der er ikke frit valg ved anonym behandling (servicelovens § 101 a), så ingen udbyder kan vælges med "
        "frit valg til anonym behandling."),
    "frit_valg_one_type": N_(
        "Frit valg gælder kun tilbud af samme type, som borgeren er visiteret til. Skriv én tilbudstype, fx "
        "»frit valg døgn«."),
    "frit_valg_list": N_("Udbydere, borgeren kan vælge med frit valg til {offer}:"),
    "frit_valg_yes": N_("{name}: kan vælges med frit valg til {offer}."),
    "frit_valg_no": N_("{name}: kan ikke vælges med frit valg til {offer}: {why}."),
    "refusal_other_type": N_("tilbyder ikke {offer}"),
    "refusal_not_approved": N_("ikke godkendt af Socialtilsynet"),
    "refusal_not_listed": N_("står ikke på Tilbudsportalen"),
    "refusal_anonymous": N_("ingen frit valg ved anonym behandling (§ 101 a)"),
    "frit_valg_source": N_("Kilde: {title}, afsnittet »{section}«; servicelovens § 101, stk. 5 og 7, og § 101 a; {caveat}."),
}

# Sentences with a number: (singular, plural) message ids, chosen by the reply's parameter "count".
PLURALS: dict[str, tuple[str, str]] = {
    "widen": (N_("Uden {filter}: {count} udbyder."), N_("Uden {filter}: {count} udbydere.")),
    "held_back": (
        N_("{count} udbyder, der ellers passer, er ikke vist, fordi den ikke er godkendt af Socialtilsynet eller ikke "
           "står på Tilbudsportalen, og den kan heller ikke vælges med frit valg: {names}."),
        N_("{count} udbydere, der ellers passer, er ikke vist, fordi de ikke er godkendt af Socialtilsynet eller ikke "
           "står på Tilbudsportalen, og de kan heller ikke vælges med frit valg: {names}.")),
}

OFFER_LABELS: dict[str, str] = {
    "afgiftning": N_("afgiftning"),
    "ambulant_individuel": N_("ambulant individuel behandling"),
    "ambulant_gruppe": N_("ambulant gruppebehandling"),
    "dagbehandling": N_("dagbehandling"),
    "doegn": N_("døgnbehandling"),
    "anonym_101a": N_("anonym behandling (§ 101 a)"),
    "substitution": N_("substitutionsbehandling"),
    "opfoelgende_behandling": N_("opfølgende behandling"),
    "familiebehandling": N_("familiebehandling"),
    "raadgivning": N_("rådgivning"),
}

GROUP_LABELS: dict[str, str] = {
    "unge_u18": N_("unge under 18"),
    "unge_18_25": N_("unge 18–25"),
    "unge_u30": N_("unge under 30"),
    "gravide": N_("gravide"),
    "kommende_faedre": N_("kommende fædre"),
    "foraeldre_hjemmeboende_boern": N_("forældre med hjemmeboende børn"),
    "dobbeltdiagnose": N_("dobbeltdiagnose"),
    "kognitive_vanskeligheder": N_("kognitive vanskeligheder"),
    "fysiske_begraensninger": N_("fysiske begrænsninger"),
    "anden_etnisk_baggrund": N_("anden etnisk baggrund"),
    "opioid": N_("opioidbrugere"),
    "cannabis": N_("cannabis"),
    "stof_og_alkohol": N_("stof og alkohol"),
    "kriminalforsorg": N_("kriminalforsorgen"),
    "hjemloese": N_("hjemløse"),
    "arbejde_uddannelse_anonym": N_("i arbejde eller uddannelse"),
}

YOUTH_LABEL = N_("unge")

OWNERSHIP_LABELS: dict[str, str] = {
    "municipal_own": N_("kommunens eget"),
    "other_municipality": N_("anden kommune"),
    "regional": N_("regionalt"),
    "private": N_("privat"),
    "self_owned_institution": N_("selvejende"),
}

CONTRACT_LABELS: dict[str, str] = {
    "framework_agreement": N_("rammeaftale"),
    "partnership": N_("partnerskab"),
    "case_by_case": N_("enkeltsagsaftale"),
    "none": N_("ingen aftale"),
}

REGION_LABELS: dict[str, str] = {
    "Nordjylland": N_("Nordjylland"),
    "Midtjylland": N_("Midtjylland"),
    "Syddanmark": N_("Syddanmark"),
    "Sjælland": N_("Sjælland"),
    "Hovedstaden": N_("Hovedstaden"),
}


# Every key of the domain for the one Renderer: the sentences, the plural sentences and the labels of the
# catalogue's codes ("offer:doegn", "group:gravide", "region:Nordjylland", "ownership:private", "contract:none").
PROVIDER_TEXTS: dict[str, str | tuple[str, str]] = {
    **TEXTS, **PLURALS, "youth": YOUTH_LABEL,
    **{f"offer:{code}": message for code, message in OFFER_LABELS.items()},
    **{f"group:{code}": message for code, message in GROUP_LABELS.items()},
    **{f"region:{code}": message for code, message in REGION_LABELS.items()},
    **{f"ownership:{code}": message for code, message in OWNERSHIP_LABELS.items()},
    **{f"contract:{code}": message for code, message in CONTRACT_LABELS.items()},
}


def all_messages() -> list[str]:
    """Return every message id of the domain (for the catalog test; a plural message by its singular id)."""
    tables = (TEXTS, OFFER_LABELS, GROUP_LABELS, OWNERSHIP_LABELS, CONTRACT_LABELS, REGION_LABELS)
    return ([message for table in tables for message in table.values()] + [YOUTH_LABEL]
            + [singular for singular, _ in PLURALS.values()])
