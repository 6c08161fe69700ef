"""The model inspector: the compiled model's bodies, joints, actuators and sensors, in a
real headless chromium against a real `tau serve`."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from test_ide import LONG, click, new_project, open_project, put_file, server_file, wait


def inspector_text(driver):
    return driver.find_element(By.ID, "inspector").text


def test_the_inspector_shows_the_cartpole_and_its_selected_body(page, server):
    driver = page
    project = new_project(server, name="inspect")
    open_project(driver, server, project)
    click(driver, "Model")
    wait(driver, lambda d: "Bodies" in inspector_text(d), LONG, "the model tree never came")
    text = inspector_text(driver)
    assert "3 bodies" in text and "2 joints" in text and "1 actuator ·" in text
    for part in ("world", "cart", "pole", "slider (joint)", "[-1.000, 1.000]"):
        assert part in text, part
    click(driver, "Select body cart")
    details = wait(driver, lambda d: d.find_elements(By.ID, "inspector-selected"), 10, "no details")[0]
    assert "cart" in details.text and "slide" in details.text and "range [-2.000, 2.000]" in details.text
    row = driver.find_element(By.CSS_SELECTOR, ".inspector-tree [data-body='1']")
    assert row.get_attribute("aria-selected") == "true"


def test_a_broken_scene_is_explained_in_the_inspector(page, server):
    driver = page
    project = new_project(server, name="broken inspect")
    put_file(server, project, "scene.xml", server_file(server, project, "scene.xml").replace("<worldbody>", "<worldbody><bogus/>"))
    open_project(driver, server, project)
    click(driver, "Model")
    message = wait(driver, lambda d: (lambda t: t if "could not be inspected" in t else None)(inspector_text(d)), LONG, "no error shown")
    assert "bogus" in message and "scene.xml" in message


def test_a_body_selected_in_the_inspector_is_selected_in_the_view_and_back(page, server):
    driver = page
    project = new_project(server, name="inspect and view")
    open_project(driver, server, project)
    wait(driver, lambda d: d.execute_script("return Boolean(window.tauViewer && window.tauViewer.stats().epoch)"), LONG, "the 3D view never loaded")
    click(driver, "Model")
    wait(driver, lambda d: "Bodies" in inspector_text(d), LONG)
    click(driver, "Select body cart")
    wait(driver, lambda d: d.execute_script("const s = window.tauViewer.selection(); return s && s.name") == "cart", 10, "the view did not select the cart")
    # picked in the view (as a double-click does): the inspector follows
    driver.execute_script("window.tauViewer.select(2)")
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".inspector-tree [data-body='2']").get_attribute("aria-selected") == "true", 10, "the inspector did not follow the view")
    assert "pole" in driver.find_element(By.ID, "inspector-selected").text
    assert driver.find_element(By.CSS_SELECTOR, ".inspector-tree [data-body='1']").get_attribute("aria-selected") == "false"
