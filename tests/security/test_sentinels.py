"""AUTHZ-05/06: labelled records never leak through a read path to someone who may not read them.

The sensitive seed puts a unique sentinel string in every labelled record: psychotherapy and SUD
counselling notes, a finding labelled as a psychotherapy note and an instrument result labelled
as a SUD counselling note (author-only: only their author may read them, a colleague on the
same team and case included), a Part 2 note and a Part 2 instrument result of a client with a
TPO consent, and a juvenile-justice note in another program. Then every read path of the
inventory — every GET operation of the API and every web page (lists, search, caseload and
supervision dashboards, each case tab, each instrument page, the printed plan, the audit trail
and its export), with the seeded ids, for the case in scope and the one outside — is called as
each person, and:

- no sentinel of a record the person may not read appears in any body or header;
- lists of the labelled records count only what the person may read;
- a search for a sentinel, through every search parameter of the API and every search form of
  the web, answers as a search for text that no record holds;
- the sentinels the person may read do appear on the record's own routes (so the walk does
  reach the records, and a leak would be seen).

The access matrix grants no permission per label: a Part 2 or juvenile-justice record is read
by whoever may read its case, so for those "may not read" means outside the case's scope (the
auditor, the administrator, another program's case manager).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client as HttpClient
from django.utils import timezone

from casework.api import api as ninja_api
from casework.cases.models import AssessmentFinding, CareTeamMember, ContactNote
from casework.core import clock
from casework.instruments.models import InstrumentAdministration
from casework.instruments.services import administer
from casework.web.workspace import TABS
from tests.api.test_bad_input import assert_problem
from tests.api.test_privacy import consent_body
from tests.conftest import api_for
from tests.security import test_access_matrix
from tests.security.test_access_matrix import (
    API,
    Agency,
    _browser,
    _concrete,
    _person,
    _reachable_pages,
    api_operations,
    web_pages,
)
from tests.web.test_views import post

# The fixture the seed builds on.
agency = test_access_matrix.agency

# One per labelled record; each occurs nowhere else in the seed.
PSY, SUD, FND, RES, P2, INS, JUV = (
    "SENTINEL-PSY-7f3a", "SENTINEL-SUD-2b9c", "SENTINEL-FND-5d1e", "SENTINEL-RES-6c7d",
    "SENTINEL-P2-8c4d", "SENTINEL-INS-9a0b", "SENTINEL-JUV-3e6f",
)  # fmt: skip
ALL = frozenset({PSY, SUD, FND, RES, P2, INS, JUV})
AUTHOR_ONLY = frozenset({PSY, SUD, FND, RES})
# The same shape as a sentinel, in no record: what a search that finds nothing answers.
DECOY = "SENTINEL-NUL-0000"
INSTRUMENT = "audit_c"


@dataclass
class Seed:
    agency: Agency
    author: Any  # the case manager who wrote the author-only records
    colleague: Any  # same supervisor, on the case's care team
    stranger: Any  # another program's case manager, author of the juvenile record
    records: dict[str, tuple[type[Model], int]]  # sentinel -> (model, pk)
    consent_id: int

    def ids(self, model: type[Model], sentinels: frozenset[str]) -> set[int]:
        return {pk for s, (m, pk) in self.records.items() if m is model and s in sentinels}


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # The seed signs no one in with a password: hashing them slowly only costs time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seed(agency: Agency) -> Seed:
    author = agency.people["case_manager"]
    stranger = get_user_model().objects.get(username="xavier_other")
    colleague = _person("tom_team", "case_manager", supervisor=agency.people["supervisor"].staff)
    CareTeamMember.objects.create(case=agency.case, staff=colleague.staff, role="co-manager")
    now, today = clock.now(), clock.today()

    def note(case: Any, by: Any, label: str, text: str) -> tuple[type[Model], int]:
        row = ContactNote.objects.create(
            case=case, occurred_at=now, mode="in_person", author=by, sensitivity=label,
            assessment=f"{text} discussed", plan=f"next session ({text})",
        )  # fmt: skip
        return ContactNote, row.pk

    finding = AssessmentFinding.objects.create(
        case=agency.case, domain="behavioral_health", status="addressed", finding=FND,
        assessed_on=today, assessed_by=author, sensitivity="psychotherapy_note",
    )  # fmt: skip

    def result(label: str, text: str) -> tuple[type[Model], int]:
        given = administer(
            actor=author, case=agency.case, instrument_key=INSTRUMENT,
            answers={"q1": 2, "q2": 1, "q3": 0, "sex": "female"}, administered_on=today,
        )  # fmt: skip
        # Put where the pages show a result: its band (no other text of a result is free).
        InstrumentAdministration.objects.filter(pk=given.pk).update(band=text, sensitivity=label)
        return InstrumentAdministration, given.pk

    records = {
        PSY: note(agency.case, author, "psychotherapy_note", PSY),
        SUD: note(agency.case, author, "sud_counseling_note", SUD),
        P2: note(agency.case, author, "part2_sud", P2),
        JUV: note(agency.other_case, stranger, "juvenile_justice", JUV),
        FND: (AssessmentFinding, finding.pk),
        RES: result("sud_counseling_note", RES),
        INS: result("part2_sud", INS),
    }
    tpo = consent_body(purposes=["treatment"], categories=["general", "part2_sud"])
    consent = api_for(author).create(f"/clients/{agency.client.pk}/consents", tpo)
    assert consent.status_code == 201, consent.content
    return Seed(agency, author, colleague, stranger, records, consent.json()["id"])


# The read paths ---------------------------------------------------------------------------


def _fillings(seed: Seed) -> Iterator[tuple[Agency, bool]]:
    """The agency with each seeded record in turn as the record of its kind, for the case in
    scope and (``elsewhere``) the other program's case."""
    plurals = {ContactNote: "notes", AssessmentFinding: "findings"}
    for model, pk in seed.records.values():
        if model in plurals:
            ids = {**seed.agency.ids, plurals[model]: pk}
            yield dataclasses.replace(seed.agency, ids=ids), False
    yield seed.agency, False
    yield seed.agency, True


