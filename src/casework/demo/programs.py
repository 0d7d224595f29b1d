"""The demo agency's three programs and the clinical content of their cases.

Each ``ProgramSpec`` holds the program's settings (required assessment domains, follow-up
cadence per tier, reopen window) and the material its cases are written from: referral reasons,
assessment findings per domain, client-centred goals with interventions and progress
measurements, tier bases, transitions of care and the reasons for moving back or closing.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.transitions.models import Setting

CM = "cm"  # an intervention the case's own case manager carries out


@dataclass(frozen=True)
class InterventionSpec:
    description: str
    # CM, "staff:<username>" for a colleague, or the name of an outside provider.
    who: str
    frequency: str
    delay_days: int = 0  # the start is due this many days after the plan is agreed


@dataclass(frozen=True)
class GoalSpec:
    domain: str
    problem: str
    client_words: str
    target: str
    term: str  # "short" or "long"
    weeks: int  # target date, counted from the plan
    interventions: tuple[InterventionSpec, ...]
    measures: tuple[str, str, str]  # baseline, partway, target reached
    only_if: str = ""  # "interpreter": only for clients who need one


@dataclass(frozen=True)
class TransitionSpec:
    from_setting: str
    to_setting: str
    stay_days: tuple[int, int]
    why: str  # admission reason, completes "admitted with ..." / "placed in ... after ..."
    receiving: str  # who takes over


@dataclass(frozen=True)
class ProgramSpec:
    kind: str
    name: str
    case_type: str
    description: str
    eligibility: str
    required_domains: tuple[str, ...]
    follow_up_days: dict[str, int]
    reopen_window_days: int
    lost_to_contact_attempts: int
    ages: tuple[int, int]
    managers: tuple[tuple[str, int], ...]  # username, number of current cases
    referral_sources: tuple[tuple[str, int], ...]
    referral_reasons: tuple[str, ...]
    not_accepted: tuple[tuple[str, str], ...]  # screening outcome, reason
    findings: dict[str, tuple[tuple[str, str, str], ...]]  # domain: (finding, strengths, barriers)
    goals: tuple[GoalSpec, ...]
    tier_weights: dict[str, int]
    tier_bases: dict[str, str]
    override_reason: str
    transitions: tuple[TransitionSpec, ...]
    team_staff: tuple[tuple[str, str], ...]  # username, role on the care team
    team_external: tuple[str, ...]  # roles of outside members
    follow_up_words: tuple[str, ...]  # what clients say at follow-up
    reassess_reasons: tuple[str, ...]
    replan_reasons: tuple[str, ...]
    closures: dict[str, str]  # administrative closure reason: the words kept with the move


def _i(description: str, who: str, frequency: str, delay_days: int = 0) -> InterventionSpec:
    return InterventionSpec(description, who, frequency, delay_days)


# The programs are data: kept in hand-written layout.
# fmt: off
HOSPITAL = ProgramSpec(
    kind="hospital",
    name="Hospital transitions",
    case_type="Transitional care (nurse-led)",
    description=(
        "Nurse-led transitional care for adults leaving hospital: a contact within 2 business "
        "days of discharge, a home visit within 7 to 14 days, medication reconciliation and "
        "30 to 60 days of follow-up to prevent readmission."
    ),
    eligibility=(
        "Adults 18+ in or just discharged from an acute hospital stay with heart failure, COPD, "
        "diabetes with complications, pneumonia, or 2+ admissions in 6 months; living in New "
        "York City, Westchester, Nassau or northern New Jersey."
    ),
    required_domains=("medical", "functional", "caregiver", "housing", "health_literacy"),
    follow_up_days={"low": 14, "moderate": 7, "high": 3, "complex": 2},
    reopen_window_days=30,
    lost_to_contact_attempts=3,
    ages=(34, 92),
    managers=(
        ("casemanager", 22), ("tnguyen", 21), ("fjeanbaptiste", 21), ("rpatel", 8),
        ("mlopez", 12), ("aibrahim", 6),
    ),  # fmt: skip
    referral_sources=(("hospital", 6), ("physician", 2), ("payer", 2), ("family", 1)),
    referral_reasons=(
        "Admitted with heart failure exacerbation (3rd admission this year); the discharge "
        "planner requests transitional care.",
        "COPD exacerbation, going home on new inhalers and home oxygen; lives alone.",
        "Type 2 diabetes with a foot ulcer; discharged on insulin; the unit nurse flagged "
        "limited health literacy.",
        "Pneumonia in a patient with CKD stage 4; two ED visits in a month.",
        "Hip fracture repair; going home with home PT, the wife is the only caregiver.",
        "Payer high-utilizer list: 4 ED visits in 90 days, poorly controlled hypertension.",
        "Post-CABG; lives in a 4th-floor walk-up; cardiac rehab referral pending.",
        "Sickle cell crises, 3 admissions in 6 months; needs a pain plan and a PCP.",
    ),
    not_accepted=(
        ("not_eligible", "Lives in Orange County, outside the service area; referred back to "
         "the hospital's own transitional care team."),
        ("declined", "Thanked us but declined: 'My son is a nurse, he'll handle it.'"),
        ("referred_elsewhere", "Already enrolled in the health plan's own care management "
         "program; referral forwarded there."),
        ("not_eligible", "Elective knee replacement without a qualifying condition or "
         "readmission risk factors."),
    ),  # fmt: skip
    findings={
        "medical": (
            ("Heart failure (EF 30%), hypertension, type 2 diabetes (A1c 8.9%). 11 medicines "
             "after discharge, 3 of them new. Discharge weight 82 kg.",
             "Knows her cardiologist well; keeps a medicine list in her purse.",
             "Confused about which water pill to take; two prescribers."),
            ("COPD (GOLD 3) on home oxygen 2 L; 2 exacerbations this year. Smokes 5 cigarettes "
             "a day, down from a pack.",
             "Motivated to quit; inhaler technique correct on teach-back.",
             "Cannot afford the new inhaler copay ($95)."),
            ("Diabetic foot ulcer, left heel, healing; wound care 3 times a week. Insulin "
             "started this admission.",
             "Daughter can help with injections in the evening.",
             "Poor vision; cannot read the insulin pen dial reliably."),
            ("CKD stage 4 after pneumonia, resolved. Nephrology follow-up due in 2 weeks; "
             "must avoid NSAIDs.",
             "Keeps every appointment when transport is arranged.",
             "Takes ibuprofen for knee pain without telling anyone."),
        ),
        "functional": (
            ("Independent in ADLs except bathing (standby help). Cannot shop or clean since "
             "discharge.", "Walks steadily with a rolling walker.",
             "Tub shower without grab bars."),
            ("Katz ADL 5/6 (help with bathing), Lawton IADL 4/8. Short of breath after one "
             "flight of stairs.", "Used to be very active; wants her strength back.",
             "Lives on the 3rd floor, no elevator."),
            ("Independent before admission; now needs help dressing the lower body after hip "
             "surgery.", "Home PT starts this week; good effort in hospital PT.",
             "Afraid of falling again."),
        ),
        "caregiver": (
            ("Wife (78) is the only caregiver; she has her own heart condition and says she is "
             "exhausted.", "Devoted couple, married 52 years.",
             "No respite; the children live out of state."),
            ("Lives alone. Daughter visits at weekends and manages the pharmacy refills.",
             "Daughter is organised and reachable by text.", "Nobody there on weekdays."),
            ("Partner works night shifts; a neighbour checks in each morning.",
             "Good friends from church.", "No health care proxy named."),
        ),
        "housing": (
            ("Rents a 3rd-floor walk-up; stable lease; trip hazards in the hallway.",
             "Long-term tenant, on good terms with the super.",
             "Stairs limit going out to appointments."),
            ("Two months behind on rent after losing shifts while in hospital; the landlord "
             "sent a notice.", "Same employer for 9 years.",
             "Eviction risk; finds it hard to ask for help."),
            ("Lives with adult son on the ground floor; accessible bathroom.",
             "Safe, accessible home.", "None identified."),
        ),
        "health_literacy": (
            ("Single-item screener: 'a little' confident filling in medical forms. Teach-back "
             "on the diuretic failed at the first try.", "Asks good questions.",
             "Discharge papers full of medical words."),
            ("Adequate: explained the heart-failure zones back correctly; uses the patient "
             "portal.", "Keeps a symptom diary.", "None identified."),
            ("Limited: relies on a daughter to read letters; prefers pictures and a pill card "
             "in the client's own language.", "Excellent memory for spoken instructions.",
             "Cannot read the pill bottle labels; discharge papers were in English only."),
        ),
    },
    goals=(
        GoalSpec(
            "medical", "High risk of readmission (3 admissions in 12 months)",
            "I don't want to end up back in the hospital.",
            "No readmission or ED visit in the 30 days after discharge", "short", 5,
            (_i("Interactive contact within 2 business days of discharge, then weekly calls",
                CM, "weekly"),
             _i("PCP follow-up visit within 7 days of discharge", "PCP office", "once", 2)),
            ("day 7: no ED visits", "day 14: no ED visits, weight stable",
             "day 30 without readmission"),
        ),
        GoalSpec(
            "health_literacy", "Does not yet understand the new medicines",
            "I want to understand my water pills.",
            "Teaches back the purpose, dose and timing of each heart-failure medicine",
            "short", 4,
            (_i("Teach-back sessions with a picture pill card in the client's language", CM,
                "weekly for 4 weeks"),
             _i("Blister packs and a medicine review by the pharmacist", "Community pharmacist",
                "monthly", 3)),
            ("teaches back 2 of 6 medicines", "teaches back 4 of 6 medicines",
             "teaches back 6 of 6 medicines"),
        ),
        GoalSpec(
            "medical", "Fluid gain not noticed early",
            "Weigh myself every morning.",
            "Daily weights logged 6 of 7 days; a gain over 2 lb reported the same day",
            "short", 6,
            (_i("Talking scale and weight log provided", CM, "once"),
             _i("Weight log reviewed at each call", CM, "weekly", 7)),
            ("weights logged 2 of 7 days", "weights logged 5 of 7 days",
             "weights logged 7 of 7 days; one gain reported the same day"),
        ),
        GoalSpec(
            "functional", "Deconditioned after a 9-day admission",
            "Walk to the mailbox without help.",
            "Walks 50 metres with a cane without resting", "long", 10,
            (_i("Home physical therapy", "Home health agency PT", "2 times a week for 6 weeks", 2),
             _i("Shower chair and cane delivered (DME order)", CM, "once")),
            ("walks 10 m with a walker", "walks 30 m with a cane, one rest",
             "walks 50 m with a cane, no rest"),
        ),
        GoalSpec(
            "caregiver", "Caregiver strain: the spouse is exhausted",
            "My wife needs a break sometimes.",
            "4 hours of respite a week in place; the caregiver reports less strain", "long", 8,
            (_i("Respite hours application (Office for the Aging)", CM, "once, then weekly"),
             _i("Caregiver support group referral", "Caregiver resource center", "weekly", 7)),
            ("application submitted", "respite approved, starts next month",
             "4 hours a week of respite in place"),
        ),
        GoalSpec(
            "housing", "Rent arrears after the hospital stay: eviction risk",
            "I just want to keep my apartment.",
            "Arrears paid or a payment plan signed; no eviction filing", "short", 6,
            (_i("Emergency rental assistance application", CM, "once"),
             _i("Referral to tenant legal services", "Legal Services of the Hudson", "as needed")),
            ("application submitted", "the landlord agreed to wait for the grant",
             "arrears paid, lease renewed"),
        ),
        GoalSpec(
            "health_literacy", "Cannot read the discharge instructions",
            "Tell me in my language and show me.",
            "Names the 3 warning signs and whom to call, in own words", "short", 3,
            (_i("Discharge instructions reviewed with an interpreter", CM, "once"),
             _i("Zone sheet on the fridge, reviewed at each call", CM, "weekly", 7)),
            ("names 1 of 3 warning signs", "names 2 of 3 warning signs",
             "names all 3 warning signs and the number to call"),
            "interpreter",
        ),
    ),
    tier_weights={"low": 2, "moderate": 4, "high": 4, "complex": 2},
    tier_bases={
        "low": "LACE 4 (low): short stay, no ED visits in 6 months, Charlson 1.",
        "moderate": "LACE 8 (moderate): 4-day stay, Charlson 2, 1 ED visit in 6 months.",
        "high": "LACE 12 (high): 6-day urgent admission, Charlson 3, 2 ED visits in 6 months.",
        "complex": "LACE 15 (high) with unstable housing and limited health literacy: the "
        "program rule sets complex.",
    },
    override_reason="Lives alone with new insulin and poor vision: needs closer follow-up.",
    transitions=(
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.HOME, (3, 8),
                       "heart failure exacerbation", "PCP and home health nursing"),
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.HOME, (2, 6),
                       "COPD exacerbation", "PCP and pulmonology clinic"),
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.SNF, (4, 9),
                       "a fall with a hip fracture", "subacute rehabilitation"),
        TransitionSpec(Setting.OBSERVATION, Setting.HOME, (1, 2),
                       "chest pain (myocardial infarction ruled out)", "PCP and cardiology"),
    ),  # fmt: skip
    team_staff=(("rpatel", "physician advisor"), ("mlopez", "social worker"),
                ("wzhang", "community health worker")),
    team_external=("primary care physician", "home health nurse", "family caregiver",
                   "community pharmacist"),
    follow_up_words=(
        "feels stronger; walked to the corner store",
        "a little short of breath on the stairs, no ankle swelling",
        "weight up 1 lb; took the extra water pill as told",
        "missed the cardiology appointment: no ride",
        "sleeping better with two pillows",
    ),
    reassess_reasons=(
        "Change in condition: new shortness of breath and a 3 kg weight gain; reassessing.",
        "Fall at home with a wrist fracture; reassessing function and caregiver capacity.",
    ),
    replan_reasons=(
        "Readmission goal met; the client now wants to work on walking and getting back to "
        "church.",
        "Wife hospitalised; the plan has to change to cover caregiving.",
    ),
    closures={
        "deceased": "Client died at home under hospice care; the family informed us.",
        "moved_away": "Moved to live with a son in Atlanta, GA; records sent to the new PCP "
        "with consent.",
        "lost_to_contact": "Unable to reach after repeated calls, texts and a letter; closure "
        "letter sent.",
        "declined_services": "Declined further services: 'I'm doing fine now, thank you.'",
        "transferred": "Transferred to the health plan's complex care management program.",
    },
)

JUVENILE = ProgramSpec(
    kind="juvenile",
    name="Juvenile diversion",
    case_type="Juvenile justice diversion",
    description=(
        "Case management for young people diverted from family court: the diversion agreement, "
        "school, behavioural health, substance use and family support, with legal advocacy."
    ),
    eligibility=(
        "Youth aged 12 to 17 referred by family court, the prosecutor, police or school for a "
        "first or minor offence, with a parent or guardian willing to take part."
    ),
    required_domains=(
        "legal", "education_vocation", "behavioral_health", "substance_use", "caregiver",
    ),
    follow_up_days={"low": 30, "moderate": 14, "high": 7, "complex": 3},
    reopen_window_days=180,
    lost_to_contact_attempts=4,
    ages=(12, 17),
    managers=(
        ("kjohnson", 22), ("lherrera", 22), ("jkowalski", 10), ("dwashington", 8),
        ("sgoldberg", 3),
    ),  # fmt: skip
    referral_sources=(("court", 5), ("school", 3), ("family", 1), ("agency", 1)),
    referral_reasons=(
        "First shoplifting charge; family court offers diversion instead of a petition.",
        "School fight leading to a simple assault charge; school resource officer referral.",
        "Chronic truancy (38 absences); school attendance team referral.",
        "Marijuana possession on school grounds; the prosecutor offers diversion.",
        "Criminal mischief (graffiti); probation intake recommends diversion.",
        "Two runaway episodes; the mother asks for help; child welfare screened out.",
        "Trespassing and curfew violations; police juvenile aid bureau referral.",
    ),
    not_accepted=(
        ("not_eligible", "The charge is excluded from diversion by statute; returned to "
         "family court."),
        ("declined", "Youth and mother declined; they prefer to go before the judge with a "
         "private attorney."),
        ("referred_elsewhere", "Open child welfare case; referred to the family preservation "
         "program."),
        ("not_eligible", "Turned 18 before intake; referred to adult pretrial services."),
    ),  # fmt: skip
    findings={
        "legal": (
            ("Shoplifting charge; the diversion agreement requires 20 hours of community "
             "service and $120 restitution. No prior record.",
             "Took responsibility at intake and apologised to the store.",
             "The friends involved are in the same class."),
            ("Simple assault charge after a school fight; stay-away order from the other "
             "youth. Court date adjourned pending diversion.", "Remorseful; mother supportive.",
             "The conflict continues on social media."),
            ("Possession under 50 g; the prosecutor dismisses on completion of 90 days of "
             "diversion with clean screens.", "Clear target and timeline.",
             "Friends use daily."),
        ),
        "education_vocation": (
            ("9th grade, GPA 1.6, failing algebra and English; 22 absences. The IEP for ADHD "
             "has not been updated since 6th grade.", "Good at art and basketball.",
             "Outdated IEP; falls asleep in first period."),
            ("8th grade, passing all classes but 38 absences.", "Reads above grade level.",
             "Walks to school past a block with gang activity."),
            ("11th grade; wants to work; no working papers or résumé.",
             "Reliable when interested; babysits siblings.", "No transport to job sites."),
        ),
        "behavioral_health": (
            ("PHQ-A 11 (moderate); irritable and sleeping badly since the parents separated. "
             "C-SSRS screen negative.", "Willing to see a counsellor 'if it's not weird'.",
             "The last therapist left; 6-week waiting list."),
            ("ADHD, off medication for 2 years; impulsive in class.",
             "Responds well to structure and praise.", "Mother worried about stimulants."),
            ("Witnessed a shooting last year; nightmares; GAD-7 9.",
             "Strong bond with the grandmother.", "Avoids talking about it."),
        ),
        "substance_use": (
            ("CRAFFT 3: marijuana most weekends with friends; vapes nicotine daily; no alcohol.",
             "Wants to stay on the basketball team (drug-free policy).",
             "Friends and an older cousin use."),
            ("CRAFFT 0; denies any use; the mother confirms.", "No use.", "None identified."),
            ("CRAFFT 2: alcohol at parties twice a month; one blackout.",
             "Scared by the blackout; open to change.", "Parties with no adults present."),
        ),
        "caregiver": (
            ("Lives with the mother (works nights) and two younger siblings.",
             "The mother comes to every meeting.", "Little supervision after school."),
            ("Lives with the grandmother (legal guardian, 71); the mother is incarcerated.",
             "The grandmother is loving and firm.", "Grandmother has diabetes, low energy."),
            ("Lives with both parents; frequent arguments about curfew; police called once.",
             "Parents agree to family therapy.", "The father works two jobs."),
        ),
    },
    goals=(
        GoalSpec(
            "education_vocation", "Failing two core classes",
            "Get all A's and B's next term.",
            "GPA 3.0 or higher on the next report card", "long", 16,
            (_i("Weekly tutoring at the library (algebra, English)", "Youth tutoring program",
                "weekly", 3),
             _i("Request an updated IEP meeting", CM, "once"),
             _i("Check-in with the school counsellor", "School counsellor", "every 2 weeks", 7)),
            ("GPA 1.6, two F's", "progress report: C's in algebra and English",
             "report card GPA 3.1"),
        ),
        GoalSpec(
            "legal", "Diversion agreement obligations",
            "Stay out of trouble and finish my diversion.",
            "20 hours of community service and $120 restitution done; no new charges by the "
            "review date", "short", 10,
            (_i("Community service placement at the food bank", CM, "Saturdays", 4),
             _i("Review the diversion agreement and court dates with youth and guardian",
                "staff:sgoldberg", "once, then before each review")),
            ("4 of 20 hours", "12 of 20 hours, $60 paid",
             "20 of 20 hours, restitution paid, no new charges"),
        ),
        GoalSpec(
            "education_vocation", "No work experience; wants an income",
            "Learn a job skill before summer.",
            "Enrolled in a summer youth employment program and attending 80% or more",
            "long", 14,
            (_i("Help apply to the summer youth employment program", CM, "once"),
             _i("Working papers and résumé workshop", "Youth employment center", "once", 7)),
            ("application in", "accepted; orientation attended", "attending 90% of shifts"),
        ),
        GoalSpec(
            "substance_use", "Weekend marijuana use; the team has a drug-free policy",
            "Stop smoking weed so I can stay on the team.",
            "3 negative screens in a row and weekly adolescent group attendance", "short", 8,
            (_i("Adolescent outpatient substance use group", "staff:dwashington", "weekly", 3),
             _i("Motivational interviewing check-ins", CM, "every 2 weeks")),
            ("first group attended, screen positive", "2 negative screens",
             "3 negative screens in a row"),
        ),
        GoalSpec(
            "caregiver", "Conflict at home; police called once",
            "Not fight with my mom every night.",
            "8 family therapy sessions attended; no police calls for 60 days", "long", 12,
            (_i("In-home family therapy", "Family therapy provider", "weekly for 8 weeks", 5),
             _i("Safety and de-escalation plan with youth and guardian", CM, "once, monthly "
                "review")),
            ("2 sessions; arguments most nights", "5 sessions; arguments twice a week",
             "8 sessions; no police calls in 60 days"),
        ),
        GoalSpec(
            "education_vocation", "Chronic absence",
            "Go to school every day, even first period.",
            "Attendance 90% or better this marking period", "short", 8,
            (_i("Morning check-in text and alarm plan", CM, "school days"),
             _i("Walking group to school with the attendance team", "School attendance team",
                "daily", 2)),
            ("attendance 70%", "attendance 85%", "attendance 93%"),
        ),
        GoalSpec(
            "behavioral_health", "Low mood and irritability (PHQ-A 11)",
            "Feel less angry all the time.",
            "PHQ-A under 10 and counselling attended every week", "long", 12,
            (_i("Adolescent counselling", "staff:jkowalski", "weekly", 5),
             _i("Sleep routine plan with the youth", CM, "review every 2 weeks")),
            ("PHQ-A 11, first session booked", "PHQ-A 9, 4 sessions", "PHQ-A 6, attends weekly"),
        ),
    ),
    tier_weights={"low": 3, "moderate": 5, "high": 3, "complex": 1},
    tier_bases={
        "low": "Program rule: 1 risk factor (legal only); first contact; strong family support.",
        "moderate": "Program rule: 2 risk factors (legal, school attendance).",
        "high": "Program rule: 3 risk factors (legal, school failure, substance use).",
        "complex": "Program rule: 4 or more risk factors, with behavioural health and family "
        "conflict; prior diversion.",
    },
    override_reason="New threats on social media from the co-defendant.",
    transitions=(
        TransitionSpec(Setting.CUSTODY, Setting.HOME, (2, 9),
                       "a violation of the stay-away order", "the guardian and the school"),
        TransitionSpec(Setting.INPATIENT_PSYCH, Setting.HOME, (4, 10),
                       "a crisis with suicidal statements", "adolescent outpatient clinic"),
        TransitionSpec(Setting.RESIDENTIAL_TREATMENT, Setting.HOME, (21, 30),
                       "30-day residential substance use treatment",
                       "adolescent outpatient substance use program"),
    ),  # fmt: skip
    team_staff=(("sgoldberg", "legal advocate"), ("dwashington", "substance use counsellor"),
                ("jkowalski", "behavioural health clinician")),
    team_external=("school counsellor", "family court diversion officer", "parent or guardian",
                   "family therapist"),
    follow_up_words=(
        "school is 'okay'; got a B on the English essay",
        "argued with mom about curfew but walked away",
        "went to group twice; says it is 'not that bad'",
        "community service at the food bank is 'actually fun'",
        "tired; up late gaming on school nights",
    ),
    reassess_reasons=(
        "New curfew violation and a 3-day suspension from school; reassessing.",
        "Disclosed daily vaping and panic attacks; reassessing.",
    ),
    replan_reasons=(
        "Community service finished early; the youth wants a job-skill goal.",
        "Moved in with the grandmother; the plan has to change schools and supports.",
    ),
    closures={
        "moved_away": "Family moved to Puerto Rico; family court notified.",
        "lost_to_contact": "No response from the youth or guardian after repeated calls, texts, "
        "a home visit and a letter; the diversion officer is informed.",
        "declined_services": "Youth withdrew from diversion; the case returns to family court.",
        "transferred": "Transferred to the county's intensive youth services program.",
    },
)

SENIOR = ProgramSpec(
    kind="senior",
    name="Senior services",
    case_type="Geriatric care management",
    description=(
        "Care management for older adults who want to keep living at home: function and falls, "
        "caregiver support, safety, food and money, coordinated with the PCP and home care."
    ),
    eligibility=(
        "Adults 65+ (or 60+ with a disability) living in the community who need help with "
        "daily activities, have fallen, or whose caregiver is under strain."
    ),
    required_domains=("medical", "functional", "caregiver", "safety", "food", "finances"),
    follow_up_days={"low": 60, "moderate": 30, "high": 14, "complex": 7},
    reopen_window_days=90,
    lost_to_contact_attempts=3,
    ages=(65, 95),
    managers=(
        ("ytanaka", 24), ("dvolkov", 20), ("mlopez", 8), ("wzhang", 10), ("casemanager", 10),
        ("aibrahim", 8),
    ),  # fmt: skip
    referral_sources=(("family", 3), ("physician", 3), ("self", 1), ("agency", 2), ("payer", 1)),
    referral_reasons=(
        "Two falls in 3 months; the daughter worries she cannot stay alone.",
        "PCP concerned about weight loss (6 kg in 4 months) and missed appointments.",
        "Adult Protective Services closed an investigation; recommends case management for "
        "self-neglect risk.",
        "Early dementia diagnosis; the husband is overwhelmed as caregiver.",
        "Medicare Advantage high-risk list: 9 chronic conditions, 14 medicines.",
        "Self-referral: 'I can't keep up with the bills and the forms anymore.'",
        "Senior center staff noticed she stopped coming to lunch; lives alone.",
    ),
    not_accepted=(
        ("not_eligible", "Age 61 without a disability; referred to the adult services line."),
        ("declined", "Declined: 'I'm managing fine, my neighbour helps.' Information left "
         "with the daughter."),
        ("referred_elsewhere", "Needs nursing-home level of care now; referred to the long-term "
         "care options counsellor."),
    ),  # fmt: skip
    findings={
        "medical": (
            ("Hypertension, atrial fibrillation on apixaban, knee osteoarthritis, mild "
             "cognitive impairment. 12 medicines; Charlson 4.",
             "Same PCP for 20 years.", "Forgets evening doses."),
            ("Type 2 diabetes, macular degeneration, hearing loss (hearing aids not worn). "
             "Weight 48 kg, down 6 kg.", "Eats well when someone cooks with her.",
             "Cannot see the glucometer display."),
            ("COPD and heart failure; 2 admissions last year; oxygen at night.",
             "Knows her inhalers well.",
             "Smokes 3 cigarettes a day with oxygen in the home (fire risk)."),
        ),
        "functional": (
            ("Katz ADL 4/6 (help bathing and dressing); Lawton IADL 3/8. Walker indoors; two "
             "falls in 3 months.", "Determined; does her exercises.",
             "Tub without grab bars; loose rugs."),
            ("Independent in ADLs; no longer drives or shops; cooks only with the microwave.",
             "Walks daily in the building corridor.", "No transport since giving up the car."),
            ("Needs help with all IADLs and with bathing, dressing and toileting.",
             "Cooperative with the aide.", "20 aide hours a week are not enough."),
        ),
        "caregiver": (
            ("Daughter (52) visits daily after work; she works full time and has teenagers.",
             "Very close family.", "Daughter shows caregiver strain (Zarit short form 14)."),
            ("Husband (84) is the caregiver; he has Parkinson's disease.",
             "Married 60 years.", "Neither can manage stairs or heavy tasks."),
            ("No family nearby; a neighbour brings groceries once a week.",
             "Friendly building with a doorman.", "No one to call at night."),
        ),
        "safety": (
            ("Home safety check: loose rugs, poor stair lighting, smoke detector without a "
             "battery. No abuse or neglect concerns.", "Willing to make changes.",
             "The landlord is slow to respond."),
            ("Lives alone without an emergency response system; lay on the floor 3 hours "
             "after a fall last month.", "Will wear a pendant 'if it's not ugly'.",
             "Monthly cost of the service."),
            ("A nephew uses her bank card; withdrawals she cannot explain. Discussed with "
             "consent; APS informed.", "Wants to protect her savings.",
             "Afraid of losing the nephew's company."),
        ),
        "food": (
            ("Hunger Vital Sign positive: food runs out before the end of the month. Not in "
             "SNAP.", "Likes to cook when she can.",
             "Pride: 'food stamps are for people who need them'."),
            ("One hot meal a day at the senior center on weekdays; weekends tea and bread.",
             "Enjoys the senior center.", "Nothing at weekends."),
            ("Food secure; the daughter shops weekly; understands the low-sodium diet.",
             "Good support.", "None identified."),
        ),
        "finances": (
            ("Social Security $1,140 a month; rent $780. Not enrolled in the Medicare Savings "
             "Program or Extra Help.", "Keeps every paper in a folder.",
             "Forms overwhelm her."),
            ("Utility arrears of $430; shut-off notice received.",
             "Paid bills on time for 40 years.", "The pension stopped when her husband died."),
            ("Finances managed by the son (power of attorney); income adequate.",
             "Son reliable.", "None identified."),
        ),
    },
    goals=(
        GoalSpec(
            "functional", "Two falls in 3 months; deconditioned",
            "Walk to the mailbox without help.",
            "Walks to the mailbox (40 m) with a cane; no falls for 90 days", "long", 12,
            (_i("Home physical therapy", "Home health agency PT", "2 times a week for 6 weeks", 3),
             _i("Home safety visit: grab bars, rugs removed, night lights", CM, "once")),
            ("walks 10 m with a walker", "walks 25 m with a cane",
             "walks to the mailbox with a cane, no falls"),
        ),
        GoalSpec(
            "safety", "Lives alone; long lie after a fall",
            "Stay in my own home.",
            "Personal emergency response pendant in place and worn daily", "short", 4,
            (_i("Order an emergency response pendant (waiver-funded)", CM, "once"),
             _i("Weekly check-in calls", "staff:wzhang", "weekly", 7)),
            ("pendant ordered", "pendant installed, worn some days",
             "pendant worn daily, tested monthly"),
        ),
        GoalSpec(
            "food", "Food runs out before the end of the month",
            "Have enough to eat at the end of the month.",
            "SNAP approved and home-delivered meals 5 days a week", "short", 6,
            (_i("SNAP application with the client", CM, "once"),
             _i("Home-delivered meals referral", "Area Agency on Aging", "5 days a week", 5)),
            ("SNAP application submitted", "meals started 5 days a week",
             "SNAP approved ($94 a month); meals continuing"),
        ),
        GoalSpec(
            "finances", "Cannot keep up with bills; shut-off notice",
            "Pay my bills without help from the neighbours.",
            "Enrolled in the Medicare Savings Program and LIHEAP; no shut-off notices",
            "long", 10,
            (_i("Medicare Savings Program and Extra Help applications", CM, "once"),
             _i("LIHEAP utility assistance application", "Community action agency", "once", 3)),
            ("applications submitted", "LIHEAP paid the arrears",
             "MSP approved; no notices"),
        ),
        GoalSpec(
            "caregiver", "Daughter's caregiver strain",
            "Give my daughter some time off.",
            "Adult day program 2 days a week; the daughter's strain score lower", "long", 10,
            (_i("Adult day health program referral", CM, "once"),
             _i("Caregiver support group for the daughter", "Caregiver resource center",
                "monthly", 10)),
            ("tour of the day program done", "attends 1 day a week",
             "attends 2 days a week; Zarit 9"),
        ),
        GoalSpec(
            "medical", "Missed evening doses of the anticoagulant",
            "Take my pills right, the morning and the night ones.",
            "No missed anticoagulant doses on the pill-pack check for 4 weeks", "short", 6,
            (_i("Blister packs and a talking reminder", "Community pharmacist", "monthly", 2),
             _i("Medicine review with the PCP", "PCP office", "once", 5)),
            ("3 missed doses this week", "1 missed dose this week", "no missed doses in 4 weeks"),
        ),
        GoalSpec(
            "functional", "Needs help bathing; wants to stay independent",
            "Bathe myself as long as I can.",
            "Showers alone with a shower chair and grab bar, aide on standby", "long", 8,
            (_i("Occupational therapy home evaluation", "Home health agency OT",
                "once, then 4 visits", 3),
             _i("Shower chair and grab bar installed", CM, "once")),
            ("needs full help", "showers with standby help", "showers alone with the aide near"),
        ),
    ),
    tier_weights={"low": 2, "moderate": 5, "high": 4, "complex": 2},
    tier_bases={
        "low": "Katz ADL 6/6, Lawton IADL 6/8; stable; good family support.",
        "moderate": "Katz ADL 5/6, IADL 4/8; 1 fall in 6 months; lives alone.",
        "high": "Katz ADL 4/6, IADL 3/8; 2 falls in 3 months; Charlson 4; lives alone.",
        "complex": "Katz ADL 2/6; cognitive impairment; frail caregiver; 2 admissions in 6 "
        "months.",
    },
    override_reason="The caregiver was hospitalised this week; nobody else is at home.",
    transitions=(
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.SNF, (3, 8),
                       "a fall with a hip fracture", "subacute rehabilitation"),
        TransitionSpec(Setting.SNF, Setting.HOME, (14, 25),
                       "rehabilitation after a hip fracture", "PCP and home care"),
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.HOME, (3, 7),
                       "a urinary tract infection with delirium", "PCP and home care"),
        TransitionSpec(Setting.INPATIENT_ACUTE, Setting.HOME, (2, 6),
                       "pneumonia", "PCP and home care"),
    ),  # fmt: skip
    team_staff=(("wzhang", "community health worker"), ("aibrahim", "clinical case manager"),
                ("rpatel", "physician advisor")),
    team_external=("primary care physician", "home care agency", "family caregiver",
                   "Area Agency on Aging"),
    follow_up_words=(
        "sleeping better since the night light went in",
        "the daughter says she is eating more",
        "felt dizzy getting up once; no fall",
        "likes the meals, 'too much salt though'",
        "lonely at weekends; would like the senior center again",
    ),
    reassess_reasons=(
        "Cognitive decline noticed by the daughter (got lost in the building); reassessing.",
        "The husband (caregiver) was hospitalised; reassessing the home situation.",
    ),
    replan_reasons=(
        "Meals in place; falls are now the priority.",
        "Moved in with her daughter; the plan has to change.",
    ),
    closures={
        "deceased": "Client passed away in hospital; the daughter called. Condolence card sent.",
        "moved_away": "Moved to an assisted living residence in Florida near her son.",
        "lost_to_contact": "Unable to reach after repeated calls and a letter; the emergency "
        "contact's number is out of service.",
        "declined_services": "Declined further services: 'My son takes care of it all now.'",
        "transferred": "Transferred to the county's Medicaid long-term care program.",
    },
)

# fmt: on

PROGRAMS: tuple[ProgramSpec, ...] = (HOSPITAL, JUVENILE, SENIOR)
