"""Questions about other areas, other laws and office life are none of the caseworker side's: the reviewed
phrases in nlu/elsewhere_data/elsewhere.yml, specific enough not to take a § 101 question that mentions them."""

from __future__ import annotations

import pytest

from nlu.elsewhere import about_elsewhere


@pytest.mark.parametrize("text", [
    "sygedagpenge under døgnbehandling hvordan er reglerne", "kan borger få kontanthjælp mens han er i dagbehandling",
    "bostøtte efter § 85 når han kommer hjem", "alkoholbehandling efter sundhedsloven – hvor hurtigt skal borger starte",
    "frist for at svare på aktindsigt i en misbrugssag", "vejret i brønderslev i morgen?",
    "mødelokale 3 er dobbeltbooket kl 10", "kan ikke åbne planen i Nexus – fejlkode 503",
])
def test_another_area_or_office_life(text: str) -> None:
    assert about_elsewhere(text)


@pytest.mark.parametrize("text", [
    "hvad er gældende frist for bg", "borger på sygedagpenge, gælder bg?", "borger er på ferie, gælder bg stadig",
    "does the guarantee pause over the Easter holidays?", "egenbetaling kost og logi – borger har stor gæld",
    "borger på kontanthjælp, skal han betale kost og logi på døgn?",
])
def test_a_section_101_question_that_mentions_them_is_not_taken(text: str) -> None:
    assert not about_elsewhere(text)
