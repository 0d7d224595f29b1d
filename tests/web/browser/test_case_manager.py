"""A case manager's day in a real browser, against a real server with the demo agency.

Each test is what a person does: sign in, find a client, screen a referral, score a PHQ-9,
walk a case through assessment, risk stratification and planning, record a discharge and
read its contact deadline, evaluate and close a case; and what must not happen: a refused
move without saying what is missing, a bad value stored, another's case opened.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from casework.rules.transitions import tcm_dates
from tests.web.browser.conftest import Session

pytestmark = pytest.mark.browser


def field(text: str) -> re.Pattern[str]:
    """A field's label exactly, with or without the required-field asterisk."""
    return re.compile(rf"^{re.escape(text)}\s*\*?$")


def submit(form: Any, name: str | re.Pattern[str]) -> None:
    form.get_by_role("button", name=name).click()
    form.page.wait_for_load_state()


def tab(person: Session, name: str) -> None:
    person.page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name=name, exact=True
    ).click()
    person.page.wait_for_load_state()


def open_drawer(form_id: str, person: Session) -> Any:
    """Forms sit in drawers (<details>); open the one holding ``form_id``."""
    drawer = person.page.locator(f"details:has(#{form_id})")
    if drawer.count() and drawer.first.get_attribute("open") is None:
        drawer.first.locator("summary").click()
    return person.page.locator(f"#{form_id}")