def api_reads(seed: Seed) -> list[str]:
    urls: set[str] = set()
    for method, path in api_operations():
        if method != "GET":
            continue
        for filled, elsewhere in _fillings(seed):
            urls.add(API + _concrete(path, filled, elsewhere=elsewhere))
    return sorted(urls)


def web_reads(seed: Seed) -> list[str]:
    reachable = {name for name, _ in _reachable_pages(seed.agency)}
    urls: set[str] = set()
    for name, route in web_pages():
        if name not in reachable:
            continue
        tabs = list(TABS) if "<slug:tab>" in route else [""]
        keys = [INSTRUMENT, "phq9"] if "<slug:key>" in route else [""]
        for tab in tabs:
            for key in keys:
                expanded = route.replace("<slug:tab>", tab).replace("<slug:key>", key)
                for filled, elsewhere in _fillings(seed):
                    urls.add("/" + _concrete(expanded, filled, elsewhere=elsewhere))
    return sorted(urls)


def _text(response: Any) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    streamed = getattr(response, "streaming", False)
    body = b"".join(response.streaming_content) if streamed else response.content
    return headers + "\n\n" + body.decode(errors="replace")


@dataclass
class Walk:
    caller: Any  # tests.conftest.Api
    browser: HttpClient
    answers: dict[str, tuple[int, str]]  # url -> (status, headers and body)

    def get(self, url: str) -> Any:
        if url.startswith(API):
            return self.caller.http.get(url, HTTP_AUTHORIZATION=f"Bearer {self.caller.token}")
        return self.browser.get(url)

    def shown(self, url: str) -> set[str]:
        # Regardless of case: a page may show a value through a filter that capitalises it.
        folded = self.answers[url][1].casefold()
        return {s for s in ALL if s.casefold() in folded}

    def leaks(self, hidden: frozenset[str]) -> list[str]:
        found = ((url, self.answers[url][0], self.shown(url) & hidden) for url in self.answers)
        return [f"{url} ({status}): {sorted(hit)}" for url, status, hit in found if hit]

    def body(self, url: str) -> str:
        return self.answers[url][1].split("\n\n", 1)[1]


