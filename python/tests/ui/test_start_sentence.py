"""The start screen opens on its sentence box ("What would you like to build?"): example
chips fill it, Enter asks the assistant, and its suggestion is made only once confirmed.
A real headless chromium against a real `tau serve` and a loopback vendor."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from test_ide import LONG, click, wait


def test_the_sentence_box_comes_first_and_chips_fill_it(page, server, vendor):
    driver = page
    box = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(d.find_element(By.ID, "suggest-text")), LONG)
    assert box.accessible_name == "What would you like to build?"
    assert driver.find_element(By.ID, "start-heading").text == "What would you like to build?"
    # above the templates, the Menagerie and the projects
    top = box.rect["y"]
    for other in ("new-name", "menagerie-search", "project-list"):
        assert top < driver.find_element(By.ID, other).rect["y"], other
    chips = driver.find_elements(By.CSS_SELECTOR, "#suggest-examples button")
    assert len(chips) >= 3
    assert "a cart-pole that balances" in [c.text for c in chips]
    chip = next(c for c in chips if c.text == "a pendulum swing-up")
    chip.click()
    assert box.get_attribute("value") == "a pendulum swing-up"
    assert driver.switch_to.active_element == box
    # another chip replaces the text
    next(c for c in chips if c.text == "a cart-pole that balances").click()
    assert box.get_attribute("value") == "a cart-pole that balances"
    # Enter asks; nothing is made until "Create it"
    vendor.answer([{"content": json.dumps({"choice": "template", "template": "cartpole", "robot": "",
                                           "name": "balancer", "why": "The cart-pole template balances."})}])
    box.send_keys(Keys.ENTER)
    wait(driver, lambda d: "cartpole template" in d.find_element(By.ID, "suggest-result").text, 120, "no suggestion")
    assert driver.execute_script("return document.body.dataset.screen") == "start"
    click(driver, "Create it")
    wait(driver, lambda d: d.find_element(By.ID, "project-title").text == "balancer", LONG, "the suggested project did not open")


def vendor_requests(vendor):
    if not vendor.requests_log.exists():
        return []
    return [json.loads(line) for line in vendor.requests_log.read_text().splitlines() if line.strip()]


def test_the_sentence_box_asks_with_the_key_saved_in_this_browser(page, server, vendor):
    driver = page
    driver.execute_script("localStorage.setItem('tau.provider', 'openai'); localStorage.setItem('tau.apiKey.openai', 'sk-saved-in-this-browser')")
    driver.refresh()
    box = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(d.find_element(By.ID, "suggest-text")), LONG)
    vendor.answer([{"content": json.dumps({"choice": "template", "template": "pendulum", "robot": "",
                                           "name": "swinger", "why": "A pendulum."})}])
    seen = len(vendor_requests(vendor))
    box.send_keys("a pendulum swing-up")
    click(driver, "Suggest")
    wait(driver, lambda d: "pendulum template" in d.find_element(By.ID, "suggest-result").text, 120, "no suggestion")
    asked = vendor_requests(vendor)[seen:]
    assert asked, "the vendor was not asked"
    headers = {k.lower(): v for k, v in asked[-1]["headers"].items()}
    assert headers.get("authorization") == "Bearer sk-saved-in-this-browser"
