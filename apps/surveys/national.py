"""The first version of each national template municipalities adopt: seeded into the table of national
templates (apps/surveys/models/national.py), where platform admins make, edit and publish the next
versions (apps/surveys/services/national.py). Our own items: no copyrighted instrument (such as CSQ-8) is
reproduced. The professionals' questionnaire follows the model of PREMIS (preparedness, knowledge,
attitudes; public) with items of our own, adapted to domestic violence and Serbian law (the Law on
the Prevention of Domestic Violence). Texts: Serbian Latin and English; Cyrillic is transliterated.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def t(latin: str, english: str) -> dict:
    return {"sr-latn": latin, "en": english}


AGREE = (t("Uopšte se ne slažem", "Strongly disagree"), t("Potpuno se slažem", "Strongly agree"))
PREPARED = (t("Nimalo spreman/na", "Not prepared at all"), t("Potpuno spreman/na", "Fully prepared"))


def likert(key, latin, english, *, required=False, ends=AGREE, scale="", reverse=False):
    return {"key": key, "kind": "likert", "required": required, "text": t(latin, english),
            "low_label": ends[0], "high_label": ends[1], "scale": scale, "reverse_scored": reverse}


CLIENT = {
    "kind": "client",
    "title": t("Vaše iskustvo sa službom", "Your experience with the service"),
    "intro": t("Upitnik je anoniman: ne pitamo za ime i ne čuvamo podatke o vašem uređaju. Traje dva minuta.",
               "The questionnaire is anonymous: we do not ask your name or keep anything about your device. "
               "It takes two minutes."),
    "sections": [
        {"title": t("Vaša poseta", "Your visit"), "questions": [
            likert("reach", "Službu je bilo lako pronaći i kontaktirati (mesto, radno vreme, telefon).",
                   "The service was easy to find and reach (place, opening hours, phone).", required=True),
            likert("believed", "Osećala sam da mi veruju.", "I felt that I was believed.", required=True),
            likert("respect", "Zaposleni su se prema meni odnosili s poštovanjem.", "The staff treated me with respect.",
                   required=True),
            likert("informed", "Dobila sam jasne informacije o svojim pravima i sledećim koracima.",
                   "I received clear information about my rights and the next steps."),
            likert("safer", "Posle ovog kontakta osećam se bezbednije.", "After this contact I feel safer."),
            {"key": "waiting", "kind": "single", "text": t("Koliko ste čekali da vas prime?", "How long did you wait to be seen?"),
             "options": [
                 {"value": "under15", "label": t("Manje od 15 minuta", "Less than 15 minutes")},
                 {"value": "under60", "label": t("Od 15 minuta do sat vremena", "15 minutes to an hour")},
                 {"value": "over60", "label": t("Duže od sat vremena", "More than an hour")},
                 {"value": "another_day", "label": t("Morala sam da dođem drugi dan", "I had to come back another day")},
             ]},
            {"key": "recommend", "kind": "yes_no", "required": True,
             "text": t("Da li biste ovu službu preporučili nekome u sličnoj situaciji?",
                       "Would you recommend this service to someone in a similar situation?")},
            {"key": "change", "kind": "long_text", "show_if": "recommend", "show_if_value": "no",
             "text": t("Ako ne biste: šta bi trebalo promeniti?", "If not: what should change?")},
        ]},
        {"title": t("Na kraju", "Finally"), "questions": [
            {"key": "first_contact", "kind": "yes_no",
             "text": t("Da li vam je ovo prvi kontakt sa ovom službom?", "Is this your first contact with this service?")},
            {"key": "comment", "kind": "long_text",
             "text": t("Da li želite još nešto da nam kažete? (Ne pišite imena.)",
                       "Is there anything else you would like to tell us? (Please write no names.)")},
        ]},
    ],
}

PROFESSIONAL = {
    "kind": "professional",
    "title": t("Znanja i stavovi o nasilju u porodici", "Knowledge and attitudes on domestic violence"),
    "intro": t("Anonimno. Ako želite da uporedimo vaše odgovore pre i posle obuke, upišite lični kod koji sami "
               "smislite (npr. prva slova imena majke i dan rođenja) — nikada svoje ime.",
               "Anonymous. To compare your answers before and after the training, enter a personal code you make up "
               "yourself (e.g. the first letters of your mother's name and your birth day) — never your name."),
    "sections": [
        {"title": t("Spremnost", "Preparedness"), "questions": [
            likert("prep_ask", "Spreman/na sam da pitam o nasilju u porodici kada primetim znake.",
                   "I am prepared to ask about domestic violence when I notice signs.", ends=PREPARED,
                   scale="preparedness", required=True),
            likert("prep_risk", "Spreman/na sam da procenim rizik od ponavljanja nasilja.",
                   "I am prepared to assess the risk of repeated violence.", ends=PREPARED, scale="preparedness",
                   required=True),
            likert("prep_refer", "Znam kome da uputim žrtvu i kako.", "I know to whom and how to refer a victim.",
                   ends=PREPARED, scale="preparedness", required=True),
        ]},
        {"title": t("Znanje", "Knowledge"), "questions": [
            {"key": "know_emergency", "kind": "single", "scale": "knowledge", "correct_value": "48h", "required": True,
             "text": t("Koliko najduže traje hitna mera koju izrekne policija (Zakon o sprečavanju nasilja u porodici), "
                       "pre nego što je sud produži?",
                       "How long does an emergency measure ordered by the police (Law on the Prevention of Domestic "
                       "Violence) last at most before a court extends it?"),
             "options": [
                 {"value": "24h", "label": t("24 sata", "24 hours")},
                 {"value": "48h", "label": t("48 sati", "48 hours")},
                 {"value": "8d", "label": t("8 dana", "8 days")},
                 {"value": "dk", "label": t("Ne znam", "I do not know")},
             ]},
            {"key": "know_group", "kind": "single", "scale": "knowledge", "correct_value": "15d", "required": True,
             "text": t("Koliko često se najmanje sastaje grupa za koordinaciju i saradnju?",
                       "How often at least does the group for coordination and cooperation meet?"),
             "options": [
                 {"value": "7d", "label": t("Jednom u 7 dana", "Once in 7 days")},
                 {"value": "15d", "label": t("Jednom u 15 dana", "Once in 15 days")},
                 {"value": "30d", "label": t("Jednom mesečno", "Once a month")},
                 {"value": "dk", "label": t("Ne znam", "I do not know")},
             ]},
            {"key": "know_duty", "kind": "single", "scale": "knowledge", "correct_value": "all", "required": True,
             "text": t("Ko je dužan da prijavi nasilje u porodici policiji ili javnom tužilaštvu?",
                       "Who must report domestic violence to the police or the public prosecutor?"),
             "options": [
                 {"value": "victim", "label": t("Samo žrtva", "Only the victim")},
                 {"value": "police", "label": t("Samo policija", "Only the police")},
                 {"value": "all", "label": t("Svi državni organi, ustanove i svako ko sazna", "Every public body, institution and anyone who learns of it")},
                 {"value": "dk", "label": t("Ne znam", "I do not know")},
             ]},
        ]},
        {"title": t("Stavovi", "Attitudes"), "questions": [
            likert("att_private", "Nasilje u porodici je privatna stvar porodice.",
                   "Domestic violence is a private matter of the family.", scale="attitudes", reverse=True, required=True),
            likert("att_stays", "Žrtva koja ostaje sa nasilnikom delimično je odgovorna za nasilje.",
                   "A victim who stays with the abuser is partly responsible for the violence.", scale="attitudes",
                   reverse=True, required=True),
            likert("att_role", "Moj posao je da reagujem kada saznam za nasilje u porodici.",
                   "It is part of my job to act when I learn of domestic violence.", scale="attitudes", required=True),
        ]},
        {"title": t("Komentar", "Comment"), "questions": [
            {"key": "needs", "kind": "long_text",
             "text": t("Šta vam je najpotrebnije da biste bolje reagovali?", "What do you need most to respond better?")},
        ]},
    ],
}

TEMPLATES = {"client_experience": CLIENT, "professional_kap": PROFESSIONAL}
SCALE_LABELS = {"preparedness": _("Preparedness"), "knowledge": _("Knowledge (share of right answers)"),
                "attitudes": _("Attitudes")}
