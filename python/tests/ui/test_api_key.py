"""The assistant's "+ Add API key": shown for a provider with neither a server key nor a
key saved in this browser, it reveals the key field, says the key stays in this browser and
links to where the vendor hands out keys; gone once a key is saved. A real headless
chromium against a real `tau serve` (whose only server key is OpenAI's)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from test_ide import button, click, new_project, open_project, wait

KEY_PAGES = {
    "anthropic": "https://console.anthropic.com/settings/keys",
    "gemini": "https://aistudio.google.com/apikey",
    "openrouter": "https://openrouter.ai/keys",
}


def choose(driver, provider):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#provider option[value='{provider}']"), 30)
    driver.execute_script("const s=document.getElementById('provider'); s.value=arguments[0]; s.dispatchEvent(new Event('change'))", provider)


def add_key_button(driver):
    shown = [b for b in driver.find_elements(By.ID, "add-key") if b.is_displayed()]
    return shown[0] if shown else None


def test_add_api_key_for_a_provider_without_one(page, server):
    driver = page
    status, providers = server.request("GET", "/api/providers")
    assert status == 200, providers
    keyless = [p["id"] for p in providers if p["id"] in KEY_PAGES and not p["has_server_key"]]
    if not keyless:
        pytest.skip("every vendor has a server key here")
    vendor = keyless[0]
    project = new_project(server, name="keys")
    open_project(driver, server, project)
    driver.find_element(By.ID, "tab-assistant").click()
    choose(driver, vendor)
    add = wait(driver, add_key_button, 10, "no '+ Add API key' for a provider without a key")
    assert add.text == "+ Add API key"
    assert not driver.find_element(By.ID, "api-key").is_displayed()
    add.click()
    field = driver.find_element(By.ID, "api-key")
    assert field.is_displayed() and field.accessible_name == "Your key"
    assert driver.switch_to.active_element == field
    row = driver.find_element(By.ID, "key-row")
    assert "stays in this browser" in row.text
    link = driver.find_element(By.ID, "key-link")
    assert link.is_displayed() and "API key" in link.text
    assert link.get_attribute("href") == KEY_PAGES[vendor]
    assert link.get_attribute("target") == "_blank"
    assert set(link.get_attribute("rel").split()) >= {"noopener", "noreferrer"}
    field.send_keys("sk-typed-in-the-browser")
    click(driver, "Save key")
    wait(driver, lambda d: add_key_button(d) is None, 10, "'+ Add API key' is still there after saving a key")
    assert driver.execute_script("return localStorage.getItem('tau.apiKey.' + arguments[0])", vendor) == "sk-typed-in-the-browser"
    # remembered across a reload: the key is there and no button asks for one
    driver.refresh()
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: d.find_element(By.ID, "provider").get_attribute("value") == vendor, 30)
    wait(driver, lambda d: d.find_element(By.ID, "api-key").get_attribute("value") == "sk-typed-in-the-browser", 30)
    assert add_key_button(driver) is None
    # the server's key needs no button; neither do the local server and the manual queue
    for other in ("openai", "openai-compatible", "manual"):
        choose(driver, other)
        assert add_key_button(driver) is None, other
    assert not driver.find_element(By.ID, "key-link").is_displayed()
    # a removed key brings the button back
    choose(driver, vendor)
    field = driver.find_element(By.ID, "api-key")
    field.clear()
    click(driver, "Save key")
    wait(driver, add_key_button, 10, "no '+ Add API key' once the key is removed")
    assert button(driver, "+ Add API key")
