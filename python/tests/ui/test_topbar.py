"""The top bar while a project is open: a project picker that switches projects, and the
run controls (Run, Pause, Step, Reset, Stop, Speed) reachable whichever panel is shown.
A real headless chromium against a real `tau serve`."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from test_ide import LONG, button, click, current_project, new_project, open_project, wait


def picker(driver):
    return Select(driver.find_element(By.ID, "project-picker"))


def picked(driver):
    """(the chosen project's id, the names listed)."""
    select = picker(driver)
    return select.first_selected_option.get_attribute("value"), [o.text for o in select.options]


def named(driver, name):
    """Every element on the page whose accessible name is `name`, hidden or not."""
    return [e for e in driver.find_elements(By.CSS_SELECTOR, "button, select, input")
            if e.accessible_name == name]


def test_the_project_picker_switches_project_and_follows_new_and_deleted_ones(page, server):
    driver = page
    one = new_project(server, name="picker one")
    two = new_project(server, name="picker two")
    open_project(driver, server, one)
    assert driver.find_element(By.ID, "project-picker").is_displayed()
    assert driver.find_element(By.ID, "project-picker").accessible_name == "Project"
    wait(driver, lambda d: picked(d)[0] == one and "picker two" in picked(d)[1], 30, "the picker does not list the projects")
    picker(driver).select_by_visible_text("picker two")
    wait(driver, lambda d: d.find_element(By.ID, "project-title").text == "picker two", LONG, "the picked project did not open")
    assert current_project(driver) == two
    assert driver.current_url.endswith(f"#project/{two}")
    wait(driver, lambda d: picked(d)[0] == two, 30, "the open project is not the one selected")
    # a project made on the start screen is listed and selected once it opens
    driver.find_element(By.ID, "nav-projects").click()
    assert not driver.find_element(By.ID, "project-picker").is_displayed()
    name = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(d.find_element(By.ID, "new-name")), LONG)
    name.clear()
    name.send_keys("picker three")
    click(driver, "New project")
    wait(driver, lambda d: d.find_element(By.ID, "project-title").text == "picker three", LONG)
    three = current_project(driver)
    wait(driver, lambda d: picked(d)[0] == three and {"picker one", "picker two", "picker three"} <= set(picked(d)[1]), 30)
    # a deleted project is gone from the list
    status, body = server.request("DELETE", f"/api/projects/{one}")
    assert status == 200, body
    picker(driver).select_by_visible_text("picker two")
    wait(driver, lambda d: picked(d)[0] == two and "picker one" not in picked(d)[1], LONG, "the deleted project is still listed")


def test_run_is_in_the_top_bar_and_works_while_the_assistant_is_open(page, server):
    driver = page
    project = new_project(server, name="top bar run")
    open_project(driver, server, project)
    # one control of each name, so tests and screen readers find the one
    for name in ("Run", "Pause", "Step", "Reset", "Stop", "Speed"):
        assert len(named(driver, name)) == 1, name
    assert "F5" in button(driver, "Run").get_attribute("title")
    assert "F6" in button(driver, "Pause").get_attribute("title")
    driver.find_element(By.ID, "max-steps").clear()
    driver.find_element(By.ID, "max-steps").send_keys("100000")
    driver.find_element(By.ID, "tab-assistant").click()
    assert not driver.find_element(By.ID, "panel-run").is_displayed()
    for name in ("Run", "Pause", "Step", "Reset", "Stop"):
        assert button(driver, name).is_displayed(), name
    assert driver.find_element(By.ID, "speed").is_displayed()
    click(driver, "Run")
    wait(driver, lambda d: button(d, "Pause").is_enabled(), LONG, "the run did not start")
    wait(driver, lambda d: (d.find_element(By.ID, "viewport").get_attribute("data-step") or "") not in ("", "0"), LONG, "no step arrived")
    click(driver, "Pause")
    wait(driver, lambda d: button(d, "Step").is_enabled(), 30, "Pause did not pause")
    # the shortcut works from the assistant's panel too: F6 resumes
    driver.find_element(By.ID, "tab-assistant").send_keys(Keys.F6)
    wait(driver, lambda d: not button(d, "Step").is_enabled(), 30, "F6 did not resume")
    click(driver, "Stop")
    wait(driver, lambda d: button(d, "Run").is_enabled(), LONG, "Run is not back after Stop")
    driver.find_element(By.ID, "tab-run").click()
    summary = wait(driver, lambda d: (lambda s: s if "ended" in s.text else None)(d.find_element(By.ID, "summary")), LONG)
    assert "stopped" in summary.text


SHOW_PANEL = """const done = arguments[arguments.length - 1]; const started = performance.now();
document.getElementById(arguments[0]).click();
requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - started)));"""


def test_the_3d_view_comes_back_at_once_after_running_behind_the_assistant(page, server):
    """Not drawn while hidden: software WebGL once queued every hidden frame and took 15-30 s
    to show the Simulation panel again."""
    driver = page
    driver.set_script_timeout(120)
    project = new_project(server, name="hidden 3d")
    open_project(driver, server, project)
    wait(driver, lambda d: [c for c in d.find_elements(By.CSS_SELECTOR, "#viewer3d canvas") if c.is_displayed()], LONG, "no 3D view")
    click(driver, "Run")
    wait(driver, lambda d: d.execute_script("return window.tauViewer && window.tauViewer.stats().posesApplied") or 0, LONG, "no pose applied")
    driver.execute_async_script(SHOW_PANEL, "tab-assistant")
    applied = driver.execute_script("return window.tauViewer.stats().posesApplied")
    wait(driver, lambda d: d.execute_script("return window.tauViewer.stats().posesApplied") > applied + 60, LONG, "poses stopped while hidden")
    took = driver.execute_async_script(SHOW_PANEL, "tab-run")
    assert took < 5000, f"showing the Simulation panel again took {took:.0f} ms"
    assert driver.find_element(By.CSS_SELECTOR, "#viewer3d canvas").is_displayed()
    click(driver, "Stop")
