"""A målkart asked ahead (issue 17, ui/src/lib/pages.ts) on the real window: with the
pointer resting on a unit of the status grid, the click shows that unit's målkart in the same
update — the figures the command line gives for it — and a page asked before a change of the
data is never shown after it: with the masking minimum set to 0 in Rapporter, the small unit
asked ahead with its sick leave hidden shows the figure when opened.

No date is assumed: the period is the one the app opens on, and the small unit is the one
`malkart export sick-leave --format json` masks for too few employees in that period."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains

from conftest import cli_json

# Clicks the element and answers with the målkart's unit right after the click returned, in
# the same task: the unit clicked only when the page had its målkart already.
CLICK_AND_READ = """
document.querySelector(arguments[0]).click();
return document.querySelector('[data-testid=scorecard]')?.dataset.unit ?? null;
"""


def asked_ahead(app, unit: str, period: str) -> bool:
    return bool(app.driver.execute_script("return performance.getEntriesByName(arguments[0]).length", f"malkart:ahead {unit} {period}"))


def sf_value(app) -> str:
    return app.find("[data-testid=scorecard] tr[data-indicator='SF'] [data-testid=value]").text.strip()


def test_a_målkart_asked_ahead_is_shown_at_once_and_never_after_the_data_changed(open_app, demo_db: Path):
    app = open_app(demo_db)
    card = app.wait_for_scorecard()
    root = card.get_attribute("data-unit")
    month = card.get_attribute("data-period")
    report = cli_json(demo_db, "export", "sick-leave", "--unit", root, "--period", month, "--format", "json")
    rows = {r["code"]: r for r in report["rows"]}
    # The rows come in tree order with their depth: a unit's parent is the nearest row above
    # it one level up.
    at = next(i for i, r in enumerate(report["rows"]) if r["masked"] and r["mask_reason"] == "few_employees")
    small = report["rows"][at]
    parent = next(r["code"] for r in reversed(report["rows"][:at]) if r["depth"] == small["depth"] - 1)

    # The small unit's parent, then the pointer on the small unit's row in its status grid.
    app.choose_unit_by_name(rows[parent]["name"])
    app.wait_for_scorecard(unit=parent, period=month)
    row = f"[data-testid=status-grid] tr[data-unit='{small['code']}']"
    name_button = f"{row} [data-testid=status-grid-unit]"
    app.show(name_button)
    ActionChains(app.driver).move_to_element(app.find(name_button)).perform()
    app.wait(lambda _: asked_ahead(app, small["code"], month))
    shown = app.driver.execute_script(CLICK_AND_READ, name_button)
    assert shown == small["code"], "the målkart asked ahead is shown in the click's own update"
    app.wait_for_scorecard(unit=small["code"], period=month)
    # The figures are the command line's: SF hidden for too few employees.
    assert sf_value(app) == "*"
    status = cli_json(demo_db, "status", "--unit", small["code"], "--period", month, "--format", "json")
    values = app.driver.execute_script(
        "const out = {};"
        "for (const tr of document.querySelectorAll('[data-testid=scorecard] tr[data-indicator]'))"
        "  out[tr.dataset.indicator] = tr.querySelector('[data-testid=value]').textContent.replace(/\u00a0/g, ' ').trim();"
        "return out;"
    )
    for p in status["perspectives"]:
        for r in p["indicators"]:
            want = "*" if r["masked"] else (r["display"] or "–")
            assert values[r["code"]] == want, r["code"]

    # Back to the parent: the small unit's page is kept. Then masking off in Rapporter.
    app.find(f"[data-testid=breadcrumb] button[data-unit='{parent}']").click()
    app.wait_for_scorecard(unit=parent, period=month)
    app.find("[data-testid=nav-reports]").click()
    field = app.find("[data-testid=min-employees-input]")
    field.clear()
    field.send_keys("0")
    app.find("[data-testid=min-employees-save]").click()
    app.find("[data-testid=min-employees-confirm]").click()
    app.wait_text("[data-testid=mask-note]", lambda t: "slått av" in t)
    app.find("[data-testid=nav-scorecard]").click()
    app.find(name_button).click()
    app.wait_for_scorecard(unit=small["code"], period=month)
    unmasked = cli_json(demo_db, "status", "--unit", small["code"], "--period", month, "--format", "json")
    sf = next(r for p in unmasked["perspectives"] for r in p["indicators"] if r["code"] == "SF")
    assert sf["display"] is not None, "with the minimum 0 the command line shows the figure"
    app.wait_value(lambda: sf_value(app), sf["display"])
    app.screenshot("17-forhandshentet-maalkart")
