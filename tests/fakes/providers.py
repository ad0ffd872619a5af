"""Generated provider catalogues: valid, varied and reproducible, for query tests and benchmarks.

`generate_catalogue(n, seed)` returns n providers that pass the importer's validation: unique ids
and names, ages in order, prices only for the provider's own offer types, a døgn profile only with
a døgn offer. Every offer type, target group and region occurs once n is large enough (the first
providers cycle through them). Provider 0 is the municipality's own primary provider.

Names and phone numbers are fictional on purpose: every phone number starts with "00", which no
Danish subscriber number does (see docs/providers.md, "Sample data").
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from knowledge.providers.record import (ContractStatus, DoegnProfile, MedicalStaff, OfferType, Ownership, Provider,
                                        Region, TargetGroup)

__all__ = ["generate_catalogue", "TODAY"]

TODAY = date(2026, 11, 23)

_PREFIXES = ("Fjord", "Lyng", "Bakke", "Skov", "Eng", "Hav", "Sø", "Klit", "Dal", "Mose", "Ager", "Birke",
             "Pile", "Kilde", "Strand", "Vang", "Toft", "Holm", "Lund", "Næs")
_SUFFIXES = ("huset", "gården", "centret", "hjemmet", "stedet", "tilbuddet", "kollegiet", "klinikken")
_MUNICIPALITIES = {
    Region.NORDJYLLAND: ("Brønderslev", "Hjørring", "Aalborg", "Frederikshavn", "Thisted"),
    Region.MIDTJYLLAND: ("Aarhus", "Viborg", "Herning", "Randers", "Silkeborg"),
    Region.SYDDANMARK: ("Odense", "Esbjerg", "Vejle", "Kolding", "Svendborg"),
    Region.SJAELLAND: ("Roskilde", "Næstved", "Holbæk", "Slagelse", "Køge"),
    Region.HOVEDSTADEN: ("København", "Hillerød", "Gladsaxe", "Helsingør", "Bornholm"),
}
_DISTANCE = {Region.NORDJYLLAND: (0, 110), Region.MIDTJYLLAND: (90, 230), Region.SYDDANMARK: (200, 380),
             Region.SJAELLAND: (300, 450), Region.HOVEDSTADEN: (320, 480)}
_METHODS = ("MI", "KAT_CBT", "FIT", "TEM", "Aaben_Dialog", "MOVE", "U_turn", "SMART_Recovery", "ACT", "CTI",
            "Minnesota_12step", "miljoeterapi", "familiebehandling", "gruppebehandling")
_PRICE_RANGE = {OfferType.DOEGN: (1500, 3500), OfferType.AFGIFTNING: (2000, 4000),
                OfferType.DAGBEHANDLING: (800, 1500), OfferType.SUBSTITUTION: (150, 400),
                OfferType.FAMILIEBEHANDLING: (600, 1200), OfferType.OPFOELGENDE: (300, 700),
                OfferType.AMBULANT_INDIVIDUEL: (250, 700), OfferType.AMBULANT_GRUPPE: (150, 450)}


def generate_catalogue(n: int, seed: int, *, today: date = TODAY) -> list[Provider]:
    """Return n valid providers, the same ones for the same seed; dates lie up to 200 days before `today`."""
    rng = random.Random(seed)
    offers, groups, regions = list(OfferType), list(TargetGroup), list(Region)
    return [_provider(i, rng, today, offers, groups, regions) for i in range(n)]


def _provider(i: int, rng: random.Random, today: date, offers: list[OfferType], groups: list[TargetGroup],
              regions: list[Region]) -> Provider:
    """One provider; the first ones cycle through every offer type, target group and region."""
    primary = i == 0
    region = Region.NORDJYLLAND if primary else regions[i % len(regions)]
    offer_types = {offers[i % len(offers)]} | set(rng.sample(offers, rng.randint(0, 2)))
    target_groups = {groups[i % len(groups)]} | set(rng.sample(groups, rng.randint(0, 3)))
    age_min = 15 if TargetGroup.UNGE_U18 in target_groups else rng.choice((18, 18, 18, 21))
    age_max = 25 if target_groups & {TargetGroup.UNGE_U18, TargetGroup.UNGE_18_25} else (
        30 if TargetGroup.UNGE_U30 in target_groups else rng.choice((None, None, 65)))
    if primary:  # the municipality's own centre: the broad local offers, every age
        offer_types |= {OfferType.AMBULANT_INDIVIDUEL, OfferType.AMBULANT_GRUPPE, OfferType.ANONYM_101A}
        target_groups |= {TargetGroup.STOF_OG_ALKOHOL}
        age_max = None
    doegn = OfferType.DOEGN in offer_types
    capacity = rng.randint(6, 40) if offer_types & {OfferType.DOEGN, OfferType.DAGBEHANDLING} else None
    free = None if capacity is None else rng.randint(0, min(capacity, 6))
    waiting = rng.choice((None, 0, 3, 7, 14, 21, 30, 45, 60, 90))
    name = f"{_PREFIXES[i % len(_PREFIXES)]}{_SUFFIXES[(i // len(_PREFIXES)) % len(_SUFFIXES)]}"
    municipality = "Brønderslev" if primary else rng.choice(_MUNICIPALITIES[region])
    low, high = _DISTANCE[region]
    return Provider(
        id=f"gen-{i:05d}",
        name=f"{name} {i}" if i >= len(_PREFIXES) * len(_SUFFIXES) else name,
        ownership=Ownership.MUNICIPAL_OWN if primary else rng.choice(list(Ownership)[1:]),
        offer_types=frozenset(offer_types),
        region=region,
        municipality=municipality,
        address=f"Opdigtet Vej {i + 1}, {municipality}",
        socialtilsyn_approved=primary or rng.random() < 0.9,
        tilbudsportalen_id=f"TP-{900000 + i}" if primary or rng.random() < 0.9 else None,
        intake_phone=f"00 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d}",
        contract_status=ContractStatus.PARTNERSHIP if primary else rng.choice(list(ContractStatus)),
        is_primary=primary,
        doegn_profile=rng.choice(list(DoegnProfile)) if doegn else None,
        target_groups=frozenset(target_groups),
        age_min=age_min,
        age_max=age_max,
        methods=tuple(rng.sample(_METHODS, rng.randint(1, 4))),
        medical_staff=rng.choice(list(MedicalStaff)),
        dual_diagnosis=TargetGroup.DOBBELTDIAGNOSE in target_groups or rng.random() < 0.3,
        capacity_places=capacity,
        free_places=free,
        free_places_updated=None if free is None else today - timedelta(days=rng.randint(0, 200)),
        waiting_time_days=waiting,
        waiting_time_updated=None if waiting is None else today - timedelta(days=rng.randint(0, 200)),
        prices_per_day={offer: rng.randrange(*_PRICE_RANGE[offer], 25) for offer in sorted(offer_types)
                        if offer in _PRICE_RANGE and not primary},
        board_and_lodging_per_day=rng.randrange(100, 250, 5) if doegn else None,
        payment_unplanned_end=rng.choice((None, "Betaling til og med udskrivningsdagen",
                                          "Betaling 7 dage efter afbrud")) if doegn else None,
        distance_km=0 if primary else rng.randint(low, high),
    )
