"""Sharing on two real app windows (issue 13, sharing.md §1–3): a throwaway PostgreSQL
cluster and the real `malkart-server`; two app processes, each with its own data folder
(its own replica) and its own tauri-driver; each connects with «Koble til server». A unit
leader saves a month of sick leave in one; the director, in the other, sees the new SF on
the målkart after «Synkroniser nå».

Skips only when PostgreSQL's programs are not installed (scripts/setup.sh installs them).
The server's clock is fixed (MALKART_SERVER_NOW); the apps' periodic pull is set beyond the
test's length (MALKART_SYNC_SECONDS), so what the director sees comes from the button, not
from a minute that happened to pass.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector

from conftest import APP, CLI, DRIVER, DRIVER_PORT, ROOT, App, _port_open, month_id

SERVER = Path(os.environ.get("MALKART_SERVER", CLI.parent / "malkart-server"))
PG = ROOT / "scripts" / "pg.sh"
PASSWORD = "riktig hest batteri"
NOW = "2026-11-15T10:00:00Z"
NBSP = "\u00a0"


def pg_installed() -> bool:
    """As scripts/pg.sh finds PostgreSQL: pg_config's bindir, Debian's folders, or PATH."""
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and Path(out.stdout.strip(), "initdb").exists():
            return True
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or shutil.which("initdb") is not None


class Driver:
    """A tauri-driver of its own (port, native port) whose app gets `env`: one per window,
    so that each app has its own data folder."""

    def __init__(self, port: int, env: dict[str, str]):
        self.port = port
        self.proc = subprocess.Popen(
            [DRIVER, "--port", str(port), "--native-port", str(port + 1)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 15
        while not _port_open(port):
            if time.time() > deadline or self.proc.poll() is not None:
                self.stop()
                pytest.fail(f"tauri-driver startet ikke på port {port}")
            time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class DesktopApp(App):
    """The app on its own driver, opening the database of its data folder (no `--db`): the
    way a person starts it, so a connection is remembered as it would be."""

    def __init__(self, driver: Driver):
        super().__init__(Path())
        self.port = driver.port

    def start(self) -> "DesktopApp":
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP), "args": []})
        self.driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=options)
        self.driver.file_detector = UselessFileDetector()
        return self

    def connect(self, url: str, user: str, password: str):
        self.find("[data-testid=connect-open]").click()
        self.find("[data-testid=connect-dialog]")
        self.fill(url, user, password)

    def fill(self, url: str, user: str, password: str):
        for testid, value in (("connect-url", url), ("connect-user", user), ("connect-password", password)):
            field = self.find(f"[data-testid={testid}]")
            field.clear()
            field.send_keys(value)
        # Enter submits the form.
        self.find("[data-testid=connect-password]").send_keys(Keys.ENTER)


class Server:
    """A throwaway cluster (scripts/pg.sh in a folder of its own) and `malkart-server run`."""

    def __init__(self):
        # Under /tmp, not pytest's tmp_path: as root the cluster runs as `postgres`, which
        # must reach its folder (pytest's folders are private to root).
        self.dir = Path(tempfile.mkdtemp(prefix="malkart-e2e-pg-"))
        self.proc = None
        self.log = None
        out = subprocess.run([str(PG), "start", str(self.dir)], capture_output=True, text=True)
        if out.returncode != 0:
            self.stop()
            pytest.fail(f"PostgreSQL startet ikke: {out.stderr}")
        owner = out.stdout.strip().splitlines()[-1]
        config = self.dir / "server.toml"
        config.write_text(
            'listen = "127.0.0.1:0"\n[log]\nformat = "text"\n[database]\n'
            f'url = "{owner.replace("user=postgres", "user=malkart_server")}"\n'
            f'owner_url = "{owner}"\npool_size = 4\n',
            encoding="utf-8",
        )
        self.config = config
        self.cli("init")

    def cli(self, *args: str, stdin: str = ""):
        done = subprocess.run(
            [str(SERVER), *args, "--config", str(self.config)],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, "MALKART_SERVER_NOW": NOW},
        )
        if done.returncode != 0:
            pytest.fail(f"malkart-server {' '.join(args)} gikk galt: {done.stderr}")

    def add_user(self, name: str, role: str, units: str | None = None):
        args = ["add-user", name, "--role", role] + (["--units", units] if units else [])
        self.cli(*args, stdin=PASSWORD + "\n")

    def run(self) -> str:
        self.log = open(self.dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [str(SERVER), "run", "--config", str(self.config)],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env={**os.environ, "MALKART_SERVER_NOW": NOW},
        )
        line = self.proc.stdout.readline().decode("utf-8").strip()
        prefix = "Målkart-serveren lytter på "
        if not line.startswith(prefix):
            pytest.fail(f"serveren startet ikke: {line!r}\n{(self.dir / 'server.log').read_text(errors='replace')}")
        self.url = line[len(prefix):]
        return self.url

    def call(self, method: str, path: str, token: str | None = None, body=None):
        request = urllib.request.Request(self.url + path, method=method, data=None if body is None else json.dumps(body).encode())
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=20) as response:
            return json.loads(response.read() or b"null")

    def token(self, user: str) -> str:
        return self.call("POST", "/api/v1/login", body={"user": user, "password": PASSWORD, "device": "e2e"})["token"]

    def halt(self):
        """Stops the server process (the cluster keeps running): the desktops are offline."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.log is not None:
            self.log.close()
        subprocess.run([str(PG), "stop", str(self.dir)], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def sf_value(app) -> str:
    return app.scorecard_rows()["SF"]["value"].replace(NBSP, " ")


def title(app) -> str:
    return app.find("[data-testid=scorecard-title]").text


def choose_unit(app, name: str):
    """Chooses a unit in the tree by its name and waits for its målkart's title (a month
    without figures has a title and no scorecard table)."""
    search = app.find("[data-testid=unit-search]")
    search.clear()
    search.send_keys(name)
    app.wait(
        lambda d: next(
            (li for li in d.find_elements(By.CSS_SELECTOR, "[role=treeitem]")
             if li.find_element(By.CSS_SELECTOR, ".name").get_attribute("textContent").strip() == name),
            False,
        )
    ).click()
    app.wait_value(lambda: title(app), name)


def header_fits(app) -> list[str]:
    """The header's controls that reach past the window's right edge, and its height when it
    is more than one row (3,5 rem of 15 px = 52,5 px); empty when it fits."""
    return app.driver.execute_script(
        """
        const header = document.querySelector('[data-testid=app-header]');
        const out = [...header.querySelectorAll('button, select')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map(e => e.textContent.trim());
        const h = header.getBoundingClientRect().height;
        if (h > 54) out.push('høyde ' + h);
        return out;
        """
    )


@pytest.fixture
def server():
    if not pg_installed():
        pytest.skip("PostgreSQL (initdb, pg_ctl) er ikke installert; scripts/setup.sh installerer pakken postgresql")
    if not SERVER.exists():
        pytest.fail(f"malkart-server er ikke bygget: {SERVER} (kjør scripts/e2e.sh)")
    s = Server()
    try:
        yield s
    finally:
        s.stop()


@pytest.mark.any_date
def test_a_leaders_sick_leave_reaches_the_directors_malkart_through_the_server(server, tmp_path: Path, request):
    # The municipality on the server: 1000 > 2000 > 3100, put there by its administrator
    # through the push API (each unit's name and parent are cells of their own).
    server.add_user("ada", "administrator")
    url = server.run()
    units = [("1000", "Demo kommune", None), ("2000", "Oppvekst", "1000"), ("3100", "Solbakken skole", "2000")]
    batch = str(uuid.uuid4())
    ops = []
    for code, name, parent in units:
        for field, value in (("name", name), ("parent", parent)):
            if value is not None:
                ops.append({"op_id": str(uuid.uuid4()), "batch": batch, "entity": "units", "key": {"code": code},
                            "field": field, "base_version": None, "base_value": None, "new_value": value})
    results = server.call("POST", "/api/v1/push", server.token("ada"), {"device": "e2e", "operations": ops})["results"]
    assert [r["status"] for r in results] == ["applied"] * len(ops), results
    # The leader of 3100 (a unit must exist to be given), and the director, a `leser` of
    # the whole municipality: her replica holds the masked sick-leave summary, no raw rows.
    server.add_user("lise", "enhetsleder", "3100")
    server.add_user("dina", "leser", "1000")

    month = month_id()
    sync_env = {"MALKART_SYNC_SECONDS": "3600"}
    drivers = [
        Driver(DRIVER_PORT + 10, {**sync_env, "XDG_DATA_HOME": str(tmp_path / "leder")}),
        Driver(DRIVER_PORT + 12, {**sync_env, "XDG_DATA_HOME": str(tmp_path / "direktor")}),
    ]
    apps: list[DesktopApp] = []
    try:
        leader = DesktopApp(drivers[0]).start()
        apps.append(leader)
        director = DesktopApp(drivers[1]).start()
        apps.append(director)

        # The leader's first start: an empty local database, and «Koble til server».
        leader.find("[data-testid=welcome]")
        leader.connect(url, "lise", "feil passord")
        message = leader.wait_text("[data-testid=connect-error]", lambda t: t != "")
        assert message.startswith("Serveren avviste innloggingen") and "passord" in message, message
        leader.screenshots("60-koble-til-server-feil")
        # Esc closes the dialog; nothing changed.
        ActionChains(leader.driver).send_keys(Keys.ESCAPE).perform()
        leader.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=connect-dialog]"))
        leader.find("[data-testid=welcome]")
        leader.connect(url, "lise", PASSWORD)
        leader.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=connect-dialog]"))
        leader.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        # Her replica holds her own subtree: the school, and nothing registered yet.
        leader.wait_value(lambda: title(leader), "Solbakken skole")

        director.find("[data-testid=welcome]")
        director.connect(url, "dina", PASSWORD)
        director.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        director.wait_value(lambda: title(director), "Demo kommune")
        choose_unit(director, "Solbakken skole")
        # Nothing registered for the month yet: no figures to show.
        director.find("[data-testid=nothing-yet]")

        # The leader registers the month: avtalte 500, egenmeldt 10, legemeldt 15, ansatte 6
        # (at least the masking minimum of 5), split 10 + 8 + 5 + 2 = 25 = 10 + 15.
        leader.find("[data-testid=nav-sickleave]").click()
        leader.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=sick-leave-grid][data-unit='3100'] [data-testid=sl-grid]"))
        assert leader.find("[data-testid=sick-leave-grid]").get_attribute("data-month") == month
        leader.find("[data-testid=sl-grid] td[data-row='0'][data-col='0']").click()
        keys = ["500", Keys.TAB, "10", Keys.TAB, "15", Keys.TAB, "6", Keys.TAB, "10", Keys.TAB, "8", Keys.TAB, "5", Keys.TAB, "2", Keys.ENTER]
        ActionChains(leader.driver).send_keys(*keys).perform()
        leader.find("[data-testid=sl-save]").click()
        leader.wait_text("[data-testid=sl-message]", lambda t: t.startswith("Lagret 1 rad"))
        # The save kicked the worker: pushed at once, nothing left waiting.
        leader.wait_value(lambda: leader.find("[data-testid=sync]").get_attribute("data-state"), "online")
        leader.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=sync-waiting]"))
        leader.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        leader.screenshots("61-synklinje-leder")

        # The director's window has not pulled since it connected (the period is an hour):
        # still nothing for the month until «Synkroniser nå».
        assert director.all("[data-testid=nothing-yet]"), "no pull before the button"
        director.find("[data-testid=sync-now]").click()
        # SF = 100 × (10 + 15) / 500 = 5,0 %
        director.wait_value(lambda: sf_value(director), "5,0 %")
        director.wait_text("[data-testid=sync-line]", lambda t: t.startswith("Sist synkronisert "))
        director.show("[data-testid=scorecard] tr[data-indicator='SF']")
        director.screenshots("62-direktor-sf-etter-synkronisering")
        # The header keeps one row with the sync line, every control inside the window,
        # down to the 1024 px the layout is made for.
        for width in (1920, 1280, 1024):
            director.resize(width, 720)
            assert header_fits(director) == [], width
        director.resize(1280, 720)

        # The dialog while connected: who, and the way back to the local file.
        director.find("[data-testid=server-open]").click()
        director.wait_text("[data-testid=connect-current]", lambda t: "dina" in t)
        director.screenshots("63-koble-til-server-tilkoblet")
        ActionChains(director.driver).send_keys(Keys.ESCAPE).perform()
        director.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=connect-dialog]"))

        # The server gone: «Frakoblet — viser data fra …», and the replica still reads.
        synced = director.find("[data-testid=sync-line]").text.removeprefix("Sist synkronisert ")
        server.halt()
        director.find("[data-testid=sync-now]").click()
        director.wait_text("[data-testid=sync-line]", f"Frakoblet — viser data fra {synced}")
        assert director.find("[data-testid=sync]").get_attribute("data-state") == "offline"
        assert sf_value(director) == "5,0 %"
        director.screenshots("64-frakoblet")
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
