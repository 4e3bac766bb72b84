"""Offline edits and a conflict on two real app windows (issue 14, sharing.md §4): a
throwaway PostgreSQL cluster and the real `malkart-server`; two app processes, each with
its own data folder (its own replica) and its own tauri-driver, both unit leaders of the
same school. Both change the same sick-leave cell while the server is down; the server comes
back; the first syncs (applied), the second syncs and sees the conflict marked on the cell
and in the målkart, chooses «Behold min» in «Konflikter (1)», and the first sees the final
value after «Synkroniser nå».

The server listens on a fixed loopback port so that stopping and starting it again is the
same address for both desktops. The apps' periodic pull is set beyond the test's length
(MALKART_SYNC_SECONDS): every sync here comes from a save or from the button.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import test_sharing as sharing
from conftest import DRIVER_PORT, month_id

NBSP = "\u00a0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    if not sharing.pg_installed():
        pytest.skip("PostgreSQL (initdb, pg_ctl) er ikke installert; scripts/setup.sh installerer pakken postgresql")
    if not sharing.SERVER.exists():
        pytest.fail(f"malkart-server er ikke bygget: {sharing.SERVER} (kjør scripts/e2e.sh)")
    s = sharing.Server()
    try:
        yield s
    finally:
        s.stop()


def cell(app, col: int):
    return app.find(f"[data-testid=sl-grid] td[data-row='0'][data-col='{col}']")


def cell_number(app, col: int) -> float:
    """The figure a grid cell shows (`14` or `14,0`), as a number."""
    text = cell(app, col).find_element(By.CSS_SELECTOR, ".value").text
    return float(text.replace(NBSP, "").replace(" ", "").replace(",", "."))


def open_grid(app, month: str):
    app.find("[data-testid=nav-sickleave]").click()
    app.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=sick-leave-grid][data-unit='3100'] [data-testid=sl-grid]"))
    assert app.find("[data-testid=sick-leave-grid]").get_attribute("data-month") == month


def type_into(app, col: int, keys: list):
    cell(app, col).click()
    ActionChains(app.driver).send_keys(*keys).perform()


def save(app):
    app.find("[data-testid=sl-save]").click()
    app.wait_text("[data-testid=sl-message]", lambda t: t.startswith("Lagret 1 rad"))


def sync_now(app):
    app.find("[data-testid=sync-now]").click()


def sf_value(app) -> str:
    return app.scorecard_rows()["SF"]["value"].replace(NBSP, " ")


@pytest.mark.any_date
def test_two_leaders_edit_the_same_cell_offline_and_the_second_keeps_hers(server, tmp_path: Path, request):
    # The server on a fixed port: stopped and started again, it is the same address.
    port = free_port()
    server.config.write_text(server.config.read_text(encoding="utf-8").replace('"127.0.0.1:0"', f'"127.0.0.1:{port}"'), encoding="utf-8")
    server.add_user("ada", "administrator")
    url = server.run()
    assert url.endswith(f":{port}"), url
    batch = str(uuid.uuid4())
    ops = []
    for code, name, parent in (("1000", "Demo kommune", None), ("2000", "Oppvekst", "1000"), ("3100", "Solbakken skole", "2000")):
        for field, value in (("name", name), ("parent", parent)):
            if value is not None:
                ops.append({"op_id": str(uuid.uuid4()), "batch": batch, "entity": "units", "key": {"code": code},
                            "field": field, "base_version": None, "base_value": None, "new_value": value})
    results = server.call("POST", "/api/v1/push", server.token("ada"), {"device": "e2e", "operations": ops})["results"]
    assert [r["status"] for r in results] == ["applied"] * len(ops), results
    # Two leaders of the same school.
    server.add_user("lise", "enhetsleder", "3100")
    server.add_user("lars", "enhetsleder", "3100")

    month = month_id()
    sync_env = {"MALKART_SYNC_SECONDS": "3600"}
    drivers = [
        sharing.Driver(DRIVER_PORT + 20, {**sync_env, "XDG_DATA_HOME": str(tmp_path / "lise")}),
        sharing.Driver(DRIVER_PORT + 22, {**sync_env, "XDG_DATA_HOME": str(tmp_path / "lars")}),
    ]
    apps: list[sharing.DesktopApp] = []
    try:
        first = sharing.DesktopApp(drivers[0]).start()
        apps.append(first)
        second = sharing.DesktopApp(drivers[1]).start()
        apps.append(second)
        for app, user in ((first, "lise"), (second, "lars")):
            app.find("[data-testid=welcome]")
            app.connect(url, user, sharing.PASSWORD)
            app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=connect-dialog]"))
            app.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))

        # Lise registers the month while online: avtalte 500, egenmeldt 10, legemeldt 15,
        # ansatte 6 (no split by length). Lars pulls it.
        open_grid(first, month)
        type_into(first, 0, ["500", Keys.TAB, "10", Keys.TAB, "15", Keys.TAB, "6", Keys.ENTER])
        save(first)
        first.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=sync-waiting]"))
        first.wait_value(lambda: first.find("[data-testid=sync]").get_attribute("data-state"), "online")
        sync_now(second)
        second.wait_value(lambda: sf_value(second), "5,0 %")  # 100 × (10 + 15) / 500
        open_grid(second, month)
        second.wait_value(lambda: cell_number(second, 1), 10.0)

        # The server goes away. Both change egenmeldt: Lise to 12, Lars to 14. Each is saved
        # on the desktop and waits to be sent, marked on its cell.
        server.halt()
        type_into(first, 1, ["12", Keys.ENTER])
        save(first)
        type_into(second, 1, ["14", Keys.ENTER])
        save(second)
        for app in (first, second):
            # The words after the symbol ↑ (a symbol as well as the colour).
            app.wait_text("[data-testid=sync-waiting]", lambda t: t.endswith(" 1 endring venter på å bli sendt"))
            app.wait_value(lambda: app.find("[data-testid=sync]").get_attribute("data-state"), "offline")
            app.wait_value(lambda: cell(app, 1).get_attribute("data-mark"), "pending")
            label = cell(app, 1).find_element(By.CSS_SELECTOR, "[data-testid=cell-flag]").get_attribute("aria-label")
            assert label.startswith("Venter på å bli sendt"), label
        second.screenshots("70-venter-paa-aa-bli-sendt")

        # The server is back. Lise syncs first: her 12 is applied.
        server.run()
        sync_now(first)
        first.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=sync-waiting]"))
        first.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        assert not first.all("[data-testid=conflicts-open]")
        first.wait_value(lambda: cell(first, 1).get_attribute("data-mark"), None)

        # Lars syncs: his 14 meets Lise's 12, a conflict kept on his desktop and marked on
        # the cell, with «Konflikter (1)» in the top bar. His 14 stays in his cell.
        sync_now(second)
        second.wait_text("[data-testid=conflicts-open]", "⚠ Konflikter (1)")
        second.wait_value(lambda: cell(second, 1).get_attribute("data-mark"), "conflict")
        label = cell(second, 1).find_element(By.CSS_SELECTOR, "[data-testid=cell-flag]").get_attribute("aria-label")
        assert label.startswith("Konflikt:"), label
        assert cell_number(second, 1) == 14.0
        assert "⚠ konflikt med serveren" in second.find("[data-testid=sl-grid-legend]").text
        second.screenshots("71-konflikt-paa-cellen")

        # The målkart marks the indicators the cell is behind.
        second.find("[data-testid=nav-scorecard]").click()
        second.wait_for_scorecard(unit="3100")
        mark = second.find("[data-testid=scorecard] tr[data-indicator='SF'] [data-testid=indicator-mark]")
        assert mark.get_attribute("data-state") == "conflict"
        assert "1 konflikt i tallene bak indikatoren" in mark.text
        second.show("[data-testid=scorecard] tr[data-indicator='SF']")
        # At 1280 px the header keeps «⚠ Konflikter (1)» whole inside the window (the
        # målkart's header is the fullest: the period picker is in it too).
        size = second.driver.get_window_size()
        second.resize(1280, 720)
        right = second.driver.execute_script(
            "return document.querySelector('[data-testid=conflicts-open]').getBoundingClientRect().right")
        assert right <= 1280 - 4, right
        second.resize(size["width"], size["height"])
        second.screenshots("72-konflikt-i-maalkartet")

        # «Konflikter (1)»: the cell, the value it was edited from, his, theirs, who.
        second.find("[data-testid=conflicts-open]").click()
        second.find("[data-testid=conflicts-dialog]")
        c = second.find("[data-testid=conflict]")
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-cell]").text == f"sykefravær 3100 {month} egenmeldt"
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-base]").text == "10,0"
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-mine]").text == "14,0"
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-theirs]").text == "12,0"
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-who]").text.startswith("lise, ")
        assert c.find_element(By.CSS_SELECTOR, "[data-testid=conflict-kind]").text.endswith("Konflikt")
        # Keyboard only: the focus starts on «Behold min»; Enter chooses it.
        second.wait_value(lambda: second.driver.switch_to.active_element.get_attribute("data-testid"), "conflict-mine-button")
        second.screenshots("73-konflikter")
        ActionChains(second.driver).send_keys(Keys.ENTER).perform()
        second.wait_text("[data-testid=conflicts-said]", lambda t: t.startswith("Behold min: sykefravær 3100"))
        second.find("[data-testid=conflicts-none]")
        ActionChains(second.driver).send_keys(Keys.ESCAPE).perform()
        second.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=conflicts-dialog]"))
        # «Behold min» is a new operation on top of Lise's 12, sent by the worker at once.
        second.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=conflicts-open]"))
        second.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=sync-waiting]"))
        second.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=indicator-mark]"))
        second.wait_value(lambda: sf_value(second), "5,8 %")  # 100 × (14 + 15) / 500
        second.screenshots("74-etter-behold-min")

        # Lise sees the final value after «Synkroniser nå»: 14 in the cell, SF 5,8 %.
        first.find("[data-testid=nav-scorecard]").click()
        first.wait_for_scorecard(unit="3100")
        first.wait_value(lambda: sf_value(first), "5,4 %")  # 100 × (12 + 15) / 500
        sync_now(first)
        first.wait_value(lambda: sf_value(first), "5,8 %")
        open_grid(first, month)
        first.wait_value(lambda: cell_number(first, 1), 14.0)
        first.screenshots("75-den-forste-ser-verdien")
    except Exception:
        for n, app in enumerate(apps):
            if app.driver is not None:
                try:
                    app.screenshot(f"FEIL-{request.node.name}-{n}")
                except Exception:  # the window may be gone; the test's own error says why
                    pass
        raise
    finally:
        for app in apps:
            app.quit()
        for d in drivers:
            d.stop()


def economy_conflicts(server, tmp_path: Path, port: int, units, cells):
    """An administrator's app («bo», its own driver on `port`) connected to `server`, with
    one conflict per (unit, month) of `cells` from one imported file: ada pushes `units`
    ((code, name, parent)), the command line imports `regnskap` 1 500 kr for every cell into
    bo's replica (the file's lines 2, 3, … in `cells` order; not sent: the app syncs only on
    its own writes), ada writes 1 000 kr in the same cells on the server, and bo's
    «Synkroniser nå» brings the conflicts back. Answers the driver and the app."""
    import os
    import subprocess

    from conftest import CLI

    server.add_user("ada", "administrator")
    server.add_user("bo", "administrator")
    url = server.run()

    def push(entity: str, rows):
        batch = str(uuid.uuid4())
        ops = [{"op_id": str(uuid.uuid4()), "batch": batch, "entity": entity, "key": key, "field": field,
                "base_version": None, "base_value": None, "new_value": value} for key, field, value in rows]
        results = server.call("POST", "/api/v1/push", server.token("ada"), {"device": "e2e", "operations": ops})["results"]
        assert [r["status"] for r in results] == ["applied"] * len(ops), results

    push("units", [({"code": code}, field, value) for code, name, parent in units
                   for field, value in (("name", name), ("parent", parent)) if value is not None])
    home = tmp_path / "bo"
    driver = sharing.Driver(port, {"MALKART_SYNC_SECONDS": "3600", "XDG_DATA_HOME": str(home)})
    app = sharing.DesktopApp(driver)
    try:
        app.start()
        app.find("[data-testid=welcome]")
        app.connect(url, "bo", sharing.PASSWORD)
        app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=connect-dialog]"))
        app.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        csv = tmp_path / "regnskap-bo.csv"
        csv.write_text("ansvar;periode;regnskap\n" + "".join(f"{c};{m};1500,00\n" for c, m in cells), encoding="utf-8")
        name = url.removeprefix("http://").replace(":", "_")
        out = subprocess.run([str(CLI), "--server", name, "import", "økonomi", str(csv)],
                             env={**os.environ, "XDG_DATA_HOME": str(home), "HOME": str(home)},
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        push("economy", [({"unit": c, "month": m}, "actual", 100_000) for c, m in cells])
        app.find("[data-testid=sync-now]").click()
        app.wait_text("[data-testid=conflicts-open]", f"⚠ Konflikter ({len(cells)})", timeout=60)
    except Exception:
        if app.driver is not None:
            app.quit()
        driver.stop()
        raise
    return driver, app


@pytest.mark.any_date
def test_an_imports_conflicts_show_their_lines_and_bruk_deres_for_all_is_previewed_first(server, tmp_path: Path, request):
    """Three conflicts from one imported file: the list names each one's line, «Bruk deres
    for alle …» shows a preview of every cell (from his value to theirs) before anything is
    changed, and «Bruk deres for 3» resolves them all."""
    months = ["2026-03", "2026-04", "2026-05"]
    driver, app = economy_conflicts(server, tmp_path, DRIVER_PORT + 24,
                                    [("1000", "Demo kommune", None), ("3100", "Solbakken skole", "1000")],
                                    [("3100", m) for m in months])
    try:
        app.find("[data-testid=conflicts-open]").click()
        app.find("[data-testid=conflicts-dialog]")
        app.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=conflict]")) == 3)
        heading = app.find("[data-testid=conflict-batch] h3").text
        assert "regnskap-bo.csv" in heading and "3 konflikter" in heading, heading
        lines = [e.text for e in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=conflict-line]")]
        assert lines == ["· linje 2", "· linje 3", "· linje 4"], lines

        # «Bruk deres for alle …»: first a preview, nothing changed yet.
        app.find("[data-testid=batch-theirs]").click()
        app.find("[data-testid=batch-preview]")
        rows = [[td.text.replace(NBSP, " ") for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=preview-line]")]
        assert [r[1:] for r in rows] == [["1 500,00 kr", "1 000,00 kr"]] * 3, rows
        assert len(app.driver.find_elements(By.CSS_SELECTOR, "[data-testid=conflict]")) == 3
        app.screenshots("76-forhaandsvisning-bruk-deres-for-alle")
        confirm = app.find("[data-testid=batch-confirm]")
        assert confirm.text == "Bruk deres for 3", confirm.text
        confirm.click()
        app.find("[data-testid=conflicts-none]")
        app.find("[data-testid=conflicts-close]").click()
        app.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=conflicts-open]"))
    except Exception:
        try:
            app.screenshot(f"FEIL-{request.node.name}")
        except Exception:  # the window may be gone; the test's own error says why
            pass
        raise
    finally:
        app.quit()
        driver.stop()