def test_sign_in_and_find_a_client(person: Session) -> None:
    person.go("/")
    expect(person.page).to_have_url(re.compile(r"/accounts/login/"))
    person.shot("01-sign-in")
    person.sign_in("casemanager")
    expect(person.page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(person.page.locator("table.caseload tbody tr").first).to_be_visible()
    person.shot("02-caseload")

    person.page.get_by_label("Client name").fill("smirnova")
    person.page.get_by_role("button", name="Apply").click()
    found = person.page.get_by_role("link", name="Galina Smirnova").first
    expect(found).to_be_visible()
    found.click()
    expect(person.page.get_by_role("heading", name="Galina Smirnova", level=1)).to_be_visible()
    expect(person.page.get_by_role("heading", name="Support system")).to_be_visible()
    person.shot("03-client-profile")


def test_a_referral_screened_scored_assessed_stratified_and_planned(person: Session) -> None:
    page = person.page
    person.sign_in("casemanager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New referral").click()
    page.get_by_label("Client name").fill("Wilhelmina Testcase")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No client you can see matches")).to_be_visible()
    client = open_drawer("client", person)
    client.get_by_label("Given name").fill("Wilhelmina")
    client.get_by_label("Family name").fill("Testcase")
    client.get_by_label("Date of birth").fill("1950-03-14")
    client.get_by_label("Preferred language").fill("English")
    person.shot("04-new-referral")
    submit(client, "Register the client")

    case = page.locator("#case")
    case.get_by_label("Program").select_option(label="Hospital transitions")
    case.get_by_label("Referred by").select_option(label="Hospital")
    case.get_by_label("Reason for referral").fill("Discharged after a fall; lives alone.")
    submit(case, "Open the case")
    expect(page.get_by_role("heading", name="Wilhelmina Testcase")).to_be_visible()
    case_url = page.url.rsplit("/screening/", 1)[0]

    # A refused move says what is missing, and nothing moves.
    tab(person, "Overview")
    move = page.locator("#move-assessment")
    submit(move, "Move to Assessment")
    alert = page.locator("#move-assessment .form-errors")
    expect(alert).to_contain_text("This move was refused")
    expect(alert).to_contain_text("no eligibility decision has been recorded at screening")
    expect(page.locator(".stepper li.current")).to_contain_text("Screening")
    person.shot("05-refused-move")

    # A bad value: not accepted without a reason. The message sits beside the field.
    tab(person, "Screening")
    screening = open_drawer("screening", person)
    screening.get_by_label("Not eligible", exact=True).check()
    submit(screening, "Save")
    reason = page.locator("#id_screening-reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    described = reason.get_attribute("aria-describedby") or ""
    assert "id_screening-reason_error" in described
    expect(page.locator("#id_screening-reason_error")).to_contain_text(
        "say why the referral is not accepted"
    )
    person.shot("06-error-beside-field")
    page.goto(case_url + "/screening/")
    expect(page.get_by_text("No decision yet")).to_be_visible()  # nothing was stored

    screening = open_drawer("screening", person)
    screening.get_by_label("Accepted", exact=True).check()
    screening.get_by_label("The client consents to case management").check()
    screening.get_by_label("Consent given on").fill(dt.date.today().isoformat())
    submit(screening, "Save")
    expect(page.get_by_text("The screening decision is recorded.")).to_be_visible()
    person.shot("07-screening")
    tab(person, "Overview")
    submit(page.locator("#move-assessment"), "Move to Assessment")
    expect(page.locator(".stepper li.current")).to_contain_text("Assessment")

    # A PHQ-9, scored live as the questions are answered.
    tab(person, "Instruments")
    page.get_by_role("link", name="PHQ-9 depression").click()
    answers = [1, 2, 1, 1, 0, 1, 0, 0, 0]
    for number, value in enumerate(answers, start=1):
        page.locator(f"#id_q{number}_{value}").check()
    expect(page.get_by_test_id("live-score")).to_have_text("6")
    expect(page.locator("#score")).to_contain_text("Mild")
    person.shot("08-phq9-live-score")
    page.get_by_role("button", name="Save the result").click()
    expect(page.get_by_text("PHQ-9 depression saved: score 6")).to_be_visible()
    person.shot("09-instruments")

    # Assessment: every domain the program requires, and a need.
    tab(person, "Assessment")
    for domain in ("medical/physical", "functional (ADL/IADL)", "caregiver and support system"):
        finding = open_drawer("finding", person)
        finding.get_by_label("Domain").select_option(label=domain)
        finding.get_by_label("Addressed", exact=True).check()
        finding.get_by_label("Finding").fill(f"Assessed {domain} with the client.")
        submit(finding, "Save")
    for domain in ("housing", "health literacy"):
        finding = open_drawer("finding", person)
        finding.get_by_label("Domain").select_option(label=domain)
        finding.get_by_label("Not applicable", exact=True).check()
        finding.get_by_label("Why it does not apply").fill("Reviewed: no concern.")
        submit(finding, "Save")
    need = open_drawer("need", person)
    need.get_by_label("Domain").select_option(label="medical/physical")
    need.get_by_label("Need or problem").fill("Falls at home; unsure about new medicines.")
    submit(need, "Save")
    person.shot("10-assessment")
    tab(person, "Overview")
    submit(page.locator("#move-risk_stratification"), "Move to Risk stratification")
    expect(page.locator(".stepper li.current")).to_contain_text("Risk stratification")

    tab(person, "Risk tier")
    submit(page.locator("#compute"), "Compute the tier from the program's rule")
    expect(page.get_by_text(re.compile("Computed tier:"))).to_be_visible()
    person.shot("11-risk")
    tab(person, "Overview")
    submit(page.locator("#move-planning"), "Move to Planning")
    expect(page.locator(".stepper li.current")).to_contain_text("Planning")

    tab(person, "Care plan")
    goal = open_drawer("goal", person)
    goal.get_by_label("The goal in the client's own words").fill("Walk to the mailbox alone.")
    goal.get_by_label("Measurable target").fill("Walks 50 m with a cane, no falls, 4 weeks.")
    goal.get_by_label("Short term", exact=True).check()
    goal.get_by_label("Target date").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    submit(goal, "Save")
    intervention = open_drawer("intervention", person)
    intervention.get_by_label("What will be done").fill("Home physical therapy")
    intervention.get_by_label(field("Who")).fill("Riverside Home Health PT")
    intervention.get_by_label("How often").fill("twice a week")
    intervention.get_by_label("Due to start on").fill(
        (dt.date.today() + dt.timedelta(days=7)).isoformat()
    )
    submit(intervention, "Save")
    agreement = open_drawer("agreement", person)
    agreement.get_by_label("Agrees to the plan", exact=True).check()
    submit(agreement, "Save")
    expect(page.get_by_role("cell", name="Home physical therapy")).to_be_visible()
    person.shot("12-care-plan")
    tab(person, "Overview")
    submit(page.locator("#move-implementation"), "Move to Implementation")
    expect(page.locator(".stepper li.current")).to_contain_text("Implementation")
    person.shot("13-case-overview")

    page.goto(case_url + "/plan/print/")
    expect(page.get_by_role("heading", name="My care plan")).to_be_visible()
    person.shot("14-printed-plan")


def _monitoring_case(person: Session, index: int) -> str:
    person.go("/?phase=monitoring")
    rows = person.page.locator("table.caseload tbody tr a.row-title")
    rows.nth(index).click()
    person.page.wait_for_load_state()
    return str(person.page.url.rstrip("/"))


def test_a_hospital_discharge_shows_its_contact_deadline(person: Session) -> None:
    page = person.page
    person.sign_in("casemanager")
    _monitoring_case(person, 1)
    tab(person, "Transitions")
    discharge = dt.date.today() - dt.timedelta(days=1)
    form = open_drawer("transition", person)
    form.get_by_label("From").select_option(label="Inpatient acute care hospital")
    form.get_by_label(field("To")).select_option(label="Home")
    form.get_by_label("Admitted on").fill((discharge - dt.timedelta(days=4)).isoformat())
    form.get_by_label("Discharge or move date").fill(discharge.isoformat())
    form.get_by_label(field("Receiving provider")).fill("Dr. Alvarez, primary care")
    submit(form, "Save")
    expect(page.get_by_text("The transition is recorded")).to_be_visible()
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("→ Home")))
    expected = tcm_dates(discharge)["interactive_contact_deadline"].isoformat()
    row = section.first.locator("table.deadlines tr", has_text="Interactive contact")
    expect(row.locator(".deadline-date")).to_have_text(expected)
    expect(section.first).to_contain_text("TCM eligible discharge")
    expect(section.first).to_contain_text("Medication reconciliation")
    person.shot("15-transition-deadlines")


