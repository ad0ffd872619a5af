"""`stifinder check`: validates all content against each other before anything runs.

Problems fail the check; warnings (content that is valid but needs a person's attention) do not.
"""

from __future__ import annotations

import string
from datetime import date

from bot.config import Settings
from dialogs import TEXTS, load_safety, translations
from dialogs.i18n import untranslated
from dialogs.safety import load_thresholds
from knowledge import ContentError, load_standard, render
from knowledge.providers import SAMPLE_CATALOGUE, CatalogueError, read_catalogue
from nlu import NluError, load_training_data
from nlu.safety_net import LABELS as SAFETY_LABELS, training_examples
from reminders import EventKind, RemindersError, load_labels, load_rules

MIN_EXAMPLES = 25
MIN_CASE_EXAMPLES = 12  # per event kind in nlu/case_data (the sentences are short and the kinds distinct)


def check_content(settings: Settings) -> list[str]:
    """Return every problem found (empty when all content is consistent)."""
    problems: list[str] = []
    try:
        standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    except ContentError as exc:
        return [f"knowledge: {exc}"]
    try:
        data = load_training_data(settings.nlu_data_dir)
    except NluError as exc:
        return [f"nlu: {exc}"]
    try:
        load_safety()
        load_thresholds()
    except ContentError as exc:
        problems.append(f"safety: {exc}")
    try:
        safety_examples = training_examples()
        labels = {example.intent for example in safety_examples}
        problems += [f"safety net: no training examples for {label!r} in nlu/safety_data"
                     for label in SAFETY_LABELS if label not in labels]
    except NluError as exc:
        problems.append(f"safety net: {exc}")
    try:
        load_rules()
        load_labels()
    except RemindersError as exc:
        problems.append(f"reminders: {exc}")
    problems += _check_caseworker_features(settings)
    try:
        if not read_catalogue(SAMPLE_CATALOGUE).is_sample:
            problems.append(f"providers: {SAMPLE_CATALOGUE.name} must say `sample: true`")
    except CatalogueError as exc:
        problems.append(f"providers: {exc}")

    values = settings.municipality.placeholders()
    for entry in standard:
        texts = [*entry.answer.values(), *(entry.caveat.text.values() if entry.caveat else [])]
        for text in texts:
            try:
                render(text, values)
            except KeyError as exc:
                problems.append(f"knowledge {entry.file} entry {entry.id!r}: {exc.args[0]}")

    intents = data.intents
    counts = {intent: 0 for intent in intents}
    for example in data.examples:
        counts[example.intent] += 1
    for intent, count in counts.items():
        if count < MIN_EXAMPLES:
            problems.append(f"nlu intent {intent!r}: {count} examples, at least {MIN_EXAMPLES} needed")
    faq_intents = {i.removeprefix("faq/") for i in intents if i.startswith("faq/")}
    for missing in sorted(set(standard.ids) - faq_intents):
        problems.append(f"knowledge entry {missing!r} has no NLU intent faq/{missing}")
    for missing in sorted(faq_intents - set(standard.ids)):
        problems.append(f"NLU intent faq/{missing} has no knowledge entry")

    for lang in ("da", "en"):
        catalog = translations(lang)
        no_translation = set(untranslated(lang, list(TEXTS.values())))
        for key, msgid in TEXTS.items():
            translated = catalog.gettext(msgid)
            if msgid in no_translation:
                problems.append(f"locale {lang}: message {key} has no translation")
            wanted = {name for _, name, _, _ in string.Formatter().parse(msgid) if name}
            got = {name for _, name, _, _ in string.Formatter().parse(translated) if name}
            if wanted != got:
                problems.append(f"locale {lang}: message {key} has placeholders {sorted(got)}, expected {sorted(wanted)}")
    return problems


def check_warnings(settings: Settings, today: date) -> list[str]:
    """Return what a person should look at but need not block a release: numbers citizens are not given
    because they are unverified, and a kvalitetsstandard past its revision date."""
    municipality = settings.municipality
    warnings = []
    for office in municipality.unverified_offices():
        instead = municipality.citizen_office(office.id)
        warnings.append(f"config municipality.offices.{office.id}: {office.name} {office.phone} is marked unverified "
                        f"(source: {office.source}), so citizens are given {instead.name} {instead.phone} instead")
    due = municipality.standard_revision_due()
    if today > due:
        warnings.append(f"knowledge: the kvalitetsstandard was approved {municipality.standard_approved.isoformat()} "
                        f"and should have been revised by {due.isoformat()} (national guidelines 2.8: at least every "
                        "second year); check for a newer version and update the entries and "
                        "municipality.standard_approved")
    return warnings


def _check_caseworker_features(settings: Settings) -> list[str]:
    """The config sections and content of the caseworker features (what `stifinder run` would refuse)."""
    from bot.cli.caseworkers import load_caseworker_settings
    from bot.config import ConfigError
    from bot.provider_settings import load_provider_settings
    from bot.reminders_config import load_reminders_config
    from nlu.case_language import CASE_DATA_DIR
    from nlu.cues import CUE_FILES, cue_pattern
    from nlu.provider_language import Lexicon

    problems: list[str] = []
    for name, load in (("reminders", load_reminders_config), ("providers", load_provider_settings),
                       ("caseworkers", load_caseworker_settings)):
        try:
            load(settings)
        except ConfigError as exc:
            problems.append(f"config {name}: {exc}")
    try:
        cases = load_training_data(CASE_DATA_DIR)
        counts: dict[str, int] = {}
        for example in cases.examples:
            counts[example.intent] = counts.get(example.intent, 0) + 1
        problems += [f"nlu/case_data intent {intent!r}: {count} examples, at least {MIN_CASE_EXAMPLES} needed"
                     for intent, count in sorted(counts.items()) if count < MIN_CASE_EXAMPLES]
        problems += [f"nlu/case_data has no examples of the event kind {kind.value!r}"
                     for kind in EventKind if f"event/{kind.value}" not in counts]
    except NluError as exc:
        problems.append(f"nlu/case_data: {exc}")
    try:
        Lexicon()
    except NluError as exc:
        problems.append(f"nlu/provider_data: {exc}")
    for cues in CUE_FILES:
        try:
            cue_pattern(cues)  # reads and compiles the reviewed phrases
        except NluError as exc:
            problems.append(f"nlu/cue_data: {exc}")
    return problems
