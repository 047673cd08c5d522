"""The national templates of the demo: the general protocol's procedure steps and the model checklist,
written for this platform (our own wording, after the 2011 general protocol, the 2013 sector protocols,
the 2016 law, the Council of Europe minimum standards and the UN Essential Services Package)."""
from __future__ import annotations

from .choices import ProvingEvent as E
from .choices import Sector as S
from .choices import Theme as T

# (sector, number, who acts, what, amount, unit, legal basis, proving event, English)
STEPS = [
    (S.POLICE, 1, "Nadležni policijski službenik", "Procenjuje rizik i, ako postoji neposredna opasnost, izriče hitnu meru",
     8, "hours", "ZSNP čl. 15-17", E.NONE, "Assesses the risk and orders an emergency measure if there is immediate danger"),
    (S.POLICE, 2, "Policijska stanica", "Obaveštava centar za socijalni rad o prijavi nasilja",
     24, "hours", "ZSNP čl. 15; Opšti protokol 2011", E.POLICE_NOTIFIED, "Notifies the centre for social work of the report"),
    (S.PROSECUTION, 1, "Osnovno javno tužilaštvo", "Predlaže sudu produženje hitne mere",
     24, "hours", "ZSNP čl. 18", E.EXTENSION_PROPOSED, "Proposes to the court that the emergency measure be extended"),
    (S.PROSECUTION, 2, "Grupa za koordinaciju i saradnju", "Izrađuje individualni plan zaštite i podrške žrtvi",
     15, "days", "ZSNP čl. 31", E.PLAN_MADE, "Drafts the individual protection and support plan"),
    (S.SOCIAL, 1, "Centar za socijalni rad", "Prva reakcija po prioritetu: odmah 24 sata, hitno 3 dana, redovno 7 dana",
     24, "hours", "Posebni protokol socijalne zaštite 2013", E.CSR_FIRST_REACTION,
     "First reaction by priority: immediate 24 hours, urgent 3 days, regular 7 days"),
    (S.SOCIAL, 2, "Voditelj slučaja", "Sa žrtvom pravi plan usluga, uz njen pristanak i potpis", 7, "days",
     "Posebni protokol socijalne zaštite 2013", E.NONE, "Makes the plan of services with the victim, with her consent"),
    (S.SOCIAL, 3, "Centar za socijalni rad", "Odgovara na uputnicu druge službe u roku prema hitnosti", 3, "days",
     "Sporazum o saradnji", E.REFERRAL_ANSWERED, "Answers another service's referral within the time of its urgency"),
    (S.HEALTH, 1, "Dom zdravlja", "Pregleda i dokumentuje povrede i obaveštava policiju i centar", 24, "hours",
     "Posebni protokol zdravstva 2013", E.NONE, "Examines and documents injuries and notifies the police and the centre"),
    (S.EDUCATION, 1, "Škola", "Obaveštava centar i policiju kada sazna za nasilje nad detetom", 24, "hours",
     "Posebni protokol obrazovanja", E.NONE, "Notifies the centre and the police on learning of violence against a child"),
    (S.NGO, 1, "Udruženje", "Pruža podršku i savetovanje žrtvi upućenoj od druge službe", 3, "days",
     "Sporazum o saradnji", E.REFERRAL_ANSWERED, "Supports and counsels a victim referred by another service"),
]

# (theme, text, English)
CHECKLIST = [
    (T.ACCESSIBILITY, "Služba je dostupna žrtvi i van radnog vremena (dežurstvo ili SOS linija).",
     "The service is reachable outside working hours (on call or a helpline)."),
    (T.ACCESSIBILITY, "Prostor je pristupačan osobama sa invaliditetom i ima zasebnu prostoriju za razgovor.",
     "The premises are accessible and have a separate room for interviews."),
    (T.VICTIM_CENTRED, "Žrtva učestvuje u odlukama o merama i dobija kopiju svog plana.",
     "The victim takes part in decisions and receives a copy of her plan."),
    (T.VICTIM_CENTRED, "Razgovor se vodi bez prisustva učinioca i bez ponavljanja iskaza.",
     "Interviews are held without the perpetrator and without repeated statements."),
    (T.CONFIDENTIALITY, "Podaci o žrtvi dele se samo uz njen pisani pristanak ili po zakonu.",
     "Data on the victim are shared only with her written consent or by law."),
    (T.CONFIDENTIALITY, "Adresa žrtve u sigurnoj kući nije dostupna drugim službama.",
     "The victim's address in a safe house is not available to other services."),
    (T.SAFETY, "Za svaku žrtvu visokog rizika postoji bezbednosni plan.",
     "Every high-risk victim has a safety plan."),
    (T.SAFETY, "Procena rizika ponavlja se posle svake nove prijave.",
     "The risk assessment is repeated after every new report."),
    (T.ACCOUNTABILITY, "Kršenje hitne mere prijavljuje se tužilaštvu istog dana.",
     "A breach of an emergency measure is reported to the prosecutor the same day."),
    (T.ACCOUNTABILITY, "Učinilac se upućuje u program za rad sa učiniocima kada je dostupan.",
     "The perpetrator is referred to a perpetrator programme where one exists."),
    (T.COOPERATION, "Kontakt osoba za saradnju određena je i poznata drugim službama.",
     "A liaison person is named and known to the other services."),
    (T.COOPERATION, "Uputnice se šalju na dogovorenom obrascu i odgovara se u roku.",
     "Referrals use the agreed form and are answered in time."),
    (T.RECORDS, "Evidencija sadrži sve podatke iz člana 32 zakona.",
     "Records hold every item of article 32 of the law."),
    (T.RECORDS, "Podaci se analiziraju najmanje jednom u šest meseci.",
     "The data are analysed at least every six months."),
    (T.TRAINING, "Svi zaposleni koji rade sa žrtvama prošli su osnovnu obuku u poslednje tri godine.",
     "All staff who work with victims were trained in the last three years."),
    (T.TRAINING, "Nova osoba na poslu ima mentora iz tima za nasilje u porodici.",
     "New staff have a mentor from the domestic violence team."),
]
