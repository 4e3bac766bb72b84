"""The audit log for people: a lock and an accounting import read in Norwegian words — the
month by name, local time, labelled fields, the unit by name, grouped kroner — and only the
fields that changed; no JSON keys, no RFC 3339 times."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import cli, cli_json, last_full_month, month_id

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember"]


def at_1280x720(app):
    """The window at 1280×720 for the screenshots the issue asks to look at (the window
    opens at 1280×800); a driver that cannot resize leaves it as it is — only the picture
    differs, no assertion depends on it."""
    try:
        app.driver.set_window_size(1280, 720)
    except WebDriverException:
        pass


def retype(field, text: str):
    """Selects all in a field and types `text` over it, as a person does (WebDriver's
    clear() fires no input event, so the page would not see the field emptied)."""
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    if text:
        field.send_keys(text)


def row_with(app, *words: str) -> str:
    """The text of the first audit row holding every word (waited for), spaces plain."""
    def read(d):
        for tr in d.find_elements(By.CSS_SELECTOR, "[data-testid=audit] [data-testid=audit-row]"):
            text = tr.text.replace("\xa0", " ")
            if all(w in text for w in words):
                return text
        return False

    return app.wait(read)


@pytest.mark.any_date
def test_the_audit_log_speaks_norwegian(open_app, demo_db: Path, tmp_path: Path):
    y, m = last_full_month()
    month = month_id()
    label = f"{MONTHS[m - 1]} {y}"
    # A leaf unit of the demo (the economy report's last row), its accounts for the month
    # replaced by one line of 1 234 567,89 kr; then the month locked — both by the CLI.
    report = cli_json(demo_db, "export", "economy", "--unit", "1000", "--period", month, "--format", "json")
    leaf = report["rows"][-1]
    accounts = tmp_path / "regnskap.csv"
    accounts.write_text(
        "ansvar;periode;art;funksjon;tekst;budsjett;regnskap;prognose\n"
        f"{leaf['code']};{month};10100;2020;Fastlønn;;1234567,89;\n",
        encoding="utf-8",
    )
    cli(demo_db, "import", "økonomi", str(accounts))
    cli(demo_db, "lock", month)

    app = open_app(demo_db)
    at_1280x720(app)
    app.wait_for_scorecard()
    app.find("[data-testid=nav-data]").click()
    app.find("[data-testid=audit]")

    lock = row_with(app, "Låst måned", label)
    assert "låst" in lock
    assert "Låst av:" in lock and "Låst:" in lock, lock
    # Local time, Norwegian order: 01.12.2026 kl. 23:02.
    assert re.search(r"\d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}", lock), lock

    economy = row_with(app, "Økonomi", f"{leaf['code']} {leaf['name']}", label)
    assert "Regnskap:" in economy and "1 234 567,89 kr" in economy, economy
    # The budget and the forecast did not change: not repeated.
    assert "Budsjett" not in economy and "Prognose" not in economy, economy

    log = app.find("[data-testid=audit]").text
    for raw in ["locked_by", "locked_at", "regnskap:", '{"', "+00:00", "+01:00"]:
        assert raw not in log, f"{raw!r} i endringsloggen"
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}", log), log
    app.show("[data-testid=audit]")
    app.screenshots("40-endringslogg")

    # The date filter reads dates as Norwegians write them. The entries were written by the
    # real clock (an audit entry's time is when it happened), so the filter takes the date
    # of the newest entry as the log shows it: from that day, it is listed; to the day
    # before, nothing is.
    newest = re.search(r"(\d{2})\.(\d{2})\.(\d{4}) kl\.", app.find("[data-testid=audit-row]").text)
    day = dt.date(int(newest[3]), int(newest[2]), int(newest[1]))
    rows = len(app.all("[data-testid=audit-row]"))
    before = day - dt.timedelta(days=1)
    app.find("[data-testid=audit-to]").send_keys(f"{before.day:02}.{before.month:02}.{before.year}")
    app.find("[data-testid=audit] button[type=submit]").click()
    app.wait_text("[data-testid=audit]", lambda t: "Ingen endringer passer til filteret." in t)
    retype(app.find("[data-testid=audit-to]"), "")
    app.find("[data-testid=audit-from]").send_keys(f"{day.day}.{day.month}.{day.year}")
    app.find("[data-testid=audit] button[type=submit]").click()
    app.wait(lambda d: len(app.all("[data-testid=audit-row]")) == rows)
    # A date written the webview's way is refused with the field named; the list stays.
    retype(app.find("[data-testid=audit-to]"), "12/02/2026")
    app.find("[data-testid=audit] button[type=submit]").click()
    app.wait_text("[data-testid=audit] [role=alert]", "Til: «12/02/2026» er ikke en dato. Skriv for eksempel 2.12.2026.")


@pytest.mark.any_date
def test_unlock_without_a_reason_says_why_nothing_happened(open_app, demo_db: Path):
    month = month_id()
    cli(demo_db, "lock", month)
    app = open_app(demo_db)
    app.wait_for_scorecard()
    app.find("[data-testid=nav-data]").click()
    row = app.find(f"[data-testid=locks] tr[data-month='{month}']")
    row.find_element(By.CSS_SELECTOR, "[data-testid=start-unlock]").click()
    app.find("[data-testid=unlock]").click()
    app.wait_text("[data-testid=unlock-reason-problem]", lambda t: t.startswith("Skriv en grunn før du låser opp"))
    # Still locked, in the window and in the database.
    assert app.all(f"[data-testid=locks] tr[data-month='{month}']")
    newest = cli_json(demo_db, "audit", "--limit", "1", "--format", "json")[0]
    assert (newest["entity"], newest["period"], newest["old"]) == ("lås", month, None), newest
    app.show("[data-testid=locks]")
    app.screenshots("41-lås-opp-uten-grunn")


@pytest.mark.any_date
def test_a_broken_database_offers_a_new_one_and_keeps_the_broken_file(open_app, tmp_path: Path):
    db = tmp_path / "malkart.db"
    junk = b"ikke en database, bare tekst der databasen skulle ligge " * 20
    db.write_bytes(junk)
    app = open_app(db)
    app.find("[data-testid=broken-database]")
    # The three ways out are offered.
    for action in ["recover-restore", "recover-open", "recover-new"]:
        app.find(f"[data-testid={action}]")
    at_1280x720(app)
    app.screenshots("42-skadet-database")
    app.find("[data-testid=recover-new]").click()
    app.find("[data-testid=recover-new-confirm]").click()
    # The app starts over on a new, empty database: the demo is offered.
    app.find("[data-testid=welcome]")
    app.wait_text("[data-testid=recovered]", lambda t: "ny, tom database" in t)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("malkart.db.skadet-")]
    assert len(kept) == 1 and kept[0].read_bytes() == junk, kept
