"""What the bot says to caseworkers and in team chats: message keys → Danish msgids of the gettext domain "caseworker".

Rendered by dialogs.replies (a Reply with domain "caseworker").

dialogs/locale/{da,en}/LC_MESSAGES/caseworker.po hold the catalogs (da: msgstr = msgid; en: the
translation). Tests check that every message here is translated in both.
"""

from __future__ import annotations

DOMAIN = "caseworker"

CASEWORKER_TEXTS: dict[str, str] = {
    "welcome": "Du er nu registreret som sagsbehandler. Her får du påmindelser om dine sagers frister. "
               "Skriv /hjaelp for at se kommandoerne.",
    "welcome_back": "Du er registreret som sagsbehandler. Skriv /hjaelp for at se kommandoerne.",
    "code_invalid": "Koden er ikke gyldig: den er brugt eller udløbet.",
    "already_other": "Din Telegram-konto er allerede registreret som en anden sagsbehandler. Koden er ikke brugt; "
                     "kontakt din administrator.",
    "help": "Kommandoer for sagsbehandlere:\n"
            "/ny_sag REF – opret en sag under en pseudonym reference, fx /ny_sag S-14\n"
            "/haendelse REF HÆNDELSE [DATO] – registrér en hændelse, fx /haendelse S-14 henvendelse i går\n"
            "/frister [REF] – vis åbne frister i dine og dit teams sager, eller i én sag\n"
            "/luk REF – luk en sag; dens frister giver ikke flere påmindelser\n"
            "/genaabn REF – genåbn en lukket sag med dens historik\n"
            "/sager – vis dine og dit teams åbne sager\n"
            "/tilbud SPØRGSMÅL – find behandlingstilbud, fx /tilbud døgn med dobbeltdiagnose\n"
            "/sprog da|en – skift sprog\n"
            "/vagt, /fri – rådgivere: på og af vagt for borgere, der beder om en rådgiver\n\n"
            "Du kan også skrive almindeligt, fx »sag S-14: borgeren henvendte sig i går«. Så foreslår jeg "
            "hændelsen, og du bekræfter med en knap.\n\n"
            "Skriv aldrig CPR-nummer, navn eller helbredsoplysninger: en sag har kun sin reference. "
            "Dine beskeder gemmes ikke, kun sagen, hændelsens art og datoen.",
    "usage_ny_sag": "Skriv referencen efter kommandoen, fx /ny_sag S-14.",
    "usage_haendelse": "Skriv sagen, hændelsen og evt. datoen, fx /haendelse S-14 henvendelse i går.\n"
                       "Hændelser: {kinds}",
    "usage_luk": "Skriv sagen efter kommandoen, fx /luk S-14.",
    "usage_genaabn": "Skriv sagen efter kommandoen, fx /genaabn S-14.",
    "usage_tilbud": "Skriv, hvad du søger, fx /tilbud døgn med dobbeltdiagnose i Nordjylland.",
    "usage_team": "Skriv koden efter kommandoen: /team KODE.",
    "usage_language": "Skriv /sprog da eller /sprog en.",
    "handover_waiting": "Borger {pseudonym} venter på en rådgiver ({channel}, {lang}).",
    "handover_topic": "Emne: {topic}",
    "handover_topic_first_contact": "hvor man henvender sig for at komme i behandling",
    "handover_topic_unknown": "Emne: ikke kendt (borgeren bad om en rådgiver med det samme).",
    "handover_crisis_seen": "Assistenten så krisetegn tidligere i samtalen: {category}.",
    "channel_web": "webchatten",
    "channel_telegram": "Telegram-chat",
    "language_da": "skriver dansk",
    "language_en": "skriver engelsk",
    "button_take": "Tag samtalen",
    "handover_taken_you":
        "Du har samtalen med Borger {pseudonym}. Det, du skriver her, går til borgeren. Skriv /afslut, når I "
        "er færdige.",
    "handover_taken_other": "Borger {pseudonym} er taget af en kollega.",
    "handover_busy": "Du har allerede en samtale. Skriv /afslut for at slutte den først.",
    "handover_from_citizen": "Borger {pseudonym}: {text}",
    "handover_crisis":
        "Krisetegn hos Borger {pseudonym}: {category}. Borgeren har ikke fået krisesvaret: tal med borgeren "
        "om det, og henvis til 112 eller Livslinien på 70 201 201.",
    "crisis_suicide": "selvmordstanker",
    "crisis_emergency": "akut fare (fx overdosis)",
    "crisis_violence": "vold",
    "crisis_concern": "måske en krise",
    "handover_citizen_ended": "Borger {pseudonym} har afsluttet samtalen.",
    "handover_you_ended": "Du har afsluttet samtalen med Borger {pseudonym}.",
    "handover_handed_back": "Borger {pseudonym} er sat tilbage i køen, fordi du ikke har svaret i {minutes} minutter.",
    "handover_handed_back_off_duty": "Borger {pseudonym} er sat tilbage i køen, fordi du gik fra vagt.",
    "handover_none": "Du har ingen samtale med en borger lige nu.",
    "on_duty": "Du er på vagt som rådgiver. Skriv /fri, når du går.",
    "off_duty": "Du er ikke længere på vagt som rådgiver.",
    "not_counsellor": "Du er ikke registreret som rådgiver. En administrator kan gøre dig til rådgiver med "
                      "stifinder caseworkers invite --id {id} --counsellor.",
    "language_set": "Jeg skriver dansk til dig fra nu af.",
    "unknown_kind": "Den hændelse kender jeg ikke.\nHændelser: {kinds}",
    "bad_date": "Datoen forstår jeg ikke. Skriv fx i dag, i går, i mandags, 15. marts, 3/11 eller 2026-11-03.",
    "future_date": "Datoen ligger i fremtiden: registrér en hændelse, når den er sket.",
    "refused_cpr": "Referencen ligner et CPR-nummer, og det må aldrig gemmes. Brug en pseudonym reference som S-14.",
    "refused_name": "Referencen indeholder et ord, der kan være et navn eller en beskrivelse. En reference må ikke "
                    "kunne identificere borgeren: brug fx S-14 eller UNG-2026-7.",
    "refused_format": "En reference er en kode med et tal, højst 32 tegn, kun bogstaver, tal og - _ / . "
                      "(ingen mellemrum), fx S-14.",
    "cpr_in_text": "Beskeden ser ud til at indeholde et CPR-nummer. Skriv aldrig CPR-numre her; beskeden er ikke "
                   "gemt. Brug sagens reference, fx S-14.",
    "case_created": "Sag {case} er oprettet. Registrér det, der er sket, fx /haendelse {case} henvendelse i dag.",
    "case_exists": "Der findes allerede en sag med referencen {case}.",
    "case_unknown": "Jeg kender ingen sag {case}, som du kan se. Opret den med /ny_sag {case}.",
    "case_already_closed": "Sag {case} er allerede lukket.",
    "case_is_closed": "Sag {case} er lukket, så der kan ikke registreres flere hændelser.",
    "case_closed": "Sag {case} er lukket. Dens frister giver ikke flere påmindelser.",
    "case_reopened": "Sag {case} er genåbnet med sin historik. Dens åbne frister giver påmindelser igen.",
    "case_not_closed": "Sag {case} er ikke lukket.",
    "event_recorded": "Registreret i {case}: {kind}, {date}.",
    "event_meets": "Det opfylder fristen »{title}«.",
    "event_meets_nothing": "Det opfylder ingen frist.",
    "event_not_yet": "»{title}« (frist {due}) opfyldes først fra {opens}: registrér den {kind}, der holdes da.",
    "deadlines_header": "Åbne frister:",
    "deadlines_none": "Ingen åbne frister.",
    "deadline_line": "{case} · {title}\nfrist {due} · {standing}",
    "deadline_opens": "opfyldes tidligst {date}",
    "standing_in": "om {days}",
    "standing_today": "i dag",
    "standing_overdue": "overskredet med {days}",
    "cases_header": "Åbne sager (dine og dit teams):",
    "cases_line": "{case} · åbne frister: {count}",
    "cases_none": "Du og dit team har ingen åbne sager.",
    "proposal": "Skal jeg registrere i {case}: {kind}, {date}?",
    "button_confirm": "Ja, registrér",
    "button_cancel": "Annuller",
    "cancelled": "Ok, intet er registreret.",
    "which_kind": "Hvilken hændelse skete i {case}, {date}?",
    "which_case": "Hvilken sag gælder det? Skriv referencen med, fx »sag S-14: borgeren henvendte sig i går«.",
    "not_understood": "Det kan jeg ikke svare på. Spørg fx »hvornår skal vi følge op efter udskrivning?« eller "
                      "»hvornår udløber garantien i S-14?«, skriv om en sag som »sag S-14: borgeren henvendte sig "
                      "i går«, eller /hjaelp for kommandoerne.",
    "rule_when": "{title}\nFrist: {offset} efter {anchor}. Opfyldes af: {met_by}.",
    "rule_when_same_day": "{title}\nFrist: samme dag som {anchor}. Opfyldes af: {met_by}.",
    "rule_when_informational": "{title}\nTil orientering (borgerens frist, aldrig overskredet hos os): {offset} "
                               "efter {anchor}.",
    "rule_window": "Tæller først inden for {window} før fristen.",
    "rule_next_working_day": "Ender fristen på en lørdag, søndag eller helligdag, flyttes den til næste "
                             "arbejdsdag.",
    "rule_basis": "{note}\n\nGrundlag: {basis}. Kvalitetsstandarden: »{source}«.",
    "standard_answer": "{title}\n\nKvalitetsstandarden siger:\n{facts}\n\nKilde: »{source}«.",
    "case_rule_header": "Sag {case} · {title}:",
    "case_rule_none": "Sag {case} har ingen frist for »{title}«.",
    "case_standard": "Sag {case}: det gælder for alle sager, efter kvalitetsstandarden:",
    "case_rule_closed": "{case} · {title}\nfrist {due} · {status}",
    "stale_button": "Den knap gælder ikke længere.",
    "case_needs_registration": "Sager og frister kræver, at du skriver som en registreret sagsbehandler "
                               "(i terminalen: stifinder chat --as ID).",
    "desk_missing": "Spørgsmål om behandlingstilbud kan jeg ikke besvare endnu.",
    "team_registered": "Gruppen er nu teamchat for team {team}. Her svarer jeg på spørgsmål om behandlingstilbud: "
                       "/tilbud, eller nævn mig med et spørgsmål. Sager og frister hører til jeres private chat "
                       "med mig.",
    "team_wrong": "Koden gælder et andet team end dit. Gruppen er ikke registreret.",
    "team_already": "Gruppen er allerede registreret som teamchat.",
    "team_help": "I teamchatten svarer jeg på spørgsmål om behandlingstilbud, fx /tilbud døgn til gravide, eller "
                 "nævn mig med et spørgsmål. Sager og frister: skriv til mig privat. /frister_team slår en "
                 "daglig oversigt over teamets overskredne frister til eller fra.",
    "team_private_only": "Sager og frister håndteres kun i din private chat med mig, ikke i gruppen.",
    "team_cpr_warning": "Skriv aldrig CPR-numre her: gruppens historik gemmes hos Telegram. Brug sagens reference, "
                        "fx S-14.",
    "team_digest_on": "Teamet får nu hver hverdag morgen en oversigt over overskredne frister i teamets sager: "
                      "kun sagsreference og frist, aldrig borgere. Skriv /frister_team igen for at stoppe den.",
    "team_digest_off": "Teamets daglige oversigt over overskredne frister er stoppet.",
    "team_digest_refused": "Kun en registreret sagsbehandler fra teamet kan slå teamets oversigt til eller fra.",
}

