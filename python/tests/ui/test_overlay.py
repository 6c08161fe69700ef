"""The view's overlay says the step and the reward so far, beside fps, sim time and the
real-time factor, in the 3D view and in MuJoCo render: a real headless chromium against a
real `tau serve`."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from test_ide import LONG, click, new_project, open_project, wait


@pytest.mark.parametrize("view", ["3d", "render"])
def test_the_overlay_shows_step_and_reward_after_a_run(page, server, view):
    driver = page
    project = new_project(server, name=f"overlay {view}")
    open_project(driver, server, project)
    driver.find_element(By.CSS_SELECTOR, f"input[name=view][value='{view}']").click()
    steps = driver.find_element(By.ID, "max-steps")
    steps.clear()
    steps.send_keys("60")
    click(driver, "Run")
    summary = wait(driver, lambda d: (lambda s: s if "ended" in s.text else None)(d.find_element(By.ID, "summary")), LONG, "the run did not end")
    total = float(re.search(r"total reward (-?[\d.]+)", summary.text).group(1))
    overlay = driver.find_element(By.ID, "overlay")
    assert overlay.is_displayed()
    text = overlay.text
    assert "fps" in text and "real time" in text, text
    found = re.search(r"step (\d+) · reward (-?[\d.]+)$", text)
    assert found, text
    assert int(found.group(1)) == 59  # steps count from 0
    assert abs(float(found.group(2)) - total) <= 0.051, (text, total)
    assert total > 50  # the cartpole balances: about 1 a step
