"""The three safety tiers in the engine: the learned net only adds an answer, and the replies that are
not a confident answer name the crisis lines.

The net is scripted here (a scorer that returns fixed probabilities for given texts), so each test
says exactly what the net thinks; tests/nlu_tests/test_safety_net.py tests the trained net itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.storage import open_database
from dialogs import Deps, DialogEngine, Incoming, Response, load_safety
from dialogs.safety import Tier, load_thresholds
from knowledge import ContentError
from nlu import LocalParser
from nlu.safety_net import NONE, NetScore

AT = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)
CONCERN = {"concern": 0.7, NONE: 0.3}
SUICIDE_ALARM = {"suicide": 0.99, NONE: 0.01}
CALM = {NONE: 0.99, "concern": 0.01}


class ScriptedNet:
    """Says what the test tells it to about given texts, and "calm" about anything else."""

    def __init__(self, scripted: dict[str, dict[str, float]]) -> None:
        self.scripted = scripted
        self.asked: list[str] = []

    def score(self, text: str) -> NetScore:
        self.asked.append(text)
        return NetScore(self.scripted.get(text, CALM))


@pytest.fixture
def net() -> ScriptedNet:
    return ScriptedNet({})


@pytest.fixture
async def engine_with_net(deps: Deps, local_parser: LocalParser, net: ScriptedNet) -> AsyncIterator[DialogEngine]:
    database, sessions = await open_database("sqlite+aiosqlite://")
    yield DialogEngine(replace(deps, safety=load_safety(net=net)), local_parser, sessions)
    await database.dispose()


async def say(engine: DialogEngine, text: str, conv: str = "tiers") -> Response:
    return await engine.handle(Incoming(conv=conv, text=text, at=AT))


async def plain_then_scored(engine: DialogEngine, net: ScriptedNet, text: str,
                            scores: dict[str, float]) -> tuple[Response, Response]:
    """What the classifier alone answers to `text` (in a conversation of its own), then the answer when the net
    scores it as `scores`."""
    plain = await say(engine, text, conv="without")
    net.scripted[text] = scores
    return plain, await say(engine, text)


async def say_in_flow(engine: DialogEngine, net: ScriptedNet, text: str, scores: dict[str, float],
                      conv: str) -> Response:
    """Start the first-contact flow (it asks the age), then say `text`, which the net scores as `scores`."""
    await say(engine, "jeg har brug for hjælp", conv=conv)
    net.scripted[text] = scores
    return await say(engine, text, conv=conv)


async def test_a_concern_is_never_swallowed_by_the_chit_chat_goodbye(engine_with_net: DialogEngine,
                                                                     net: ScriptedNet) -> None:
    plain, response = await plain_then_scored(engine_with_net, net, "tak for alt, farvel", CONCERN)
    assert plain.keys == ["utter_goodbye"]  # what the classifier alone answers
    assert response.keys == ["utter_concern"]
    assert response.safety == "concern"
    assert "70 201 201" in response.text and "112" in response.text
    assert "Pas godt på dig selv" not in response.text


async def test_a_concern_is_never_taken_as_a_request_to_stop(engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    text = "gider ikke mere"
    net.scripted[text] = CONCERN
    response = await say(engine_with_net, text)
    assert "utter_cancelled" not in response.keys
    assert response.keys[0] == "utter_concern"


async def test_a_concern_comes_before_the_answer_to_a_real_question(engine_with_net: DialogEngine,
                                                                    net: ScriptedNet) -> None:
    text = "jeg kan ikke mere, hvad koster behandlingen?"
    net.scripted[text] = CONCERN
    response = await say(engine_with_net, text)
    assert response.keys == ["utter_concern", "utter_faq_answer"]
    assert "gratis" in response.text.lower()
    assert response.route.startswith("safety.concern+faq.")


async def test_the_nets_alarm_answers_its_category_first_and_clears_a_flow(engine_with_net: DialogEngine,
                                                                           net: ScriptedNet) -> None:
    started = await say(engine_with_net, "jeg har brug for hjælp", conv="flow")
    assert started.keys[-1] == "utter_ask_age"
    text = "det er slut nu, jeg har samlet nok piller"
    net.scripted[text] = SUICIDE_ALARM
    response = await say(engine_with_net, text, conv="flow")
    assert response.keys == ["utter_suicide"]
    assert response.safety == "alarm" and response.route == "safety.alarm"
    state = await engine_with_net.state_of("flow", AT)
    assert state.flow is None


async def test_the_net_is_not_asked_when_a_pattern_fires(engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    response = await say(engine_with_net, "han er bevidstløs og trækker ikke vejret")
    assert response.route == "safety" and response.safety == "alarm"
    assert net.asked == []


async def test_commands_and_buttons_are_not_scored_by_the_net(engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    await say(engine_with_net, "/start")
    await say(engine_with_net, '/inform{"age_band": "adult"}')
    assert net.asked == []


async def test_a_calm_score_changes_nothing(engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    response = await say(engine_with_net, "koster det noget?")
    assert response.safety == "none"
    assert response.keys == ["utter_faq_answer"]
    assert net.asked == ["koster det noget?"]


@pytest.mark.parametrize("text, key", [
    ("qwerty zxcv blorp", "utter_rephrase"),
    ("", "utter_empty"),
])
async def test_unsure_replies_end_with_the_crisis_lines(engine_with_net: DialogEngine, text: str, key: str) -> None:
    response = await say(engine_with_net, text)
    assert response.keys[-1] == key
    last = response.messages[-1].text
    assert last.splitlines()[-1].startswith("Er det akut, så ring 112.")
    assert "70 201 201" in last.splitlines()[-1]


async def test_out_of_scope_ends_with_the_crisis_lines(engine_with_net: DialogEngine) -> None:
    response = await say(engine_with_net, "hvem vinder fodboldkampen i aften")
    assert response.route == "faq.out_of_scope", response.route
    assert "70 201 201" in response.messages[-1].text.splitlines()[-1]


async def test_a_technical_problem_ends_with_the_crisis_lines(deps: Deps, local_parser: LocalParser) -> None:
    class Broken:
        async def parse(self, text: str) -> object:
            raise RuntimeError("boom")

    database, sessions = await open_database("sqlite+aiosqlite://")
    try:
        engine = DialogEngine(deps, Broken(), sessions)  # type: ignore[arg-type]
        response = await say(engine, "koster det noget?")
    finally:
        await database.dispose()
    assert response.keys == ["utter_technical_problem"]
    assert "70 201 201" in response.text and "112" in response.text


async def test_the_crisis_lines_are_english_for_english(engine_with_net: DialogEngine) -> None:
    response = await say(engine_with_net, "qwerty zxcv blorp", conv="en")
    english = await engine_with_net.handle(Incoming(conv="en2", text="qwerty zxcv blorp", at=AT, lang="en"))
    assert "If it is urgent, call 112." in english.text
    assert "Er det akut" in response.text


async def test_a_confident_answer_has_no_crisis_line(engine_with_net: DialogEngine) -> None:
    response = await say(engine_with_net, "koster det noget?")
    assert "Er det akut" not in response.text


@pytest.mark.parametrize("net", ["{alarm: 1.5, concern: 0.4}", "{alarm: ja, concern: 0.4}",
                                 "{alarm: 0.5, concern: 0.9}", "{alarm: 0.5}", "[0.5, 0.4]"])
def test_bad_thresholds_fail_at_start_up_naming_the_file(tmp_path: Path, net: str) -> None:
    assert 0 < load_thresholds().concern <= load_thresholds().alarm < 1
    bad = tmp_path / "safety.yml"
    bad.write_text(f"version: '1'\nnet: {net}\ncategories: []\n", encoding="utf-8")
    with pytest.raises(ContentError, match="safety.yml"):
        load_thresholds(bad)


def test_the_tiers_are_what_the_thresholds_say() -> None:
    thresholds = load_thresholds()
    screen = load_safety(net=ScriptedNet({
        "a": {"violence": thresholds.alarm, NONE: 1 - thresholds.alarm},
        "c": {"concern": thresholds.concern + 0.001, NONE: 1 - thresholds.concern - 0.001},
        "n": {"concern": thresholds.concern / 2, NONE: 1 - thresholds.concern / 2},
    }))
    assert screen.screen("a").tier is Tier.ALARM and screen.screen("a").categories[0].id == "violence"
    assert screen.screen("c").tier is Tier.CONCERN
    assert screen.screen("n").tier is Tier.NONE
    assert screen.screen("a", learned=False).tier is Tier.NONE


@pytest.mark.parametrize("text", [
    "kan jeg få en tid efter nytår? glem det, jeg er her nok ikke til den tid",
    "who do I call to book? never mind, I won't be around much longer",
    "what happens with my flat, I don't plan on being here for easter",
    "det holder først op med at gøre ondt når jeg stopper.",
    "hvem skal have min cykel når jeg er væk?",
])
def test_a_reviewed_hint_raises_the_caring_check_when_the_net_is_calm(text: str) -> None:
    screening = load_safety(net=ScriptedNet({})).screen(text)
    assert (screening.tier, screening.by, screening.concern_reply) == (Tier.CONCERN, "hints", "utter_concern")


@pytest.mark.parametrize("text", [
    "jeg er her ikke på fredag, jeg skal til lægen, kan vi flytte samtalen",
    "I won't be here next week, can we talk on the phone instead",
    "my back only stops hurting when I stop running, is that withdrawal",
    "jeg er ikke her længere end til fredag, kan jeg nå en samtale",
    "in a film I watched he said he would not be around by then",
    "hvem passer katten når jeg er væk på ferie",
    "who waters my plants when I'm gone for the weekend",
])
def test_a_hint_is_not_read_into_an_ordinary_absence(text: str) -> None:
    assert load_safety(net=ScriptedNet({})).screen(text).tier is Tier.NONE


def test_a_hint_never_lowers_the_nets_alarm() -> None:
    text = "glem det, jeg er her nok ikke til den tid"
    screening = load_safety(net=ScriptedNet({text: SUICIDE_ALARM})).screen(text)
    assert (screening.tier, screening.by) == (Tier.ALARM, "net")


async def test_a_concern_inside_the_first_contact_flow_is_not_followed_by_a_prompt(engine_with_net: DialogEngine,
                                                                                  net: ScriptedNet) -> None:
    response = await say_in_flow(engine_with_net, net, "puha, det hele er for meget", CONCERN, "flow-concern")
    assert response.keys[0] == "utter_concern"
    assert "utter_ask_age_again" not in response.keys
    after = await say(engine_with_net, "jeg er 45", conv="flow-concern")
    assert "9945 4421" in after.text  # the flow goes on with the next message


@pytest.mark.parametrize("answer", ["ved ikke", "det vil jeg ikke sige"])
async def test_a_bare_answer_to_the_flows_own_question_is_not_a_concern(engine_with_net: DialogEngine,
                                                                       net: ScriptedNet, answer: str) -> None:
    response = await say_in_flow(engine_with_net, net, answer, CONCERN, "bare")
    assert response.safety == "none"
    assert response.keys == ["utter_routing_rule"]


async def test_an_answer_with_more_to_say_still_gets_the_caring_check(engine_with_net: DialogEngine,
                                                                      net: ScriptedNet) -> None:
    response = await say_in_flow(engine_with_net, net, "jeg er 45 og jeg kan snart ikke mere med det hele",
                                 CONCERN, "more")
    assert response.keys[0] == "utter_concern"
    assert "9945 4421" in response.text  # and the flow's answer to the age follows


async def test_a_bare_answer_still_raises_the_nets_alarm(engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    response = await say_in_flow(engine_with_net, net, "ved ikke", SUICIDE_ALARM, "alarm")
    assert response.keys == ["utter_suicide"]


@pytest.mark.parametrize("text, fires", [
    ("hvordan ser en overdosis ud, så jeg kan genkende den?", False),  # a general question
    ("for to år siden besvimede jeg efter en fest, nu er jeg clean", False),  # a past event
    ("i en film jeg så, trak han ikke vejret til sidst", False),  # fiction
    ("for to år siden var han indlagt, og lige nu trækker han ikke vejret", True),  # past, and danger now
    ("hvad gør man hvis nogen ikke trækker vejret? min ven ligger her", True),
    ("han trækker ikke vejret", True),
    ("jeg skriver en roman om selvmord", False),  # a bare word is the net's to judge
    ("hvad gør jeg hvis min bror en dag får en overdosis", False),  # a hypothetical
    ("a general question: when should you call an ambulance for an overdose", False),
    ("hun kom sent hjem i nat helt væk, nu er hun vågen og spiser morgenmad", False),  # over
    ("han tog en overdosis for en måned siden og nu trækker han ikke vejret", True),  # and danger now
    ("nu er han vågen men han er helt blå om læberne og trækker næsten ikke vejret", True),
    ("general question but my friend is not breathing right now after heroin", True),
])
def test_general_questions_past_events_and_fiction_fire_no_pattern_unless_danger_is_now(text: str, fires: bool) -> None:
    assert bool(load_safety().matches(text)) is fires


@pytest.mark.parametrize("text, fires", [
    ("det her skema tager livet af mig", False),  # a thing that "kills me" is a figure of speech
    ("så tager jeg livet af mig", True),  # inverted word order, the person themselves
    ("jeg tager livet af mig i aften", True),
    ("min søster slår mig altid i kort", False),  # games and scores
    ("de slog os 3-1 i går", False),
    ("han slår mig", True),
    ("han trækker vejret tungt når han løber", False),  # exercise
    ("han trækker vejret tungt og har taget piller", True),
    ("ingen tanker om at skade mig selv, men jeg drikker for meget", False),  # saying it is not so
    ("I tried to kill myself when I was 17, I'm 35 now", False),  # a past event with an age
    ("min kniv er helt sløv, kan jeg få hjælp til at stoppe", False),  # a blunt knife is no sign
    ("what happens when I'm done with the course?", False),  # the end of something, asked about
    ("I'm done. I can't do this anymore", True),
    ("her er mit farvelbrev, I skal ikke lede efter mig", True),  # a farewell letter
    ("min datter har sendt en farvelbesked og svarer ikke", True),
    ("i gruppen skrev vi et farvelbrev til stofferne", False),  # a treatment exercise
    ("i terapien skal jeg skrive et afskedsbrev til kokainen", False),
    ("jeg har lagt et afskedsbrev til min mor på bordet", True),
    ("we wrote a goodbye letter to drugs in group today", False),
    ("hashen er begyndt at gå ud over mit arbejde, hvem kan hjælpe", False),  # "gå ud over": to affect
    ("han har taget piller og er ved at gå ud", True),  # to faint
    ("min ven er helt væk i piller og stoffer, kan jeg ringe for ham", False),  # deep into them
    ("min ven har taget piller og er helt væk", True),  # unconscious
    # a denial is blanked out, and only a denial: the rest of the message is still read
    ("jeg er altså ikke selvmordstruet, jeg vil bare høre om ventetiden", False),
    ("jeg er ikke selvmordstruet, men jeg vil bare dø", True),
    ("I'm not going to kill myself, I just need advice about cravings", False),
    ("I have no plans to end my life, but my sleep is terrible", False),
    ("I can't promise I won't hurt myself tonight", True),  # no denial: a promise refused
    ("jeg kan ikke love at jeg ikke skader mig selv i nat", True),
    ("den ventetid tog livet af mig, men nu er jeg klar", False),
    ("min kæreste tager livet af mig hvis jeg går til jer", True),  # a threat, not a figure of speech
    ("min mor slår mig ihjel med sine bekymringer", False),
    # poisoning asked about at work, on a course or as a past admission
    ("har tidligere været indlagt med en forgiftning, står det i min journal?", False),
    ("findes der kurser i førstehjælp ved forgiftning for pårørende", False),
    ("I'm a paramedic, do you have leaflets about overdoses for the ambulance?", False),
    ("ring efter en ambulance, han er forgiftet", True),
    # searching how to die, dying without pain
    ("min søn har søgt på hvordan man dør, jeg så det på hans computer", True),
    ("hvordan kan man dø uden smerter", True),
    ("I googled suicide statistics for my exam", False),  # school work
    # worn out after exercise is no emergency; a sign beside it still is
    ("jeg er helt færdig efter træning, kan ikke mærke mine ben", False),
    ("han er død efter træning og har taget speed, han kan ikke trække vejret", True),
    # a whole pack taken, a lethal dose asked for, a train, a high place unseen, affairs ordered by a date
    ("har lige slugt hele pakken med mine piller", True),
    ("how many mg of oxycodone would be fatal for me", True),
    ("my uncle is worried about how much methadone his patients get", False),
    ("overvejer at lægge mig foran toget", True),
    ("hvor er der et højt sted hvor ingen kommer", True),
    ("who gets my flat when I die, it has to be sorted before friday", True),
    ("hvem arver min fars lejlighed nu hvor han er død", False),
    # figures of speech, a hypothetical, school days
    ("my boss is gonna kill me if I'm late again", False),
    ("han er så død i hovedet om morgenen", False),
    ("hvad gør jeg hvis jeg en dag finder ham bevidstløs", False),
    ("I took too many pills once back in high school", False),
])
def test_figures_of_speech_games_and_denials_fire_no_pattern(text: str, fires: bool) -> None:
    assert bool(load_safety().matches(text)) is fires


async def test_an_unsure_question_keeps_its_topics_after_the_caring_check(engine_with_net: DialogEngine,
                                                                          net: ScriptedNet) -> None:
    plain, response = await plain_then_scored(engine_with_net, net,
                                              "er det det samme sted for alle, eller kommer det an på noget?", CONCERN)
    assert plain.keys == ["utter_rephrase"]  # what the classifier alone answers
    assert response.keys == ["utter_concern", "utter_rephrase"]
    assert response.route == "safety.concern+faq.rephrase"
    assert response.text.count("70 201 201") == 1  # the caring check names the crisis lines once
    assert len(response.messages[-1].buttons) >= 2


async def test_an_answer_found_by_retrieval_stays_after_the_caring_check_when_asked(
        engine_with_net: DialogEngine, net: ScriptedNet) -> None:
    text = "kigger I også på min psykiske tilstand eller kun på stofferne?"
    plain, response = await plain_then_scored(engine_with_net, net, text, CONCERN)
    assert plain.route == "faq.retrieval", "choose another message that only retrieval answers"
    assert response.route == "safety.concern+faq.retrieval"
    assert response.keys == ["utter_concern", *plain.keys]


@pytest.mark.parametrize("text", ["kan ikke mere, vil bare væk", "har ikke sovet i tre døgn. orker ikke noget"])
async def test_a_message_that_asks_nothing_gets_the_caring_check_alone(engine_with_net: DialogEngine,
                                                                       net: ScriptedNet, text: str) -> None:
    net.scripted[text] = CONCERN
    response = await say(engine_with_net, text)
    assert response.keys == ["utter_concern"]
