"""The reviewed cues of nlu/cue_data: questions about other areas, other laws and office life are none of the
caseworker side's (specific enough not to take a § 101 question that mentions them); questions of when and how
long ask for a deadline rule; a citizen's question about what the standard does not say (a dog at a residential
place, kroner, benefits) is outside it, one that only mentions such a thing on the way is not."""

from __future__ import annotations

import pytest

from nlu.cues import about_elsewhere, asks_about_paying, asks_when, outside_the_standard


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


@pytest.mark.parametrize("text", [
    "hvad er fristen for revision af planen", "hvornår skal planen foreligge", "opfølgning – hvor mange mdr efter?",
    "how soon must the provider send the plan?", "inden for hvor mange dage", "When must we follow up?",
    "gravid kontrakt max hvor længe",
])
def test_a_question_of_when_or_how_long(text: str) -> None:
    assert asks_when(text)


@pytest.mark.parametrize("text", [
    "hvad skal en behandlingsplan indeholde", "kan borger være anonym", "what does the plan contain?",
    "hvem betaler kost og logi",
])
def test_a_question_of_what_is_not_one_of_time(text: str) -> None:
    assert not asks_when(text)


@pytest.mark.parametrize("text", [
    "Hvad står der i Aalborg Kommunes kvalitetsstandard om døgn?", "gdpr og journaler fra psykiatrien",
    "hvor længe gemmes case files", "hjælp til at betale en bøde",
])
def test_other_laws_other_municipalities_and_office_life(text: str) -> None:
    assert about_elsewhere(text)


@pytest.mark.parametrize("text", [
    "hvad står der i Brønderslev Kommunes kvalitetsstandard om klager", "borger har gæld og bøder, egenbetaling?",
])
def test_our_own_standard_and_own_payment_are_not_elsewhere(text: str) -> None:
    assert not about_elsewhere(text)


@pytest.mark.parametrize("text", [
    "kan jeg tage min hund med på døgnbehandling", "can you smoke at the treatment home",
    "må min kæreste få besøg af mig på døgn", "er der parkering ved rusmiddelcentret",
    "hvad koster en dag på døgn i kroner", "får jeg sygedagpenge mens jeg er i behandling",
    "kommer det på min straffeattest", "kan samtalerne foregå over video", "what's the success rate",
    "tilbyder I behandling for ludomani", "what are the side effects of buprenorphine",
    "tager I urinprøver under behandlingen", "is there a women only group", "kan jeg komme hjem og holde jul",
    "kan jeg beholde min SU mens jeg er i dagbehandling", "kan min kontanthjælp blive trukket hvis jeg udebliver",
    "er der en støttegruppe for forældre", "kan jeg få aktindsigt i min journal",
    "how long does Ankestyrelsen take to decide", "what time does day treatment start",
    # how long a stay or a session lasts, another municipality's treatment, nicotine and vaping
    "hvor længe varer et døgnforløb normalt", "how long does a rehab stay usually last",
    "hvad tilbyder Hjørring kommune til unge", "does Aarhus municipality offer the same?",
    "jeg vil gerne stoppe med at vape", "can you help me quit nicotine pouches",
])
def test_what_the_standard_does_not_answer_for_a_citizen(text: str) -> None:
    assert outside_the_standard(text), text


@pytest.mark.parametrize("text", [
    "im 19 and want to stop smoking weed every day, who can help",  # smoking weed: the standard answers it
    "kan min bror komme på døgn tæt på hjemmet, så vi kan besøge ham",
    "jeg er på kontanthjælp, kan jeg få behandling",  # the citizen's situation, not the benefit
    "jeg troede man skulle betale 500 kr for behandling",  # a belief about the price the standard states
    "lederen af behandlingsstedet afviste min klage over medicinen",  # the complaint goes to the head first
    "skal jeg bo et andet sted, hvis jeg kommer i dagbehandling?",
    "jeg tager piller og drikker, kan jeg få hjælp",  # using two things is the situation, not a drug-facts question
    "hvornår på ugen holder I statusmøder",
    "hvor lang tid har jeg til at klage til ankestyrelsen",  # the complaint deadline is the standard's
    "can I bring my mum to the meeting for support",  # a companion at meetings is the standard's
    "hvor længe varer kontrakten for gravide",  # the pregnancy contract's ½ år is the standard's
    "what does the municipality offer for cocaine users?",  # the municipality is Brønderslev
    "hvordan har Brønderslev kommune det med frit valg",
    "jeg bor i Aalborg kommune, kan jeg vælge jer",  # free choice from another municipality is the standard's
])
def test_a_question_the_standard_answers_is_not_outside_it(text: str) -> None:
    assert not outside_the_standard(text), text


@pytest.mark.parametrize("text, paying", [
    ("er samtalerne gratis?", True), ("is the detox free?", True), ("do they charge for detox", True),
    ("får jeg taxa betalt til behandlingen", True),
    ("do I have free choice of rehab", False),  # free choice is frit valg, not a price
    ("who is in charge of my case", False), ("hvem bestemmer om jeg får døgnbehandling", False),
])
def test_a_question_of_paying(text: str, paying: bool) -> None:
    assert asks_about_paying(text) is paying
