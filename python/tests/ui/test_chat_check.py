"""A proposal that fails its check is shown as failed, with the error and where it is, and
applying it is not offered as if it were fine: a real headless chromium, a real `tau serve`
and the loopback OpenAI-format vendor."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By

from test_ide import click, new_project, open_project, server_file, wait


def test_a_failing_check_is_shown_as_such(page, server, vendor):
    driver = page
    project = new_project(server, name="broken proposal")
    scene = server_file(server, project, "scene.xml")
    broken = scene.replace("<worldbody>", "<worldbody>\n    <geom type=\"sphere\" size=\"oops\"/>")
    # Every answer (repair rounds included) proposes the same broken scene.
    vendor.answer([{"content": json.dumps({"reply": "Added a sphere.", "proposals": [
        {"path": "scene.xml", "new_content": broken, "rationale": "a sphere"}]})}])
    open_project(driver, server, project)
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#provider option[value=openai]"), 30)
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.find_element(By.ID, "chat-input").send_keys("add a sphere")
    click(driver, "Send")
    card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log > .msg > .proposals > .proposal[data-path='scene.xml']"), 300, "no diff card")[-1]
    check = wait(driver, lambda d: (lambda c: c if "check" in c.text else None)(card.find_element(By.CSS_SELECTOR, ".check")), 60)
    assert "failed" in check.get_attribute("class")
    assert "✗ check failed" in check.text
    assert "scene.xml" in check.text
    # Apply asks first; cancelled, nothing is written
    card.find_element(By.XPATH, ".//button[normalize-space()='Apply']").click()
    box = wait(driver, lambda d: (lambda ds: ds[0] if ds else None)(d.find_elements(By.CSS_SELECTOR, "dialog[open]")), 10, "no confirmation")
    assert "failed its check" in box.text
    box.find_element(By.XPATH, ".//button[normalize-space()='Cancel']").click()
    wait(driver, lambda d: "Not applied" in card.text, 10)
    assert server_file(server, project, "scene.xml") == scene
    # asked again and confirmed, the user's choice is written
    card.find_element(By.XPATH, ".//button[normalize-space()='Apply']").click()
    box = wait(driver, lambda d: (lambda ds: ds[0] if ds else None)(d.find_elements(By.CSS_SELECTOR, "dialog[open]")), 10)
    box.find_element(By.XPATH, ".//button[normalize-space()='Apply anyway']").click()
    wait(driver, lambda d: server_file(server, project, "scene.xml") == broken, 60, "the confirmed change was not written")
