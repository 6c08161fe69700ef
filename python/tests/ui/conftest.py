"""Browser tests of the IDE: a real `tau serve` and Debian's chromium (headless, 1280x800)
driven through chromedriver by selenium. A failed test leaves a screenshot under
`screenshots/` (git-ignored)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from live_server import REPO, LiveServer  # noqa: E402

SHOTS = HERE / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:  # pragma: no cover - scripts/setup installs it
    webdriver = None


def menagerie_root() -> Path:
    shared = REPO.parent / "shared" / "menagerie"
    return shared if shared.is_dir() else REPO / ".build" / "test-menagerie"


@pytest.fixture(scope="session")
def vendor(tmp_path_factory):
    """The loopback OpenAI-format vendor: `vendor.answer([...])` sets its script."""
    folder = tmp_path_factory.mktemp("vendor")
    script, log = folder / "script.json", folder / "log.jsonl"
    script.write_text(json.dumps([{"content": json.dumps({"reply": "hello", "proposals": []})}]))
    proc = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "python"), str(REPO / "Tests" / "ServerTests" / "Fixtures" / "openai_vendor.py"), str(script), str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    base = proc.stdout.readline().strip()

    class Vendor:
        url = base
        #: One JSON line per request the vendor got: {"headers", "body"}.
        requests_log = log

        @staticmethod
        def answer(entries):
            script.write_text(json.dumps(entries))

    yield Vendor
    proc.terminate()
    proc.wait(timeout=5)


@pytest.fixture(scope="session")
def server(vendor, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ui-server")
    live = LiveServer("ours", workdir)
    extra = {
        "MENAGERIE_ROOT": str(menagerie_root()),
        "MENAGERIE_CACHE_DIR": str(workdir / "menagerie-cache"),
        "MENAGERIE_BASE_URL": "http://127.0.0.1:9/x",
        "TAU_GITHUB_API_URL": "http://127.0.0.1:9/x",
        "OPENAI_BASE_URL": vendor.url,
        "OPENAI_API_KEY": "sk-test-dummy",
        "LLM_DEFAULT_PROVIDER": "openai",
    }
    live.start(environment=extra)
    yield live
    live.stop()


#: Run at the start of every page the tests' browser loads: the first visit's welcome
#: (web/js/welcome.js) counts as answered, so it never covers what a test clicks. Only
#: `fresh_browser` (test_welcome.py) sees it.
SKIP_WELCOME = "try { localStorage.setItem('tau.welcome', 'skipped by the UI tests'); } catch (e) {}"


def make_driver(offer_welcome: bool = False):
    """A headless chromium at 1280x800 with a profile of its own (removed by `quit_driver`)."""
    if webdriver is None:
        pytest.skip("selenium is not installed (scripts/setup installs it)")
    if not CHROMIUM or not os.access(CHROMEDRIVER, os.X_OK):
        pytest.skip("chromium and chromedriver are not installed (scripts/setup installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1",
                # WebGL for the 3D view through SwiftShader (software), as no GPU is used
                "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"):
        options.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="tau-ui-chrome-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.tau_profile = profile
    driver.set_window_size(1280, 800)
    # make the page's viewport itself 1280x800 (the window's frame takes some of it)
    driver.get("about:blank")
    extra_w, extra_h = driver.execute_script("return [outerWidth - innerWidth, outerHeight - innerHeight]")
    driver.set_window_size(1280 + extra_w, 800 + extra_h)
    if not offer_welcome:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SKIP_WELCOME})
    return driver


def quit_driver(driver):
    driver.quit()
    shutil.rmtree(driver.tau_profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    driver = make_driver()
    yield driver
    quit_driver(driver)


@pytest.fixture
def fresh_browser():
    """A browser of its own that has never seen tau-sim: the welcome is offered."""
    driver = make_driver(offer_welcome=True)
    yield driver
    quit_driver(driver)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(request, browser, server):
    """The browser on a fresh start screen of `server` (its local storage cleared)."""
    browser.get(server.base + "/")
    browser.execute_script("localStorage.clear()")
    browser.get(server.base + "/#")
    browser.refresh()
    yield browser
    failed = any(getattr(getattr(request.node, f"report_{w}", None), "failed", False) for w in ("setup", "call"))
    if failed:
        SHOTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(SHOTS / f"FAILED-{request.node.name}.png"))
        try:
            logs = browser.get_log("browser")
            (SHOTS / f"FAILED-{request.node.name}.log").write_text("\n".join(str(l) for l in logs) + "\n\nserver:\n" + server.log_tail())
        except Exception:  # noqa: BLE001 - the screenshot is what matters
            pass