def walk(urls: list[str], user: Any) -> Walk:
    found = Walk(api_for(user), _browser(user), {})
    for url in urls:
        response = found.get(url)
        found.answers[url] = (response.status_code, _text(response))
    return found


# Counts --------------------------------------------------------------------------------------

# The API's lists of labelled records, and what of the seed each lists.
LISTS: dict[str, tuple[type[Model], str]] = {
    "/cases/{case_id}/notes": (ContactNote, "case"),
    "/cases/{case_id}/findings": (AssessmentFinding, "case"),
    "/cases/{case_id}/instruments": (InstrumentAdministration, "case"),
    "/clients/{client_id}/instrument-results": (InstrumentAdministration, "client"),
}


def wrong_counts(seed: Seed, found: Walk, hidden: frozenset[str]) -> list[str]:
    wrong = []
    for elsewhere in (False, True):
        case = seed.agency.other_case if elsewhere else seed.agency.case
        for path, (model, parent) in LISTS.items():
            url = API + _concrete(path, seed.agency, elsewhere=elsewhere)
            if found.answers[url][0] != 200:
                continue
            page = json.loads(found.body(url))
            owner = case if parent == "case" else case.client
            rows = model._default_manager.filter(**{parent: owner})
            expected = rows.exclude(pk__in=seed.ids(model, hidden)).count()
            listed = {item["id"] for item in page["items"]}
            if page["count"] != expected or listed & seed.ids(model, hidden):
                wrong.append(f"{url}: count {page['count']}, expected {expected}")
        notes = f"/cases/{case.pk}/notes/"
        if found.answers[notes][0] == 200:
            shown = found.body(notes).count('<article class="note"')
            rows = ContactNote.objects.filter(case=case)
            expected = rows.exclude(pk__in=seed.ids(ContactNote, hidden)).count()
            if shown != expected:
                wrong.append(f"{notes}: {shown} notes shown, expected {expected}")
    return wrong


# Searches ------------------------------------------------------------------------------------


class _SearchForms(HTMLParser):
    """The free-text fields of a page's GET forms (the search and filter boxes)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: set[tuple[str, str]] = set()  # (form action, field name)
        self._action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            get = (a.get("method") or "get").lower() == "get"
            self._action = (a.get("action") or "") if get else None
        elif tag == "input" and self._action is not None and a.get("name"):
            if (a.get("type") or "text") in ("text", "search"):
                self.fields.add((self._action, str(a["name"])))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None


def api_searches(seed: Seed) -> set[tuple[str, str]]:
    """(URL, parameter) of every free-text query parameter of the API's reads."""
    found: set[tuple[str, str]] = set()
    for path, operations in ninja_api.get_openapi_schema()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            free_text = [
                option for option in schema.get("anyOf", [schema])
                if option.get("type") == "string" and not {"enum", "format"} & set(option)
            ]  # fmt: skip
            if parameter["in"] == "query" and free_text:
                url = API + _concrete(path.removeprefix(API), seed.agency)
                found.add((url, parameter["name"]))
    return found


def web_searches(found: Walk) -> set[tuple[str, str]]:
    """(URL, field) of the free-text fields of the search forms on the pages shown."""
    fields: set[tuple[str, str]] = set()
    for url, (status, text) in found.answers.items():
        if status == 200 and not url.startswith(API) and "text/html" in text.split("\n\n")[0]:
            forms = _SearchForms()
            forms.feed(found.body(url))
            fields |= {(action or url, name) for action, name in forms.fields}
    return fields


# What differs between two answers to the same request: the form token and script nonces.
_PER_ANSWER = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _as_decoy(answer: Any, searched: str) -> Any:
    """The answer's body with the searched text written as the decoy, in a comparable form."""
    body = answer.content.decode().replace(searched, DECOY)
    if answer["Content-Type"].startswith("application/"):
        return json.loads(body) if "json" in answer["Content-Type"] else body
    return _PER_ANSWER.sub(r'\1=""', body)


