"""Hand-written people data for the demo agency: names, places, languages, words.

Names come from many origins, accents included, because a case-management system has to
handle "José Núñez", "Nguyễn Thị Lan" and "Zoë O'Brien" as well as "John Smith". The agency
sits in the New York metropolitan area, so clients live in New York, New Jersey, Connecticut
and Pennsylvania. Phone numbers use the 555-01xx range reserved for fiction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """A naming and language tradition. A family name "Ivanov|Ivanova" is gendered."""

    key: str
    languages: tuple[tuple[str, int], ...]  # (preferred language, weight)
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    cultural: tuple[str, ...]
    weight: int


ENGLISH = "English"

# fmt: off
ORIGINS: tuple[Origin, ...] = (
    Origin(
        "hispanic",
        (("Spanish", 6), (ENGLISH, 4)),
        ("María", "Ana", "Lucía", "Sofía", "Guadalupe", "Marisol", "Ángela", "Inés", "Valentina",
         "Rosa", "Carmen", "Yesenia", "Xiomara", "Daniela"),
        ("José", "Luis", "Carlos", "Miguel", "Jesús", "Andrés", "Raúl", "Héctor", "Julián",
         "Ramón", "Mateo", "Óscar", "Santiago", "Efraín"),
        ("Núñez", "García", "Rodríguez", "Hernández", "Peña", "Ibáñez", "Muñoz", "Ortiz",
         "Castillo", "Domínguez", "Colón", "Rivera", "Acevedo", "Guzmán", "Marte", "Quiñones"),
        ("Catholic; attends Mass at the parish and wants the priest told if hospitalised.",
         "Family decides together; her daughter joins every planning visit.",
         "Uses remedios caseros (herbal teas); ask about them at each medication review.",
         "Prefers Spanish-language written materials and a Spanish-speaking clinician.",
         "Undocumented family members in the household: discuss benefits carefully."),
        18,
    ),
    Origin(
        "vietnamese",
        (("Vietnamese", 7), (ENGLISH, 3)),
        ("Lan", "Hương", "Thảo", "Ngọc", "Mai", "Linh", "Trang", "Phương"),
        ("Minh", "Tuấn", "Hùng", "Đức", "Quang", "Long", "Bảo", "Khoa"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"),
        ("Buddhist; keeps a family altar and may decline visits on the full-moon day.",
         "Eldest son speaks for the family; ask the client's own wishes privately first.",
         "Uses cao gió (medicated oil) and coining; marks on the skin are not injuries.",
         "Prefers traditional foods; the low-sodium plan should use familiar dishes."),
        8,
    ),
    Origin(
        "chinese",
        (("Chinese (Mandarin)", 4), ("Chinese (Cantonese)", 4), (ENGLISH, 2)),
        ("Mei", "Xiuying", "Lina", "Yan", "Jing", "Hui", "Xiaoling", "Wai Man"),
        ("Wei", "Jun", "Hao", "Ming", "Zhiwei", "Kwok Wah", "Jian", "Lei"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Lin", "Wong", "Chan", "Lam"),
        ("Takes traditional Chinese medicine from a herbalist in Flushing; share the list.",
         "Family prefers not to discuss prognosis directly with the client.",
         "Avoids cold foods and drinks when unwell; hospital diet was hard to accept."),
        8,
    ),
    Origin(
        "haitian",
        (("Haitian Creole", 6), ("French", 1), (ENGLISH, 3)),
        ("Marie", "Nadège", "Rose-Andrée", "Fabienne", "Guerline", "Mirlande", "Widline"),
        ("Jean", "Pierre", "Wilner", "Frantz", "Jean-Robert", "Ricardo", "Wisler"),
        ("Jean-Baptiste", "Pierre-Louis", "Joseph", "Célestin", "Désir", "Saint-Fleur",
         "Charles", "Étienne"),
        ("Church community (Baptist) is the main support; the pastor visits weekly.",
         "Uses home remedies (tea of asorosi); ask without judgement.",
         "Prefers Creole for health talk even though conversational English is good."),
        8,
    ),
    Origin(
        "arabic",
        (("Arabic", 6), (ENGLISH, 4)),
        ("Fatima", "Layla", "Amira", "Nour", "Rania", "Huda", "Salma"),
        ("Ahmed", "Omar", "Youssef", "Khalil", "Tariq", "Samir", "Mahmoud"),
        ("Haddad", "Khoury", "Mansour", "El-Sayed", "Abdullah", "Saleh", "Darwish"),
        ("Observes Ramadan; schedule visits after iftar or early morning while fasting.",
         "Prefers a female clinician for personal care and physical examination.",
         "Halal diet; check medication capsules for gelatin."),
        7,
    ),
    Origin(
        "russian",
        (("Russian", 7), (ENGLISH, 3)),
        ("Olga", "Natalia", "Svetlana", "Irina", "Galina", "Tatiana", "Lyudmila"),
        ("Dmitri", "Sergei", "Alexei", "Yuri", "Mikhail", "Boris", "Vladimir"),
        ("Ivanov|Ivanova", "Petrov|Petrova", "Kuznetsov|Kuznetsova", "Sokolov|Sokolova",
         "Volkov|Volkova", "Smirnov|Smirnova", "Popov|Popova"),
        ("Distrusts home health aides from agencies; prefers a known neighbour to help.",
         "Russian Orthodox; keeps Lent fasting, which affects the diabetic diet in spring.",
         "Wants to be told everything about the diagnosis, plainly."),
        6,
    ),
    Origin(
        "somali",
        (("Somali", 7), (ENGLISH, 3)),
        ("Hodan", "Ayaan", "Faadumo", "Sahra", "Hawa", "Ifrah", "Deeqa"),
        ("Abdi", "Mohamed", "Hassan", "Farah", "Abdirahman", "Liban", "Yusuf"),
        ("Warsame", "Hussein", "Jama", "Osman", "Aden", "Ali", "Nur"),
        ("Observes Ramadan; prayer times shape the visit schedule.",
         "Clan elders and the imam are trusted advisers; the client may want them involved.",
         "Prefers a female interpreter from outside the local community (privacy)."),
        4,
    ),
    Origin(
        "polish",
        (("Polish", 5), (ENGLISH, 5)),
        ("Małgorzata", "Agnieszka", "Katarzyna", "Zofia", "Halina"),
        ("Łukasz", "Krzysztof", "Tomasz", "Wojciech", "Stanisław"),
        ("Kowalczyk|Kowalczyk", "Wójcik|Wójcik", "Nowak|Nowak", "Zieliński|Zielińska",
         "Lewandowski|Lewandowska"),
        ("Catholic; parish in Greenpoint; Sunday mornings are not available for visits.",
         "Proud of managing alone; frame help as temporary."),
        4,
    ),
    Origin(
        "portuguese",
        (("Portuguese", 5), (ENGLISH, 5)),
        ("Conceição", "Fernanda", "Graça", "Luísa", "Thaís"),
        ("João", "António", "Gonçalo", "Sebastião", "Luís"),
        ("Gonçalves", "Simões", "Araújo", "Magalhães", "Conceição"),
        ("Ironbound community; the local Portuguese social club provides meals and rides.",),
        4,
    ),
    Origin(
        "anglo",
        ((ENGLISH, 1),),
        ("Zoë", "Chloé", "Mary", "Patricia", "Jasmine", "Brianna", "Renée", "Dorothy", "Shanice",
         "Kayla", "Siobhan", "Ruth", "Aaliyah", "Hannah"),
        ("James", "Robert", "Michael", "Tyrone", "Dylan", "Francis", "Darnell", "Kevin",
         "Walter", "Malik", "Ethan", "Eugene", "DeShawn", "Noah"),
        ("Smith", "Johnson", "O'Brien", "Washington", "Murphy", "Kowalski", "Brown", "Jackson",
         "Müller", "Schröder", "McAllister", "Greene", "Holloway", "D'Angelo", "Fitzgerald",
         "Thompson", "Reyes-Walker", "Ellison"),
        ("Baptist church family brings meals; the deacon is a key support.",
         "Veteran (US Army); eligible for VA services, prefers the VA clinic.",
         "Lives with a long-term partner who is not legally next of kin: ask about a proxy.",
         "Jewish (Orthodox); no visits from Friday sundown to Saturday night; kosher meals.",
         "Prefers to be addressed by surname (Mr./Mrs.) until invited otherwise."),
        29,
    ),
)
# fmt: on

NICKNAMES: dict[str, str] = {
    "Jesús": "Chuy", "Guadalupe": "Lupe", "Robert": "Bob", "Michael": "Mike",
    "Francis": "Frank", "Patricia": "Patty", "Dorothy": "Dot", "Walter": "Walt",
    "Kwok Wah": "Kevin", "Xiuying": "Sophie", "Aleksander": "Alex", "Krzysztof": "Chris",
    "Mahmoud": "Moe", "Gonçalo": "Gil", "Stanisław": "Stan", "Zhiwei": "David",
}  # fmt: skip

MIDDLE_NAMES: tuple[str, ...] = (
    "Thị", "Văn", "Del Carmen", "Marie", "Lee", "Ann", "José", "Elizabeth", "Jean", "Amina",
    "Grace", "Aleksandrovna", "Joseph", "Ray",
)  # fmt: skip

# (city, state, ZIP prefix, telephone area code)
PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("Bronx", "NY", "104", "718"),
    ("Brooklyn", "NY", "112", "718"),
    ("Queens", "NY", "113", "718"),
    ("Flushing", "NY", "113", "718"),
    ("New York", "NY", "100", "212"),
    ("Yonkers", "NY", "107", "914"),
    ("Mount Vernon", "NY", "105", "914"),
    ("Hempstead", "NY", "115", "516"),
    ("Newark", "NJ", "071", "973"),
    ("Jersey City", "NJ", "073", "201"),
    ("Paterson", "NJ", "075", "973"),
    ("Elizabeth", "NJ", "072", "908"),
    ("Union City", "NJ", "070", "201"),
    ("Passaic", "NJ", "070", "973"),
    ("Bridgeport", "CT", "066", "203"),
    ("Stamford", "CT", "069", "203"),
    ("Philadelphia", "PA", "191", "215"),
    ("Allentown", "PA", "181", "610"),
)

STREETS: tuple[str, ...] = (
    "Grand Concourse", "Atlantic Avenue", "Roosevelt Avenue", "Main Street", "Ferry Street",
    "Broad Street", "Bergenline Avenue", "Palisade Avenue", "Elm Street", "Fairmount Avenue",
    "Ocean Parkway", "Fordham Road", "Kensington Avenue", "Maple Avenue", "Market Street",
    "Washington Street", "Park Place", "Jefferson Avenue", "Linden Boulevard", "Hamilton Avenue",
    "Martin Luther King Jr. Boulevard", "Chestnut Street", "Nostrand Avenue", "Union Avenue",
)  # fmt: skip

UNITS: tuple[str, ...] = ("", "", "", "Apt 2B", "Apt 4F", "Apt 1", "Unit 3", "Fl 2", "Apt 12C")

ASL = "American Sign Language (ASL)"

# Client's own words, by program kind ("hospital", "juvenile", "senior").
PREFERENCES: dict[str, tuple[str, ...]] = {
    "hospital": (
        "Call me in the morning, I sleep in the afternoon after dialysis.",
        "Text first, then call. I don't pick up numbers I don't know.",
        "I'd rather you come to the house than me go to another clinic.",
        "Talk to my wife too, she keeps track of the pills.",
        "No visits on Wednesdays, that's my day with the grandkids.",
        "Keep it short, I get tired easily since the surgery.",
    ),
    "juvenile": (
        "Text me, don't call. My mom works nights so don't come before 3.",
        "Meet me at the library, not at school where everyone sees.",
        "I don't want my coach to know about court stuff.",
        "Can we do video? The bus to your office takes an hour.",
        "Talk to me first, not my dad.",
    ),
    "senior": (
        "I'd like visits at home; the stairs at the clinic are too much.",
        "Please speak slowly and write things down for me, big letters.",
        "Mornings are best. After lunch I nap.",
        "Call my daughter before you send anything in the mail.",
        "I don't want strangers in the house every day.",
        "I want to keep seeing Dr. Haddad, I've gone to her for twenty years.",
    ),
}

VALUES: dict[str, tuple[str, ...]] = {
    "hospital": (
        "My independence. I don't want to be a burden on my daughter.",
        "Being able to work again so I can support my family.",
        "My faith. God got me through the surgery.",
        "Being home, in my own bed, with my dog.",
        "Honesty. Tell me straight what the doctors said.",
    ),
    "juvenile": (
        "My little brother looks up to me.",
        "Basketball. It's the only thing that keeps me out of trouble.",
        "My grandma raised me and I don't want to let her down.",
        "Respect. People should talk to me like I'm grown.",
        "My friends, but I know some of them aren't good for me.",
    ),
    "senior": (
        "Staying in my own apartment. I've lived here 41 years.",
        "My faith and my church friends.",
        "Not being a burden on my children.",
        "My garden and my cat, Mimi.",
        "Dignity. I want to bathe myself as long as I can.",
    ),
}

ASPIRATIONS: dict[str, tuple[str, ...]] = {
    "hospital": (
        "I want to get back to my garden by summer.",
        "Stay out of the hospital for 90 days. That's my goal.",
        "Go back to driving for the car service.",
        "Walk my daughter down the aisle in October.",
        "Be strong enough to go back to church on Sundays.",
    ),
    "juvenile": (
        "Get all A's and B's next term.",
        "Learn a job skill before summer so I can get paid.",
        "Finish 10th grade and get my learner's permit.",
        "Play JV basketball again next season.",
        "Get my record cleared and go to community college for nursing.",
    ),
    "senior": (
        "Walk to the mailbox without help.",
        "Be at my granddaughter's wedding in June.",
        "Cook my own Sunday dinner again.",
        "Keep living on my own with a little help.",
        "Visit my sister in Puerto Rico one more time.",
    ),
}

# (relationship, role, consent to share) by program kind.
SUPPORT_ROLES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "hospital": (
        ("spouse", "primary caregiver", True),
        ("partner", "primary caregiver", True),
        ("daughter", "health care proxy", True),
        ("son", "transport to appointments", True),
        ("sister", "emergency contact", True),
        ("friend", "checks in daily", False),
        ("roommate", "emergency contact", False),
    ),
    "juvenile": (
        ("mother", "legal guardian", True),
        ("father", "legal guardian", True),
        ("grandmother", "legal guardian", True),
        ("aunt", "kinship caregiver", True),
        ("older sister", "transport, homework help", True),
        ("basketball coach", "mentor", False),
        ("youth pastor", "mentor", False),
    ),
    "senior": (
        ("daughter", "primary caregiver", True),
        ("son", "health care proxy", True),
        ("neighbour", "checks in daily", True),
        ("niece", "manages bills", True),
        ("pastor", "spiritual support", False),
        ("home health aide", "personal care 4 hours a day", True),
        ("friend from the senior center", "company, rides", False),
    ),
}

PCP_NAMES: tuple[str, ...] = (
    "Dr. Amal Haddad", "Dr. Robert Chen", "Dr. Lucía Fernández", "Dr. Samuel Adeyemi",
    "Dr. Karen Goldstein", "Dr. Vikram Rao", "Dr. Hélène Baptiste", "Dr. Michael O'Connor",
)  # fmt: skip

CLINICS: tuple[str, ...] = (
    "Riverside Family Health Center", "Bronx Community Medical Group", "Ironbound Family Practice",
    "Sunset Park Health Council", "Hudson Primary Care Associates", "Liberty Internal Medicine",
)  # fmt: skip

HOSPITALS: tuple[str, ...] = (
    "St. Brendan's Medical Center", "Riverside University Hospital", "Newark Beth Memorial",
    "Queens General Hospital", "Mercy Regional Medical Center",
)  # fmt: skip

REHABS: tuple[str, ...] = (
    "Maple Grove Rehabilitation and Nursing", "Harborview Skilled Nursing Center",
    "Sunrise Subacute Rehab",
)  # fmt: skip

HOME_HEALTH: tuple[str, ...] = (
    "Visiting Nurse Service of the Hudson", "Garden State Home Health", "CareFirst Home Care",
)  # fmt: skip

SCHOOLS: tuple[str, ...] = (
    "Theodore Roosevelt High School", "Central High School", "Dr. Martin Luther King Jr. "
    "Middle School", "Barringer High School", "Kennedy Middle School", "Lincoln Academy",
)  # fmt: skip

# Outside members of care teams: who they work for, by role.
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "home health nurse": HOME_HEALTH,
    "home care agency": HOME_HEALTH,
    "community pharmacist": ("Main Street Pharmacy", "Ferry Street Drugs", "Kings Pharmacy"),
    "family court diversion officer": ("Family Court Intake Unit",),
    "family therapist": ("Bridges Family Therapy", "Families First Counseling"),
    "Area Agency on Aging": ("Area Agency on Aging, Region 3",),
}
FIRST_NAMES: tuple[str, ...] = (
    "Angela", "Brian", "Denise", "Eduardo", "Farah", "Gloria", "Ivan", "Keith", "Lourdes",
    "Monique", "Nathan", "Priya", "Rachel", "Terrence", "Valérie", "Yolanda",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Alvarez", "Bennett", "Cohen", "Dubois", "Estrada", "Fontaine", "Grant", "Huang", "Iqbal",
    "Kaplan", "Morales", "Nwosu", "Okonkwo", "Silva", "Walsh", "Yilmaz",
)  # fmt: skip
