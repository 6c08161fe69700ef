"""A Menagerie robot that is not here is downloaded with its progress shown until the
project opens: a real `tau serve` whose downloads come from a loopback server of release
archives (`Tests/ServerTests/Fixtures/menagerie_archives.py`, slowed to be watched), in a
real headless chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from test_ide import LONG, current_project, editor_value, wait

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from live_server import REPO, LiveServer  # noqa: E402

FIXTURES = REPO / "Tests" / "ServerTests" / "Fixtures"


def menagerie_checkout() -> Path:
    shared = REPO.parent / "shared" / "menagerie"
    return shared if shared.is_dir() else REPO / ".build" / "test-menagerie"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    """A tau serve with no local Menagerie, downloading from the slowed archive server."""
    folder = tmp_path_factory.mktemp("downloads")
    archives = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "python"), str(FIXTURES / "menagerie_archives.py"), str(menagerie_checkout()), str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
        env={**os.environ, "TAU_FIXTURE_CHUNK_DELAY_MS": "40"})
    base = archives.stdout.readline().strip()
    empty = folder / "no-local-menagerie"
    empty.mkdir()
    live = LiveServer("ours", folder / "server")
    extra = {
        "MENAGERIE_ROOT": str(empty), "MENAGERIE_CACHE_DIR": str(folder / "cache"),
        "MENAGERIE_BASE_URL": base, "TAU_MENAGERIE_REGISTRY": str(folder / "registry.json"),
        "TAU_GITHUB_API_URL": "http://127.0.0.1:9/x", "HOME": str(folder),
    }
    live.start(environment=extra)
    yield live
    live.stop()
    archives.terminate()
    archives.wait(timeout=5)


def test_a_download_shows_its_progress_until_the_project_opens(browser, downloads):
    driver = browser
    driver.get(downloads.base + "/#")
    robot = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "article.robot[data-robot=wonik_allegro]"), LONG, "the catalog does not list the robot")[0]
    assert "download" in robot.text  # not offline: it will be downloaded
    robot.find_element(By.XPATH, ".//button[normalize-space()='Import']").click()
    seen = []

    def progressing(d):
        for bar in d.find_elements(By.CSS_SELECTOR, "#notices progress"):
            value, top = float(bar.get_attribute("value") or 0), float(bar.get_attribute("max") or 1)
            label = bar.find_element(By.XPATH, "./preceding-sibling::span[1]").text
            if 0 < value < top and "Downloading wonik_allegro" in label and " of " in label:
                seen.append((value, top, label))
                return True
        return False

    wait(driver, progressing, LONG, "no download progress was shown")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.screen") == "ide", LONG, "the imported project did not open")
    assert "Downloading wonik_allegro" in seen[0][2]
    assert current_project(driver)
    wait(driver, lambda d: "xml_path" in editor_value(d), LONG, "the robot's env.py did not open")
    assert not driver.find_elements(By.CSS_SELECTOR, "#notices progress")