def test_a_case_is_evaluated_and_closed(person: Session) -> None:
    page = person.page
    person.sign_in("casemanager")
    url = _monitoring_case(person, 0)
    tab(person, "Progress")
    progress = open_drawer("progress", person)
    goals = progress.get_by_label(field("Goal")).locator("option").all_text_contents()
    assert goals, "a monitoring case has active goals"
    for goal in goals:
        progress = open_drawer("progress", person)
        progress.get_by_label(field("Goal")).select_option(label=goal)
        progress.get_by_label("Improved", exact=True).check()
        progress.get_by_label("Measurement").fill("on track")
        submit(progress, "Save")
    person.shot("16-progress")
    tab(person, "Overview")
    move = page.locator("#move-evaluation")
    submit(move, "Move to Evaluation")
    expect(page.locator(".stepper li.current")).to_contain_text("Evaluation")

    tab(person, "Evaluation")
    for goal in goals:
        outcome = open_drawer("outcome", person)
        outcome.get_by_label(field("Goal")).select_option(label=goal)
        outcome.get_by_label("Met", exact=True).check()
        submit(outcome, "Save")
    decision = open_drawer("evaluation", person)
    decision.get_by_label("Close the case", exact=True).check()
    decision.get_by_label(field("Reason")).fill("All goals met; the client is managing.")
    decision.get_by_label("Client satisfaction").select_option("5")
    submit(decision, "Save")
    person.shot("17-evaluation")
    close = page.locator("#move-closed")
    close.get_by_label(field("Reason")).fill("Goals met at evaluation.")
    submit(close, "Close the case")
    expect(page.get_by_text("The case moved to Closed.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"This case was closed on .* \(Completed\)"))
    ).to_be_visible()
    page.goto(url + "/history/")
    expect(page.locator(".timeline")).to_contain_text("Evaluation → Closed")
    page.locator("#as_of").fill((dt.date.today() - dt.timedelta(days=400)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("did not exist yet")).to_be_visible()
    person.shot("18-history")


def _case_hidden_from(data_dir: Path, outsider: str) -> int:
    """A case of the case manager's that ``outsider`` has no part in (read from the SQLite
    file: which case does not matter, only that it is certainly not theirs)."""
    with sqlite3.connect(data_dir / "casework.sqlite3") as db:
        row = db.execute(
            """
            select c.id from cases_case c
            join staff_staffmember s on s.id = c.primary_case_manager_id
            join auth_user u on u.id = s.user_id
            where u.username = 'casemanager' and c.id not in (
                select t.case_id from cases_careteammember t
                join staff_staffmember o on o.id = t.staff_id
                join auth_user ou on ou.id = o.user_id where ou.username = ?)
            order by c.id limit 1
            """,
            (outsider,),
        ).fetchone()
    return int(row[0])


def test_an_outsider_cannot_open_a_case_that_is_not_theirs(
    person: Session, server_env: dict[str, str]
) -> None:
    case_id = _case_hidden_from(Path(server_env["CASEWORK_DATA_DIR"]), "dwashington")
    person.sign_in("dwashington")
    for path in (f"/cases/{case_id}/", f"/cases/{case_id}/notes/", f"/cases/{case_id}/plan/print/"):
        response = person.go(path)
        assert response.status == 404, path
    assert person.go(f"/cases/{case_id}/instruments/phq9/").status == 404


def test_supervisor_staff_and_spanish(person: Session) -> None:
    page = person.page
    person.sign_in("supervisor")
    page.get_by_role("link", name="Supervision").click()
    expect(page.get_by_role("heading", name="Caseloads by tier and phase")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    person.shot("19-supervisor")
    page.get_by_role("link", name="Reassign").first.click()
    form = page.locator("#reassign")
    form.get_by_label("New primary case manager").select_option(index=1)
    form.get_by_label("Reason").fill("Balancing caseloads.")
    submit(form, "Reassign")
    expect(page.get_by_text(re.compile(r"The case is now .*'s\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Recent reassignments")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_text(re.compile("expired"))).to_be_visible()
    person.shot("20-staff")
    page.get_by_role("link", name="Grace Okafor").click()
    expect(page.get_by_role("heading", name="Certification eligibility")).to_be_visible()
    person.shot("21-staff-credentials")

    page.get_by_label("Language").select_option("es")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Elegibilidad para certificaciones")).to_be_visible()
    page.get_by_role("link", name="Mi cartera de casos").click()
    expect(page.get_by_role("heading", name="Mi cartera de casos")).to_be_visible()
    person.shot("22-caseload-spanish")


def test_instrument_wording_follows_the_clients_language(person: Session) -> None:
    """A Spanish-speaking client gets the questions in Spanish; the page stays in English."""
    page = person.page
    person.sign_in("casemanager")
    person.go("/clients/?q=colon")
    page.get_by_role("link", name=re.compile("Rosa Col")).first.click()
    page.locator("table a[href*='/cases/']").first.click()
    tab(person, "Instruments")
    page.get_by_role("link", name="PHQ-9 depression").click()
    expect(page.get_by_text("Questions in the client's language.")).to_be_visible()
    expect(page.locator("legend").first).to_contain_text("Poco interés")
    person.shot("23-instrument-spanish-client")


def test_tablet_layout(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 820, "height": 1180}, locale="en-US")
    tablet = Session(context.new_page(), base_url)
    tablet.sign_in("casemanager")
    tablet.page.locator("table.caseload a.row-title").first.click()
    tablet.page.wait_for_load_state()
    width = tablet.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820, "nothing scrolls sideways on a tablet"
    tablet.shot("24-tablet-case")
    context.close()
