"""End-to-end harness: the real Målkart window under Xvfb, driven over WebDriver.

`scripts/e2e.sh` builds the app (`tauri build --debug --no-bundle`, which embeds ui/dist)
and the `malkart` command line, then runs pytest here inside `xvfb-run`. Each test gets a
fresh app process on a temporary database; the demo database is made once per session with
`malkart --db FILE init --demo` and copied for each test that changes data.

Environment: MALKART_APP (the app binary), MALKART_CLI (the command line), TAURI_DRIVER
(the driver), MALKART_SCREENSHOTS (where screenshots go); defaults are under target/.

The clock is passed in: `MALKART_TODAY` (YYYY-MM-DD, default the real date) is what both
the app and the command line take as today, the demo runs through the last full month
before it (`init --demo --through`), and every test derives its periods from it — so the
suite passes on any date (scripts/test.sh runs it at several points of a quarter).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
APP = Path(os.environ.get("MALKART_APP", ROOT / "target" / "debug" / "malkart-app"))
CLI = Path(os.environ.get("MALKART_CLI", ROOT / "target" / "debug" / "malkart"))
DRIVER = os.environ.get("TAURI_DRIVER", shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver"))
SHOTS = Path(os.environ.get("MALKART_SCREENSHOTS", ROOT / "target" / "e2e-screenshots"))
# Two runs on one machine (parallel work) need their own ports.
DRIVER_PORT = int(os.environ.get("MALKART_DRIVER_PORT", "4444"))
NATIVE_PORT = int(os.environ.get("MALKART_NATIVE_PORT", str(DRIVER_PORT + 1)))
WAIT = 20

# Today, for the app and the command line alike (they read MALKART_TODAY).
TODAY = dt.date.fromisoformat(os.environ["MALKART_TODAY"]) if os.environ.get("MALKART_TODAY") else dt.date.today()
os.environ["MALKART_TODAY"] = TODAY.isoformat()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "any_date: what the test checks does not turn on where in a quarter today falls "
        "(layout, the audit log's words, the server with its own fixed clock, the large "
        "demo drawn); scripts/test.sh runs it at the first of its dates only "
        "(-m 'not any_date' at the others)",
    )

def last_full_month() -> tuple[int, int]:
    """The last month that has ended by TODAY: the demo's last month with figures."""
    return (TODAY.year, TODAY.month - 1) if TODAY.month > 1 else (TODAY.year - 1, 12)


def month_id(offset: int = 0) -> str:
    """The last full month, or `offset` months from it (`-1`: the month before)."""
    y, m = last_full_month()
    index = y * 12 + (m - 1) + offset
    return f"{index // 12}-{index % 12 + 1:02d}"


def quarter_of(month: str) -> str:
    y, m = int(month[:4]), int(month[5:7])
    return f"{y}-K{(m - 1) // 3 + 1}"