def search_differences(
    found: Walk, hidden: frozenset[str], wanted: list[tuple[str, str]]
) -> list[str]:
    """A search for a sentinel must answer exactly as a search for text no record holds (the
    search text echoed in its place): the same records, the same count, the same page."""
    # One text per person: the most telling they may not read.
    texts = [s for s in (PSY, P2, JUV, SUD, FND, RES, INS) if s in hidden][:1]
    wrong = []
    for url, name in wanted:
        decoy = found.get(f"{url}?{urlencode({name: DECOY})}")
        for sentinel in texts:
            answer = found.get(f"{url}?{urlencode({name: sentinel})}")
            same = answer.status_code == decoy.status_code and (
                _as_decoy(answer, sentinel) == _as_decoy(decoy, DECOY)
            )
            if not same:
                wrong.append(f"{url}?{name}={sentinel}: {answer.status_code}")
    return wrong


# The walk as each person ---------------------------------------------------------------------


def own_routes(seed: Seed) -> dict[str, list[str]]:
    """Where each labelled record is shown to those who may read it."""
    case, other = seed.agency.case.pk, seed.agency.other_case.pk
    note, finding = (f"{API}/notes/{{}}", f"{API}/findings/{{}}")
    return {
        PSY: [note.format(seed.records[PSY][1]), f"/cases/{case}/notes/"],
        SUD: [note.format(seed.records[SUD][1]), f"/cases/{case}/notes/"],
        P2: [note.format(seed.records[P2][1]), f"/cases/{case}/notes/"],
        FND: [finding.format(seed.records[FND][1]), f"/cases/{case}/assessment/"],
        RES: [f"{API}/cases/{case}/instruments", f"/cases/{case}/instruments/"],
        INS: [f"{API}/cases/{case}/instruments", f"/cases/{case}/instruments/"],
        JUV: [note.format(seed.records[JUV][1]), f"/cases/{other}/notes/"],
    }


@dataclass
class Paths:
    """The read paths and the API's search parameters, collected once for every walk."""

    reads: list[str]
    searches: set[tuple[str, str]]


def problems_of(
    seed: Seed, paths: Paths, who: str, user: Any, may_read: frozenset[str]
) -> list[str]:
    hidden = ALL - may_read
    found = walk(paths.reads, user)
    problems = found.leaks(hidden)
    # The controls: what this person may read, its own routes show them (so the walk does
    # reach the records, and a leak would be seen).
    for sentinel in sorted(may_read):
        for url in own_routes(seed)[sentinel]:
            if sentinel not in found.shown(url):
                problems.append(f"{url} ({found.answers[url][0]}): lacks {sentinel}")
    problems += wrong_counts(seed, found, hidden)
    wanted = sorted(paths.searches | web_searches(found))
    # The searches are found: the API's client search, and the page's where it is shown.
    if (f"{API}/clients", "q") not in wanted:
        problems.append("the API's search parameter was not found")
    if found.answers["/clients/"][0] == 200 and ("/clients/", "q") not in wanted:
        problems.append("the search form of /clients/ was not found")
    problems += search_differences(found, hidden, wanted)
    return [f"{who}: {p}" for p in problems]


def test_no_read_path_shows_a_labelled_record_to_someone_who_may_not_read_it(
    seed: Seed,
) -> None:
    """One walk per person, in one test (the seed is built once). The auditor walks last, so
    the trail they read holds every read and search of the others, sentinels in the query
    strings included."""
    people = seed.agency.people
    case_scope = frozenset({P2, INS})
    paths = Paths(api_reads(seed) + web_reads(seed), api_searches(seed))
    problems = []
    for who, user, may_read in (
        ("author", seed.author, ALL - {JUV}),
        ("colleague", seed.colleague, case_scope),
        ("supervisor", people["supervisor"], case_scope),
        ("program_manager", people["program_manager"], case_scope),
        # The referral is still being screened: the intake worker's scope.
        ("intake_worker", people["intake_worker"], case_scope),
        ("stranger", seed.stranger, frozenset({JUV})),
        ("administrator", people["administrator"], frozenset()),
        ("auditor", people["auditor"], frozenset()),
    ):
        problems += problems_of(seed, paths, who, user, may_read)
    assert problems == [], "\n".join(problems)


