"""A first visit is welcomed with an offer of the tour ("Start the tour" / "Maybe later"),
once per browser: the answer is remembered across reloads, and "? Tour" still starts the
tour. A fresh headless chromium (the other tests' browser skips the welcome) against a real
`tau serve`."""

from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_ide import LONG, click, wait


def welcome(driver):
    shown = driver.find_elements(By.CSS_SELECTOR, "dialog.welcome[open]")
    return shown[0] if shown else None


def settle_on_start(driver):
    """The start screen has loaded, and a moment has passed for a welcome to appear."""
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=template]"), LONG)
    time.sleep(1.0)


def test_a_fresh_browser_is_offered_the_tour_once(fresh_browser, server):
    driver = fresh_browser
    driver.get(server.base + "/#")
    box = wait(driver, welcome, LONG, "no welcome on the first visit")
    assert "Welcome to tau-sim" in box.text
    assert "? Tour" in box.text
    start = box.find_element(By.XPATH, ".//button[normalize-space()='Start the tour']")
    assert driver.switch_to.active_element == start
    box.find_element(By.XPATH, ".//button[normalize-space()='Maybe later']").click()
    wait(driver, lambda d: welcome(d) is None, 10, "the welcome did not close")
    driver.refresh()
    settle_on_start(driver)
    assert welcome(driver) is None, "the welcome came back after 'Maybe later'"
    # the tour is still one click away
    click(driver, "Tour")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "dialog.tour[open]"), 10, "no tour")
    driver.find_element(By.CSS_SELECTOR, "dialog.tour[open]").send_keys(Keys.ESCAPE)
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog.tour[open]"), 10)


def test_start_the_tour_from_the_welcome(fresh_browser, server):
    driver = fresh_browser
    driver.get(server.base + "/#")
    box = wait(driver, welcome, LONG, "no welcome on the first visit")
    box.find_element(By.XPATH, ".//button[normalize-space()='Start the tour']").click()
    tour = wait(driver, lambda d: (d.find_elements(By.CSS_SELECTOR, "dialog.tour[open]") or [None])[0], 10, "the tour did not start")
    assert "1 of 4" in tour.text
    assert welcome(driver) is None
    tour.find_element(By.XPATH, ".//button[normalize-space()='Skip the tour']").click()
    driver.refresh()
    settle_on_start(driver)
    assert welcome(driver) is None, "the welcome came back after the tour"
    assert not driver.find_elements(By.CSS_SELECTOR, "dialog.tour[open]")
