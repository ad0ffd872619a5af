"""The kinds of case event a caseworker records. Identifiers only; Danish labels live in labels.yml.

The first eighteen are the events of a treatment course. The last three record that a duty was done
where no process event says so (a complaint forwarded to Ankestyrelsen, a follow-up held, the
provider's notice of an interruption received); without them those deadlines could never be met.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """One kind of case event, spelled as the caseworker types it (ASCII: ae, oe, aa)."""

    HENVENDELSE = "henvendelse"
    UDREDENDE_SAMTALE = "udredende_samtale"
    DOEGN_ANSOEGNING = "doegn_ansoegning"
    AFGOERELSE_SENDT = "afgoerelse_sendt"
    KLAGE_MODTAGET = "klage_modtaget"
    DELVIST_MEDHOLD_SENDT = "delvist_medhold_sendt"
    KLAGE_FASTHOLDT = "klage_fastholdt"
    BEHANDLINGSPLAN = "behandlingsplan"
    BEHANDLING_STARTET = "behandling_startet"
    FRIT_VALG = "frit_valg"
    UDSKREVET_FAERDIGBEHANDLET = "udskrevet_faerdigbehandlet"
    UDSKREVET_ANDET_TILBUD = "udskrevet_andet_tilbud"
    UDSKREVET_HOSPITAL = "udskrevet_hospital"
    UDSKREVET_ANDEN_AARSAG = "udskrevet_anden_aarsag"
    UDSKREVET_BORTVIST = "udskrevet_bortvist"
    UDSKREVET_UDEBLEVET = "udskrevet_udeblevet"
    BEHANDLINGSAFBRUD = "behandlingsafbrud"
    GRAVIDITETSKONTRAKT = "graviditetskontrakt"
    # Completion events: a duty done that no process event records.
    KLAGE_SENDT_ANKESTYRELSEN = "klage_sendt_ankestyrelsen"
    OPFOELGNING = "opfoelgning"
    AFBRUD_MELDT = "afbrud_meldt"
    # Later additions: when the citizen received a decision, and the pregnancy contract's end.
    AFGOERELSE_MODTAGET = "afgoerelse_modtaget"
    GRAVIDITETSKONTRAKT_OPHOERT = "graviditetskontrakt_ophoert"


ISSUE_KINDS: tuple[EventKind, ...] = tuple(EventKind)[:18]
"""The events of a treatment course, in their order (the rest record a duty done or a receipt)."""

COMPLETION_KINDS: tuple[EventKind, ...] = tuple(EventKind)[18:21]
"""Event kinds that only record a duty as done."""

