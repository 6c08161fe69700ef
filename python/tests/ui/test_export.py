"""A recorded run's MP4 export shows its progress and saves the video: a real headless
chromium against a real `tau serve`."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By

from test_ide import LONG, click, new_project, open_project, wait


def test_an_mp4_export_shows_progress_and_saves_the_video(page, server, tmp_path):
    driver = page
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    project = new_project(server, name="export")
    open_project(driver, server, project)
    steps = driver.find_element(By.ID, "max-steps")
    steps.clear()
    steps.send_keys("90")
    click(driver, "Run", LONG)
    wait(driver, lambda d: "max_steps" in d.find_element(By.ID, "summary").text, LONG, "the run did not end")
    row = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#run-list .run-row button"), 30, "no run listed")[0]
    row.click()
    link = wait(driver, lambda d: (lambda a: a if a.is_displayed() else None)(d.find_element(By.ID, "replay-video")), 30)
    link.click()
    bar = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#notices progress[aria-label^='Exporting']"), 10, "no progress shown")[0]
    assert bar.find_element(By.XPATH, "./preceding-sibling::span[1]").text.startswith("Exporting")
    wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice") if "Exported" in n.text], 300, "the export did not finish")
    assert not driver.find_elements(By.CSS_SELECTOR, ".notice.error")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(tmp_path.glob("*.mp4")):
        time.sleep(0.2)
    videos = list(tmp_path.glob("*.mp4"))
    assert videos, "no video was saved"
    assert videos[0].read_bytes()[4:8] == b"ftyp"