def months_of_quarter(quarter: str) -> list[str]:
    y, q = int(quarter[:4]), int(quarter[-1])
    return [f"{y}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]


def last_full_quarter() -> str:
    """The last quarter whose three months have all ended."""
    y, m = last_full_month()
    q = m // 3
    return f"{y}-K{q}" if q > 0 else f"{y - 1}-K4"


def last_full_tertial() -> tuple[int, int]:
    y, m = last_full_month()
    t = m // 4
    return (y, t) if t > 0 else (y - 1, 3)


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs the command line on `db`; fails the test with its stderr when it fails."""
    done = subprocess.run([str(CLI), "--db", str(db), *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"malkart {' '.join(args)} gikk galt ({done.returncode}): {done.stderr}")
    return done


def cli_json(db: Path, *args: str):
    return json.loads(cli(db, *args).stdout)


def round_half_away(value: float | Decimal, places: int) -> Decimal:
    """As the core rounds: half away from zero, on the decimal the float was written as."""
    q = Decimal(1).scaleb(-places)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    return exact.quantize(q, rounding=ROUND_HALF_UP)


def csv_lines(path: Path) -> list[str]:
    """An exported CSV's lines, after checking the BOM the spec asks for."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV skal ha BOM"
    return data[3:].decode("utf-8").splitlines()


def export_to(app, container: str, path: Path, fmt: str = "csv") -> str:
    """Exports the report in `container` to `path` by the typed-path field (WebDriver cannot
    drive the GTK save dialog); returns the message the report shows."""
    field = app.find(f"{container} [data-testid=export-path]")
    field.clear()
    field.send_keys(str(path))
    app.find(f"{container} [data-testid=export-{fmt}]").click()
    return app.find(f"{container} [data-testid=export-done]").text


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def tauri_driver():
    if not APP.exists():
        pytest.fail(f"appen er ikke bygget: {APP} (kjør scripts/e2e.sh)")
    proc = subprocess.Popen([DRIVER, "--port", str(DRIVER_PORT), "--native-port", str(NATIVE_PORT)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 15
    while not _port_open(DRIVER_PORT):
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("tauri-driver startet ikke")
        time.sleep(0.1)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    cli(db, "init", "--demo", "--through", month_id())
    return db


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    db = tmp_path / "malkart.db"
    shutil.copyfile(demo_template, db)
    return db


KEEP_PRESENTING = """
let odd = false;
window.__malkartPresenting = setInterval(() => {
  odd = !odd;
  document.body.style.outline = odd ? '1px solid transparent' : '0px solid transparent';
}, 50);
"""
STOP_PRESENTING = "clearInterval(window.__malkartPresenting); document.body.style.outline = '';"


class App:
    """One running app window on one database."""

    def __init__(self, db: Path):
        self.db = db
        self.driver = None

    def start(self) -> "App":
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP), "args": ["--db", str(self.db)]})
        self.driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{DRIVER_PORT}", options=options)
        # A typed file path is text for the app, not a file to upload to a remote browser.
        self.driver.file_detector = UselessFileDetector()
        return self

    def quit(self):
        if self.driver is not None:
            self.driver.quit()
            self.driver = None

    # -- finding things ---------------------------------------------------------------
    def wait(self, condition, timeout: float = WAIT):
        return WebDriverWait(self.driver, timeout).until(condition)

    def find(self, css: str, timeout: float = WAIT):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout)

    def wait_text(self, css: str, expected, timeout: float = WAIT) -> str:
        """Waits until the element's text equals `expected` (or, when `expected` is a
        function, until it returns true for the text); returns the text. Every read after an
        action goes through a wait like this: the window updates when it is ready."""
        test = expected if callable(expected) else (lambda text: text == expected)
        seen = []

        def ready(d):
            try:
                text = d.find_element(By.CSS_SELECTOR, css).text
            except Exception:  # not there yet, or replaced while read
                return False
            seen[:] = [text]
            return text if test(text) else False

        try:
            return self.wait(ready, timeout)
        except Exception as e:
            raise AssertionError(f"{css}: ventet på {expected!r}, så {seen[0] if seen else 'ingenting'!r}") from e

    def wait_value(self, read, expected, timeout: float = WAIT):
        """Waits until `read()` returns `expected` (stale elements and missing ones count as
        not yet); returns it. For values read from several elements at once."""
        seen = []

        def ready(_):
            try:
                value = read()
            except Exception:
                return False
            seen[:] = [value]
            return value == expected

        try:
            self.wait(ready, timeout)
        except Exception as e:
            raise AssertionError(f"ventet på {expected!r}, så {seen[0] if seen else 'ingenting'!r}") from e
        return expected

    def all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def show(self, css: str):
        """Scrolls an element into the middle of the window (for a screenshot of it)."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.find(css))

    def screenshot(self, name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        # WebKitWebDriver's screenshot waits for the page's next presentation. Without
        # accelerated compositing (the app turns it off where there is no GPU, as on these
        # machines: src-tauri/src/rendering.rs) a page that draws nothing new presents none,
        # and the screenshot would wait for ever; so while it is taken, something invisible
        # is redrawn (a transparent outline, every 50 ms).
        self.driver.execute_script(KEEP_PRESENTING)
        try:
            self.driver.save_screenshot(str(SHOTS / f"{name}.png"))
        finally:
            self.driver.execute_script(STOP_PRESENTING)

    def screenshots(self, name: str, sizes=((1280, 720), (1920, 1080))):
        """The screen at each window size the issues ask to look at (`<name>-1280x720.png`,
        `<name>-1920x1080.png`), then the window back at its size. Each picture is taken
        once the page has been laid out at that width (waited for, not slept)."""
        before = self.driver.get_window_size()
        try:
            for width, height in sizes:
                self.resize(width, height)
                self.screenshot(f"{name}-{width}x{height}")
        finally:
            self.resize(before["width"], before["height"])

    def resize(self, width: int, height: int):
        """The window at `width`×`height`, waited for until the page sees the new width."""
        self.driver.set_window_size(width, height)
        self.wait(lambda d: d.execute_script("return window.innerWidth") == width, 10)
        # Two animation frames: the layout for the new width has been painted.
        self.driver.execute_async_script(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));")

    # -- what a person does -------------------------------------------------------------
    def wait_for_scorecard(self, unit: str | None = None, period: str | None = None):
        def ready(d):
            cards = d.find_elements(By.CSS_SELECTOR, "[data-testid=scorecard]")
            if not cards:
                return False
            c = cards[0]
            return (unit is None or c.get_attribute("data-unit") == unit) and (
                period is None or c.get_attribute("data-period") == period
            )

        self.wait(ready)
        return self.find("[data-testid=scorecard]")

    def choose_unit_by_name(self, name: str, scorecard: bool = True) -> str:
        """Finds a unit in the tree's search and chooses it; waits for its målkart unless
        another view is shown (`scorecard=False`)."""
        search = self.find("[data-testid=unit-search]")
        search.clear()
        search.send_keys(name)
        item = self.wait(
            lambda d: next(
                (
                    li
                    for li in d.find_elements(By.CSS_SELECTOR, "[role=treeitem]")
                    if li.find_element(By.CSS_SELECTOR, ".name").get_attribute("textContent").strip() == name
                ),
                False,
            )
        )
        code = item.get_attribute("data-unit")
        item.click()
        if scorecard:
            self.wait_for_scorecard(unit=code)
        return code

    def choose_period_kind(self, kind: str):
        """Chooses a kind of period in the header's picker: six buttons in a wide window, a
        select below 1440 px (PeriodPicker `compactBelow`)."""

        def control(d):
            shown = [e for e in d.find_elements(By.CSS_SELECTOR, "[data-testid=period-kind]") if e.is_displayed()]
            shown += [e for e in d.find_elements(By.CSS_SELECTOR, f"[role=radio][data-kind={kind}]") if e.is_displayed()]
            return shown[0] if shown else False

        element = self.wait(control)
        if element.tag_name.lower() == "select":
            Select(element).select_by_value(kind)
        else:
            element.click()

    def scorecard_rows(self) -> dict[str, dict[str, str]]:
        rows = {}
        for tr in self.all("[data-testid=scorecard] tr[data-indicator]"):
            code = tr.get_attribute("data-indicator")
            rows[code] = {
                # The UI keeps digit groups together with no-break spaces; the CLI writes spaces.
                "value": tr.find_element(By.CSS_SELECTOR, "[data-testid=value]").text.replace("\xa0", " ").strip(),
                "status": tr.find_element(By.CSS_SELECTOR, "[data-testid=status] [data-status]").get_attribute("data-status"),
                "status_text": tr.find_element(By.CSS_SELECTOR, "[data-testid=status] .word").text.strip(),
            }
        return rows

    def open_indicator(self, code: str):
        self.find(f"[data-testid=scorecard] tr[data-indicator='{code}'] [data-testid=open-indicator]").click()
        return self.find(f"[data-testid=indicator-detail][data-indicator='{code}'] h2")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def open_app(tauri_driver, request):
    """Starts apps on databases; every app started is closed after the test, with a
    screenshot `FEIL-<test>.png` of what was on the screen when a test failed."""
    started: list[App] = []

    def start(db: Path) -> App:
        app = App(db).start()
        started.append(app)
        return app

    yield start
    for app in started:
        if getattr(request.node, "failed_call", False) and app.driver is not None:
            try:
                app.screenshot(f"FEIL-{request.node.name}")
            except Exception:  # the window may be gone; the test's own error says why
                pass
        app.quit()
