"""Every user-facing sentence of the dialogs, as gettext message ids (Danish source text).

The English text is in dialogs/locale/en/LC_MESSAGES/messages.po. Dialogs refer to messages by
key (`utter_*`), so tests survive rewording; `{placeholders}` are filled when rendering.
Knowledge answers are not here: they come, in both languages, from knowledge/standard/*.yml.
"""

from __future__ import annotations

from dialogs.i18n import N_

TEXTS: dict[str, str] = {
    "utter_greet": N_(
        "Hej! Jeg er Stifinder, en automatisk chat-assistent fra {municipality} – ikke et menneske. "
        "Jeg svarer på spørgsmål om social behandling af stofmisbrug: hvem du skal kontakte, hvad det koster, "
        "behandlingsgarantien, frit valg, klager og meget mere. Du behøver ikke fortælle, hvem du er: jeg gemmer "
        "ikke det, du skriver, kun sprog og aldersgruppe i op til {ttl} minutter, og »glem mig« sletter det. "
        "Vil du tale med et menneske: {routing} Er det akut, så ring 112."),
    "utter_help": N_(
        "Skriv dit spørgsmål med dine egne ord, fx »hvem skal jeg ringe til?«, »koster det noget?« eller "
        "»hvor lang tid går der, før jeg kan starte?«. Jeg svarer ud fra {municipality}s kvalitetsstandard og "
        "siger, hvor svaret står. Skriv »glem mig« for at slette det, jeg husker om samtalen."),
    "utter_bot": N_(
        "Jeg er et computerprogram, ikke et menneske. Vil du tale med et menneske, så ring til kommunen: "
        "{routing}"),
    "utter_person_open": N_(
        "Jeg er et computerprogram, men kommunens rådgivere er der nu, til {closes}, og du behøver ikke sige, hvem "
        "du er: {routing} Har du tanker om at tage dit liv, så ring til {suicide_line} på {suicide_line_phone}. Er "
        "nogen i fare lige nu, så ring 112."),
    "utter_person_closed": N_(
        "Jeg er et computerprogram, og lige nu er kommunens rådgivere her ikke. De er her igen {opens}: {routing} "
        "Har du tanker om at tage dit liv, så ring til {suicide_line} på {suicide_line_phone} – der er åbent hele "
        "døgnet. Er nogen i fare lige nu, så ring 112."),
    "utter_person_closed_long": N_(
        "Jeg er et computerprogram, og lige nu er kommunens rådgivere her ikke, og jeg ved ikke, hvornår de er her "
        "igen: {routing} Har du tanker om at tage dit liv, så ring til {suicide_line} på {suicide_line_phone} – der "
        "er åbent hele døgnet. Er nogen i fare lige nu, så ring 112."),
    "utter_queue_joined": N_(
        "Du er nummer {position} i køen til en rådgiver fra kommunens rusmiddelbehandling, som tager over her"
        " i chatten. Du er anonym: rådgiveren ser kun det, du skriver her – skriv aldrig dit navn eller "
        "CPR-nummer. Skriv »afslut« for at forlade køen. Er nogen i fare lige nu, så ring 112."),
    "utter_queue_waiting": N_(
        "Du er stadig i køen, som nummer {position}. En rådgiver tager over her, så snart der er en ledig. "
        "Har du tanker om at tage dit liv, så ring til {suicide_line} på {suicide_line_phone}. Er nogen i "
        "fare lige nu, så ring 112."),
    "utter_counsellor_gone": N_(
        "Rådgiveren er blevet kaldt væk – undskyld. Du er tilbage i køen som nummer {position}, og en anden "
        "rådgiver tager over her, så snart der er en ledig. Har du tanker om at tage dit liv, så ring til "
        "{suicide_line} på {suicide_line_phone}. Er nogen i fare lige nu, så ring 112."),
    "utter_queue_moved": N_("Køen har flyttet sig: du er nu nummer {position}."),
    "utter_queue_left": N_("Du har forladt køen. Du skriver med chatbotten igen."),
    "utter_queue_full": N_("Køen til rådgiverne er fuld lige nu."),
    "utter_counsellor_joined": N_(
        "En rådgiver fra kommunens rusmiddelbehandling har overtaget samtalen. Skriv »afslut«, når du vil "
        "stoppe."),
    "utter_from_counsellor": N_("Rådgiver: {text}"),
    "utter_handover_ended": N_(
        "Samtalen med rådgiveren er slut. Du skriver med chatbotten igen. Har du tanker om at tage dit liv, "
        "så ring til {suicide_line} på {suicide_line_phone}."),
    "button_leave_queue": N_("Forlad køen"),
    "button_talk_to_counsellor": N_("Tal med en rådgiver"),
    "utter_privacy": N_(
        "Jeg gemmer ikke det, du skriver, og ikke dit navn eller nummer. Mens vi skriver sammen, husker jeg kun "
        "sproget, en aldersgruppe (fx »under 30«) og om du har førtidspension, under en kode i stedet for din "
        "identitet, og jeg sletter det {ttl} minutter efter din seneste besked. Skriv »glem mig«, så sletter jeg "
        "det med det samme. Den app, du skriver i, kan selv gemme samtalen."),
    "utter_forgotten": N_("Jeg har slettet alt, hvad jeg huskede om denne samtale."),
    "utter_thanks": N_("Selv tak. Skriv endelig, hvis du har flere spørgsmål."),
    "utter_goodbye": N_("Pas godt på dig selv. Du er altid velkommen til at skrive igen."),
    "utter_cancelled": N_("Okay, vi stopper her. Du kan stille et nyt spørgsmål, når du vil."),
    "utter_anything_else": N_("Er der andet, jeg kan hjælpe med?"),
    "utter_empty": N_("Skriv dit spørgsmål, så prøver jeg at svare."),
    "utter_too_long": N_(
        "Din besked er meget lang, så jeg har kun læst de første {limit} tegn. Skriv gerne dit spørgsmål kort."),
    "utter_cpr_refused": N_(
        "Skriv ikke dit CPR-nummer her. Jeg har ikke brug for det, og jeg har ikke gemt det. "
        "Du kan spørge helt anonymt."),
    "utter_faq_answer": N_("{answer}"),
    "utter_runner_up": N_("Hvis du i stedet spørger: {question}"),
    "utter_caveat": N_("Bemærk: {caveat} (Kilde: {source}.)"),
    "utter_source": N_("Kilde: {municipality}s kvalitetsstandard, afsnittet »{section}«."),
    "utter_ask_age": N_("Jeg hjælper dig gerne videre. {routing}"),
    "utter_ask_age_question": N_(
        "Hvor gammel er du – eller den, det drejer sig om? Så kan jeg "
        "sige præcis, hvem du skal ringe til. Du behøver ikke fortælle andet."),
    "utter_ask_age_to_narrow": N_(
        "Fortæller du mig alderen på den, det drejer sig om, kan jeg sige præcis, hvem du skal ringe til."),
    "utter_route_tentative": N_(
        "Ring til {office} på telefon {phone}. Det gælder, når man er under {age_limit} år og ikke er tilkendt "
        "førtidspension."),
    "utter_route_from_birthday": N_("Fra man fylder {age_limit} år, er det {office} på telefon {phone}."),
    "utter_ask_pension_tentative": N_("Er du tilkendt førtidspension? Så svar ja, og jeg giver dig det rigtige nummer."),
    "utter_ask_age_again": N_("Skriv alderen som et tal, fx 24, eller vælg en knap."),
    "utter_ask_pension": N_("Er du – eller den, det drejer sig om – tilkendt førtidspension?"),
    "utter_ask_pension_again": N_("Svar ja eller nej, eller vælg en knap."),
    "button_age_under_18": N_("Under 18"),
    "button_age_young": N_("18-{young_max} år"),
    "button_age_adult": N_("{age_limit} år eller ældre"),
    "button_yes": N_("Ja"),
    "button_no": N_("Nej"),
    "button_dont_know": N_("Ved ikke"),
    "utter_route_office": N_("Ring til {office} på telefon {phone}."),
    "utter_route_reason_adult": N_(
        "De tager imod henvendelser, når man er fyldt {age_limit} år eller er tilkendt førtidspension."),
    "utter_route_reason_young": N_(
        "De tager imod henvendelser, når man er under {age_limit} år og ikke er tilkendt førtidspension."),
    "utter_route_under_18": N_(
        "Kvalitetsstandarden handler om voksne. For unge under 18 år fastsætter børne- og socialministeren særlige "
        "regler om behandling i en bekendtgørelse (servicelovens § 101, stk. 3), så jeg kan ikke svare præcist for "
        "dem her. Ring til {office} på telefon {phone} – de tager sig af unge under {age_limit} år og kan hjælpe "
        "videre."),
    "utter_routing_rule": N_(
        "Er du fyldt {age_limit} år eller tilkendt førtidspension, så ring til {adult} på telefon {adult_phone}. "
        "Er du under {age_limit} år og ikke tilkendt førtidspension, så ring til {young} på telefon {young_phone}."),
    "routing_rule_inline": N_(
        "Er du fyldt {age_limit} år eller tilkendt førtidspension, er det {adult} på telefon {adult_phone}. "
        "Er du under {age_limit} år og ikke tilkendt førtidspension, er det {young} på telefon {young_phone}."),
    "routing_rule_decided": N_("For dig er det {office} på telefon {office_phone}."),
    "routing_rule_named": N_("{office} har telefon {office_phone}."),
    # After an answer that names no office, when the message gave the age of the person it is about.
    "utter_office_for_age": N_("Kontakt til kommunen: {routing_rule}"),
    "routing_rule_young": N_(
        "Er du under {age_limit} år og ikke tilkendt førtidspension, er det {young} på telefon {young_phone}. "
        "Er du tilkendt førtidspension, er det {adult}."),
    "utter_route_guarantee": N_(
        "Behandlingsgarantien starter, når du søger om behandling dér: du skal være kommet i behandling "
        "senest 14 dage efter din henvendelse."),
    "utter_route_others": N_("En pårørende eller din læge kan også tage kontakten for dig."),
    "utter_out_of_scope": N_(
        "Det kan jeg desværre ikke svare på her. Jeg kan kun svare på spørgsmål om social behandling af "
        "stofmisbrug ud fra {municipality}s kvalitetsstandard. Ring og spørg kommunen, så hjælper de dig "
        "videre: {routing}"),
    "utter_contact_details": N_(
        "Kvalitetsstandarden oplyser ingen adresser, åbningstider eller e-mailadresser, så dem kan jeg ikke give "
        "dig. Ring og spørg: {routing} {rusmiddelcenter} har telefon {rusmiddelcenter_phone}."),
    "utter_rephrase": N_(
        "Jeg er ikke sikker på, at jeg forstod dig rigtigt, og jeg vil ikke gætte. Skriv det gerne på en anden "
        "måde, eller vælg et emne herunder. Du kan også ringe: {routing}"),
    "utter_emergency": N_(
        "Ring 112 nu, hvis nogen har taget en overdosis, ikke kan vækkes, ikke trækker vejret normalt eller har "
        "kramper. Bliv hos personen, til hjælpen kommer."),
    "utter_suicide": N_(
        "Det lyder rigtig svært, og det er godt, at du skriver. Ring til {suicide_line} på {suicide_line_phone} "
        "– du kan være anonym. Er du i fare lige nu, så ring 112."),
    "utter_concern": N_(
        "Det lyder tungt. Har du tanker om at tage dit liv, så ring til {suicide_line} på {suicide_line_phone} "
        "– du kan være anonym. Er nogen i fare lige nu, så ring 112."),
    "utter_concern_emergency": N_(
        "Det lyder alvorligt. Er nogen svær at vække, trækker vejret dårligt, har kramper eller har taget for meget, "
        "så ring 112 nu, og bliv hos personen. Har du tanker om at tage dit liv, så ring til {suicide_line} på "
        "{suicide_line_phone}."),
    "utter_concern_violence": N_(
        "Det lyder alvorligt. Er du eller et barn i fare lige nu, så ring 112. Har du tanker om at tage dit liv, så "
        "ring til {suicide_line} på {suicide_line_phone}."),
    "utter_crisis_line": N_(
        "Er det akut, så ring 112. Har du tanker om selvmord, så ring til {suicide_line} på {suicide_line_phone}."),
    "utter_violence": N_(
        "Er du eller et barn i fare lige nu, så ring 112. Du skal ikke stå alene med det."),
    "utter_technical_problem": N_(
        "Der skete en teknisk fejl hos mig. Prøv igen om lidt, eller ring til {general} på telefon {general_phone}."),
    "utter_language_set": N_("Jeg skriver dansk fra nu af."),
    # Telegram: answers to what a chat app can send besides text, and the command menu (setMyCommands).
    "utter_private_only": N_(
        "Jeg svarer kun i private samtaler. Skriv direkte til mig, så kan du spørge anonymt."),
    "utter_text_only": N_(
        "Jeg kan kun læse tekst. Skriv dit spørgsmål med ord – billeder, lyd og klistermærker gemmer jeg ikke."),
    "utter_contact_not_stored": N_(
        "Jeg har ikke brug for telefonnumre eller kontaktoplysninger, og jeg har ikke gemt dem. "
        "Du kan spørge helt anonymt."),
    "utter_location_not_stored": N_(
        "Jeg har ikke brug for din placering, og jeg har ikke gemt den. Skriv dit spørgsmål med ord."),
    "utter_edited_ignored": N_(
        "Jeg kan ikke se rettelser i en besked, der allerede er sendt. Skriv det rettede som en ny besked."),
    "command_start": N_("Hvad jeg er, og hvad jeg gemmer"),
    "command_help": N_("Sådan stiller du et spørgsmål"),
    "command_contact": N_("Hvem du skal kontakte"),
    "command_counsellor": N_("Tal med en rådgiver"),
    "command_anonymous": N_("Anonym behandling"),
    "command_language": N_("Sprog: dansk (da) eller engelsk (en)"),
    "command_forget": N_("Slet alt, hvad jeg husker om samtalen"),
    # The web chat's widget (bot/web): its own words around the conversation
    "web_open": N_("Chat om stofmisbrugsbehandling"),
    "web_title": N_("Stifinder – chatbot om stofmisbrugsbehandling"),
    "web_close": N_("Luk chatten"),
    "web_emergency": N_(
        "Akut fare: ring {emergency_phone}. Tanker om selvmord: {suicide_line} {suicide_line_phone}."),
    "web_disclosure": N_(
        "Du skriver med en chatbot – ikke et menneske. Jeg gemmer ikke, hvad du skriver: kun sprog og "
        "aldersgruppe i op til {ttl} minutter, og »Glem mig« sletter det med det samme. Skriv ikke dit navn "
        "eller CPR-nummer."),
    "web_log": N_("Samtalen"),
    "web_you": N_("Dig"),
    "web_bot": N_("Chatbot"),
    "web_input": N_("Skriv dit spørgsmål"),
    "web_send": N_("Send"),
    "web_forget": N_("Glem mig"),
    "web_forgotten": N_("Samtalen er slettet. Du kan begynde forfra."),
    "web_reconnecting": N_("Forbindelsen blev afbrudt. Jeg prøver igen …"),
    "web_failed": N_("Beskeden kunne ikke sendes. Prøv igen om lidt."),
    "web_too_fast": N_("Du skriver hurtigere, end jeg kan svare. Vent et øjeblik."),
    "web_new_reply": N_("Chatbot:"),
    "web_counsellor": N_("Rådgiver"),
}
