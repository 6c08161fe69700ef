"""The top bar's tour walks through the screen in view, part by part, and ends cleanly:
a real headless chromium against a real `tau serve`."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from test_ide import LONG, click, new_project, open_project, wait


def tour_box(driver):
    boxes = driver.find_elements(By.CSS_SELECTOR, "dialog.tour[open]")
    return boxes[0] if boxes else None


def outlined(driver):
    return [n.get_attribute("id") for n in driver.find_elements(By.CSS_SELECTOR, ".tour-target")]


def test_the_start_screen_tour(page, server):
    driver = page
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=template]"), LONG)
    click(driver, "Tour")
    box = wait(driver, tour_box, 10, "no tour")
    # the sentence box comes first, as on the screen; then the templates
    assert "1 of 4" in box.text and "template" in box.text
    assert outlined(driver) == ["suggest-text"]
    box.find_element(By.XPATH, ".//button[normalize-space()='Next']").click()
    wait(driver, lambda d: "2 of 4" in tour_box(d).text, 10)
    assert outlined(driver) == ["new-name"]
    for _ in range(2):
        tour_box(driver).find_element(By.XPATH, ".//button[normalize-space()='Next']").click()
    wait(driver, lambda d: "4 of 4" in tour_box(d).text, 10)
    tour_box(driver).find_element(By.XPATH, ".//button[normalize-space()='Done']").click()
    wait(driver, lambda d: tour_box(d) is None, 10, "the tour did not end")
    assert outlined(driver) == []
    # the page works as before: a project can still be made
    click(driver, "New project")
    wait(driver, lambda d: d.execute_script("return document.body.dataset.screen") == "ide", LONG)


def test_the_project_tour_covers_the_ide(page, server):
    driver = page
    project = new_project(server, name="tour")
    open_project(driver, server, project)
    click(driver, "Tour")
    box = wait(driver, tour_box, 10, "no tour")
    assert "1 of 7" in box.text and "files" in box.text
    seen = set(outlined(driver))
    while "Next" in tour_box(driver).text:
        tour_box(driver).find_element(By.XPATH, ".//button[normalize-space()='Next']").click()
        seen.update(outlined(driver))
    assert {"file-tree", "editor-host", "run", "viewport", "tab-assistant", "tab-model"} <= seen
    tour_box(driver).find_element(By.XPATH, ".//button[normalize-space()='Done']").click()
    wait(driver, lambda d: tour_box(d) is None, 10)