# Error texts, redirects and disclosures ----------------------------------------------------


def _stored(seed: Seed) -> dict[str, Any]:
    return {
        s: m._default_manager.filter(pk=pk).values().get() for s, (m, pk) in seed.records.items()
    }


def _named(answer: Any) -> set[str]:
    folded = _text(answer).casefold()
    return {s for s in ALL if s.casefold() in folded}


def test_refusals_about_a_hidden_record_name_nothing_of_it(seed: Seed) -> None:
    """AUTHZ-06: a same-team colleague asking for, editing or amending an author-only record
    is told there is no such record, in words that hold none of it, and nothing changes."""
    colleague = api_for(seed.colleague)
    web = _browser(seed.colleague)
    case, client = seed.agency.case.pk, seed.agency.client.pk
    before = _stored(seed)
    answers = []
    for sentinel in sorted(AUTHOR_ONLY - {RES}):  # a result has no route of its own
        model, pk = seed.records[sentinel]
        plural, tab, form = (
            ("notes", "notes", "note_edit") if model is ContactNote
            else ("findings", "assessment", "finding_edit")
        )  # fmt: skip
        amendment = {
            "received_on": clock.today().isoformat(), "information": "a note",
            "requested_change": "strike it", "record_type": plural, "record_id": pk,
        }  # fmt: skip
        read = colleague.get(f"/{plural}/{pk}")
        edit = colleague.patch(f"/{plural}/{pk}", {"plan": "x"} if plural == "notes" else {
            "barriers": "x"}, headers={"If-Match": f'"{pk}-1"'})  # fmt: skip
        amend = colleague.create(f"/clients/{client}/amendments", amendment)
        page = post(web, f"/cases/{case}/{tab}/", form, str(pk), plan="x", barriers="x")
        assert_problem(read, 404, "id")
        assert_problem(edit, 404, "id")
        assert_problem(amend, 422, "record_id")
        assert page.status_code == 404
        answers += [read, edit, amend, page]
    assert [_named(a) for a in answers] == [set()] * len(answers)
    assert _stored(seed) == before


def test_no_redirect_or_location_carries_a_sentinel(seed: Seed) -> None:
    """Saving labelled text sends the browser on, and the API names the new record, by id:
    the text never travels in a URL (where logs and Referer headers would keep it)."""
    case = seed.agency.case.pk
    when = timezone.localtime(clock.now()).strftime("%Y-%m-%dT%H:%M")
    text = "SENTINEL-LOC-4d2a"
    saved = post(
        _browser(seed.author), f"/cases/{case}/notes/", "note", occurred_at=when, mode="phone",
        duration_minutes="5", contact_made="on", format="soap", subjective=text,
        sensitivity="psychotherapy_note",
    )  # fmt: skip
    assert saved.status_code == 302, saved.content.decode()[:2000]
    created = api_for(seed.author).create(f"/cases/{case}/notes", {
        "occurred_at": clock.now().isoformat(), "mode": "phone", "plan": text,
        "sensitivity": "psychotherapy_note",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    assert ContactNote.objects.filter(subjective=text).count() == 1
    for answer in (saved, created):
        assert text not in "\n".join(f"{k}: {v}" for k, v in answer.items())


def test_a_tpo_consent_does_not_release_psychotherapy_notes(seed: Seed) -> None:
    """AUTHZ-06: the client's TPO consent covers Part 2 data; a psychotherapy or SUD
    counselling note needs a consent that names it (409 naming ``consent``)."""
    author = api_for(seed.author)
    client = seed.agency.client.pk
    share = {
        "recipient_name": "Harbor Clinic", "recipient_kind": "organisation",
        "purpose": "treatment", "data_description": "treatment summary",
    }  # fmt: skip
    for label in ("psychotherapy_note", "sud_counseling_note"):
        refused = author.create(f"/clients/{client}/disclosures", {**share, "categories": [label]})
        assert_problem(refused, 409, "consent")
        assert not _named(refused)
    done = author.create(f"/clients/{client}/disclosures", {**share, "categories": ["part2_sud"]})
    assert done.status_code == 201, done.content
    assert done.json()["consent"] == seed.consent_id
