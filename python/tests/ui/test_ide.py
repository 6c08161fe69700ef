"""What a user does in the IDE, in a real headless chromium against a real `tau serve`."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pathlib import Path

SHOTS = Path(__file__).resolve().parent / "screenshots"

LONG = 120


def wait(driver, condition, timeout=60, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: condition(d), message)


def button(driver, name):
    """The visible, enabled-or-not button whose accessible name is `name`."""
    for b in driver.find_elements(By.XPATH, f"//button[normalize-space()='{name}' or @aria-label='{name}']"):
        if b.is_displayed():
            return b
    raise AssertionError(f"no visible button named {name!r}")


def click(driver, name, timeout=30):
    b = wait(driver, lambda d: (lambda x: x if x.is_enabled() else None)(button(d, name)), timeout, f"{name} never enabled")
    b.click()


def editor_value(driver):
    return driver.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")


def set_editor(driver, text):
    driver.execute_script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])", text)


def server_file(server, project, path):
    status, body = server.request("GET", f"/api/projects/{project}/file?path={urllib.parse.quote(path)}")
    assert status == 200, body
    return body["content"]


def put_file(server, project, path, content):
    status, body = server.request("PUT", f"/api/projects/{project}/file", {"path": path, "content": content})
    assert status == 200, body


def new_project(server, template="cartpole", name="ui test"):
    status, body = server.request("POST", "/api/projects", {"name": name, "template": template})
    assert status == 200, body
    return body["id"]


def open_project(driver, server, project, path="env.py"):
    driver.get(f"{server.base}/#project/{project}")
    wait(driver, lambda d: d.execute_script(
        "const t=document.querySelector('.tab.active .tab-name'); return t && t.dataset.path") == path, LONG, "the file never opened")


def current_project(driver):
    return driver.execute_script("return localStorage.getItem('tau.lastProject')")


def frame_step(driver):
    value = driver.find_element(By.ID, "live").get_attribute("data-step")
    return int(value) if value not in (None, "") else None


def points(driver):
    return int(driver.find_element(By.ID, "reward-chart").get_attribute("data-points") or 0)


def console_text(driver):
    return driver.find_element(By.ID, "console").text


def test_new_cartpole_project_edit_save_reload(page, server):
    driver = page
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=template][value=cartpole]"), LONG)
    driver.find_element(By.CSS_SELECTOR, "input[name=template][value=cartpole]").click()
    name = driver.find_element(By.ID, "new-name")
    name.clear()
    name.send_keys("cartpole from the browser")
    click(driver, "New project")
    wait(driver, lambda d: "class CartPole" in editor_value(d) or "def make_env" in editor_value(d), LONG, "env.py not shown")
    project = current_project(driver)
    driver.find_element(By.ID, "autosave").click()  # off: the Save button does it
    set_editor(driver, editor_value(driver) + "\n# edited in the browser\n")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".tab.active .dirty"), 10, "no dirty marker")
    click(driver, "Save")
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".tab.active .dirty"), 30, "still dirty after Save")
    assert server_file(server, project, "env.py").endswith("# edited in the browser\n")
    driver.refresh()
    wait(driver, lambda d: "# edited in the browser" in editor_value(d), LONG, "the change is not there after reload")
    assert current_project(driver) == project
    assert "cartpole from the browser" in driver.find_element(By.ID, "project-title").text


def test_server_side_change_is_warned_about_not_overwritten(page, server):
    driver = page
    project = new_project(server)
    open_project(driver, server, project)
    driver.find_element(By.ID, "autosave").click()
    put_file(server, project, "env.py", "# changed on the server\n")
    set_editor(driver, editor_value(driver) + "\n# my browser edit\n")
    click(driver, "Save")
    banner = wait(driver, lambda d: (lambda b: b if b.is_displayed() else None)(d.find_element(By.ID, "conflict")), 30, "no warning")
    assert "changed on the server" in banner.text
    assert server_file(server, project, "env.py") == "# changed on the server\n"
    assert "# my browser edit" in editor_value(driver)


def show_mujoco_render(driver):
    """The server's JPEG frames instead of the default 3D view."""
    driver.find_element(By.CSS_SELECTOR, "input[name=view][value=render]").click()


def test_run_pause_step_stop(page, server):
    driver = page
    project = new_project(server)
    open_project(driver, server, project)
    show_mujoco_render(driver)
    steps = driver.find_element(By.ID, "max-steps")
    steps.clear()
    steps.send_keys("100000")
    click(driver, "Run")
    first = wait(driver, lambda d: frame_step(d) if (frame_step(d) or -1) >= 0 else None, LONG, "no frame")
    wait(driver, lambda d: (frame_step(d) or 0) > first + 3, LONG, "frames do not change")
    wait(driver, lambda d: points(d) > 3, LONG, "the reward plot has no points")
    src_before = driver.find_element(By.ID, "live").get_attribute("src")
    wait(driver, lambda d: d.find_element(By.ID, "live").get_attribute("src") != src_before, LONG, "the picture never changes")
    assert driver.find_element(By.ID, "overlay").text.strip()

    click(driver, "Pause")
    # frames already on their way may still arrive; then the step stays put
    stable = {"step": None, "since": 0.0}

    def settled(d):
        step = frame_step(d)
        now = time.monotonic()
        if step != stable["step"]:
            stable.update(step=step, since=now)
            return False
        return now - stable["since"] > 1.5

    wait(driver, settled, LONG, "the episode does not pause")
    paused_at = frame_step(driver)
    plotted = points(driver)
    click(driver, "Step")
    wait(driver, lambda d: (frame_step(d) or 0) > paused_at, LONG, "Step did not advance")
    assert frame_step(driver) == paused_at + 1
    wait(driver, lambda d: points(d) >= plotted + 1, 30)

    click(driver, "Stop")
    summary = wait(driver, lambda d: (lambda s: s if "ended" in s.text else None)(d.find_element(By.ID, "summary")), LONG, "no summary")
    assert "stopped" in summary.text
    assert "total reward" in summary.text
    wait(driver, lambda d: button(d, "Run").is_enabled(), 30)
    # the run is listed and can be replayed with the scrubber
    row = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#run-list .run-row button"), 30, "no run listed")[0]
    row.click()
    scrubber = wait(driver, lambda d: (lambda s: s if s.is_displayed() else None)(d.find_element(By.ID, "scrubber")), 30)
    driver.execute_script("arguments[0].value = 1; arguments[0].dispatchEvent(new Event('input'))", scrubber)
    wait(driver, lambda d: "/frame?step=1" in (d.find_element(By.ID, "live").get_attribute("src") or ""), 30)
    wait(driver, lambda d: d.execute_script("const i=document.getElementById('live'); return i.complete && i.naturalWidth > 0"), LONG, "the recorded frame does not load")
    assert driver.find_element(By.ID, "replay-video").get_attribute("href").endswith("/video")


BROKEN_ENV = """\
import numpy as np


class Env:
    xml_path = "scene.xml"

    def reset(self, model, data):
        return np.zeros(4)

    def step(self, model, data, action):
        raise ValueError("broken on purpose")

    def policy(self, obs):
        return np.zeros(1)


def make_env():
    return Env()
"""


def test_env_error_in_console_opens_the_editor_at_its_line(page, server):
    driver = page
    project = new_project(server)
    put_file(server, project, "env.py", BROKEN_ENV)
    line = BROKEN_ENV.splitlines().index('        raise ValueError("broken on purpose")') + 1
    open_project(driver, server, project, "env.py")
    driver.find_element(By.CSS_SELECTOR, ".tab-name[data-path='scene.xml']") if False else None
    # look at another file first, so the link has to switch tabs
    driver.find_element(By.CSS_SELECTOR, "#file-tree button[data-path='scene.xml']").click()
    wait(driver, lambda d: "<mujoco" in editor_value(d), 30)
    click(driver, "Run")
    link = wait(driver, lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, "#console .log.error a.file-link") if a.text == f"env.py:{line}"], LONG,
                "no env.py:line link in the console")[0]
    assert "broken on purpose" in console_text(driver)
    link.click()
    wait(driver, lambda d: d.execute_script("return document.querySelector('.tab.active .tab-name').dataset.path") == "env.py", 30)
    wait(driver, lambda d: d.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getCursor().line") == line - 1, 30)
    assert driver.find_elements(By.CSS_SELECTOR, ".CodeMirror .gutter-error"), "no gutter marker"


def test_import_a_local_menagerie_robot_and_run_it(page, server):
    driver = page
    driver.find_element(By.ID, "menagerie-offline").click()
    search = driver.find_element(By.ID, "menagerie-search")
    search.send_keys("iiwa")
    card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".robot[data-robot=kuka_iiwa_14]"), LONG, "the robot is not listed")[0]
    assert "offline" in card.text
    # The button's own click: a pointer click at its coordinates was once lost on a loaded
    # machine (the catalog list re-renders as it loads).
    driver.execute_script("arguments[0].click()", card.find_element(By.TAG_NAME, "button"))
    wait(driver, lambda d: d.execute_script("return document.body.dataset.screen") == "ide", LONG, "the IDE did not open")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#file-tree button[data-path$='.xml']"), LONG)
    show_mujoco_render(driver)
    steps = driver.find_element(By.ID, "max-steps")
    steps.clear()
    steps.send_keys("60")
    click(driver, "Run", LONG)
    wait(driver, lambda d: (frame_step(d) or -1) >= 1, LONG, "no frames from the robot")
    summary = wait(driver, lambda d: (lambda s: s if "ended" in s.text else None)(d.find_element(By.ID, "summary")), LONG)
    assert "max_steps" in summary.text, summary.text


def test_chat_proposal_diff_card_apply_and_undo(page, server, vendor):
    driver = page
    project = new_project(server)
    original = server_file(server, project, "env.py")
    proposed = original + "\n# a comment the assistant added\n"
    vendor.answer([{"content": json.dumps({"reply": "Here is a **small** change.", "proposals": [
        {"path": "env.py", "new_content": proposed, "rationale": "document the env"}]})}])
    open_project(driver, server, project)
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#provider option[value=openai]"), 30)
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.find_element(By.ID, "chat-input").send_keys("please document env.py")
    click(driver, "Send")
    card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log > .msg > .proposals > .proposal[data-path='env.py']"), 180, "no diff card")[0]
    wait(driver, lambda d: card.find_elements(By.CSS_SELECTOR, ".hunk"), 30)
    check = card.find_element(By.CSS_SELECTOR, ".check")
    assert "check passed" in check.text, check.text
    assert "before:" in check.text and "after:" in check.text
    assert "a comment the assistant added" in card.text
    assert driver.find_element(By.CSS_SELECTOR, ".msg.assistant .md strong").text == "small"
    card.find_element(By.XPATH, ".//button[normalize-space()='Apply']").click()
    wait(driver, lambda d: server_file(server, project, "env.py") == proposed, 60, "Apply did not write the file")
    wait(driver, lambda d: "# a comment the assistant added" in editor_value(d), 30, "the editor did not reload")
    undo = card.find_element(By.XPATH, ".//button[normalize-space()='Undo']")
    wait(driver, lambda d: undo.is_displayed(), 30)
    undo.click()
    wait(driver, lambda d: server_file(server, project, "env.py") == original, 60, "Undo did not restore the file")
    driver.refresh()
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: "please document env.py" in d.find_element(By.ID, "chat-log").text, 30, "the conversation is not restored")


def test_manual_queue_page_answers_a_pending_request(page, server):
    driver = page
    project = new_project(server)
    status, body = server.request("POST", "/api/chat", {"project_id": project, "provider": "manual",
                                                        "messages": [{"role": "user", "content": "make the pole longer"}]})
    assert status in (200, 202), body
    pending = body["pending_id"]
    driver.get(server.base + "/#manual")
    card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f".manual-request[data-id='{pending}']"), 30, "the request is not listed")[0]
    assert "make the pole longer" in card.text
    card.find_element(By.CSS_SELECTOR, "textarea.reply").send_keys("Done by a person.")
    card.find_element(By.XPATH, ".//button[normalize-space()='Send answer']").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, f".manual-request[data-id='{pending}']"), 60)
    status, result = server.request("GET", f"/api/chat/result/{pending}")
    assert status == 200, result
    assert result["reply"] == "Done by a person."


def test_3d_toggle_and_accessible_names(page, server):
    driver = page
    project = new_project(server)
    open_project(driver, server, project)
    assert driver.find_element(By.CSS_SELECTOR, "input[name=view][value='3d']").is_selected(), "the 3D view is not the default"
    wait(driver, lambda d: [c for c in d.find_elements(By.CSS_SELECTOR, "#viewer3d canvas") if c.is_displayed()], LONG, "the 3D view shows no scene")
    driver.find_element(By.CSS_SELECTOR, "input[name=view][value=render]").click()
    for name in ("Run", "Pause", "Step", "Reset", "Stop", "Save"):
        assert button(driver, name)
    assert "F5" in button(driver, "Run").get_attribute("title")
    unnamed = driver.execute_script("""
        return [...document.querySelectorAll('button, input, select, textarea')].filter(e => {
          if (e.type === 'hidden' || e.closest('[hidden]')) return false;
          const label = e.getAttribute('aria-label') || e.textContent.trim() || (e.labels && e.labels.length && e.labels[0].textContent.trim()) || e.title;
          return !label;
        }).map(e => e.outerHTML.slice(0, 80));""")
    assert unnamed == []


def test_history_diff_and_restore(page, server):
    driver = page
    project = new_project(server)
    original = server_file(server, project, "env.py")
    put_file(server, project, "env.py", original + "\n# second version\n")
    open_project(driver, server, project)
    click(driver, "History")
    entry = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#history-list button[aria-label^='Show version']"), 30, "no version listed")[0]
    entry.click()
    diff = wait(driver, lambda d: (lambda x: x if x.find_elements(By.CSS_SELECTOR, ".add") else None)(d.find_element(By.ID, "history-diff")), 30, "no diff")
    assert "+ # second version" in diff.text
    driver.find_element(By.CSS_SELECTOR, "#history-list button[aria-label^='Restore version']").click()
    wait(driver, lambda d: server_file(server, project, "env.py") == original, 30, "not restored")
    wait(driver, lambda d: "# second version" not in editor_value(d), 30, "the editor kept the old text")


def test_deleted_project_comes_back_from_the_trash(page, server):
    driver = page
    project = new_project(server, name="binned")
    driver.refresh()
    row = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#project-list [data-id='{project}']"), 30)[0]
    row.find_element(By.XPATH, ".//button[normalize-space()='Delete']").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "dialog[open]"), 10)
    driver.find_element(By.CSS_SELECTOR, "dialog[open] button.danger").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, f"#project-list [data-id='{project}']"), 30)
    driver.find_element(By.CSS_SELECTOR, "#trash-box summary").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#trash-list button[aria-label='Restore binned']"), 30)[0].click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#project-list [data-id='{project}']"), 30, "not restored")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens_at_1280x800(page, server, vendor, theme):
    """Screenshots of each screen in both themes (python/tests/ui/screenshots/)."""
    driver = page
    SHOTS.mkdir(exist_ok=True)
    driver.execute_script("localStorage.setItem('tau.theme', arguments[0])", theme)
    project = new_project(server, name="showcase")
    driver.get(server.base + "/#")
    driver.refresh()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".robot"), LONG)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#project-list .project-entry"), LONG)
    time.sleep(0.5)
    driver.save_screenshot(str(SHOTS / f"start-{theme}.png"))
    open_project(driver, server, project)
    steps = driver.find_element(By.ID, "max-steps")
    steps.clear()
    steps.send_keys("90")
    click(driver, "Run")
    wait(driver, lambda d: "ended" in d.find_element(By.ID, "summary").text, LONG)
    time.sleep(0.3)
    driver.save_screenshot(str(SHOTS / f"ide-{theme}.png"))
    original = server_file(server, project, "env.py")
    proposed = original.replace("reward = float(np.cos(theta) - 0.01 * x * x)", "reward = float(np.cos(theta) - 0.05 * x * x)  # keep the cart near the middle")
    vendor.answer([{"content": json.dumps({"reply": "The cart drifts: a **larger** penalty on `x` keeps it centred.", "proposals": [
        {"path": "env.py", "new_content": proposed, "rationale": "penalise cart travel more"}]})}])
    driver.find_element(By.ID, "tab-assistant").click()
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.find_element(By.ID, "chat-input").send_keys("the cart drifts away; fix the reward")
    click(driver, "Send")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".proposal .hunk"), 180)
    time.sleep(0.3)
    driver.save_screenshot(str(SHOTS / f"assistant-{theme}.png"))
    server.request("POST", "/api/chat", {"project_id": project, "provider": "manual",
                                         "messages": [{"role": "user", "content": "make the pole twice as long"}]})
    driver.get(server.base + "/#manual")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".manual-request"), 30)
    time.sleep(0.3)
    driver.save_screenshot(str(SHOTS / f"manual-{theme}.png"))
    assert driver.execute_script("return document.documentElement.dataset.theme") == theme


def test_chat_apply_only_the_chosen_hunks(page, server, vendor):
    driver = page
    project = new_project(server)
    original = server_file(server, project, "env.py")
    lines = original.splitlines(keepends=True)
    first = ["# first change\n"] + lines
    proposed = "".join(first) + "# last change\n"
    vendor.answer([{"content": json.dumps({"reply": "Two changes.", "proposals": [
        {"path": "env.py", "new_content": proposed, "rationale": "two comments"}]})}])
    open_project(driver, server, project)
    driver.find_element(By.ID, "tab-assistant").click()
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.find_element(By.ID, "chat-input").send_keys("add two comments")
    click(driver, "Send")
    card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-log > .msg > .proposals > .proposal[data-path='env.py']"), 180, "no diff card")[-1]
    boxes = wait(driver, lambda d: (lambda b: b if len(b) == 2 else None)(card.find_elements(By.CSS_SELECTOR, ".hunk input[type=checkbox]")), 30, "not two hunks")
    boxes[1].click()
    card.find_element(By.XPATH, ".//button[normalize-space()='Apply']").click()
    wait(driver, lambda d: server_file(server, project, "env.py") == "# first change\n" + original, 180, "the chosen hunk was not applied alone")


def test_upload_a_zip_opens_the_project(page, server, tmp_path):
    driver = page
    project = new_project(server, name="zipped")
    put_file(server, project, "env.py", server_file(server, project, "env.py") + "\n# from the zip\n")
    with urllib.request.urlopen(f"{server.base}/api/projects/{project}/zip") as response:
        archive = tmp_path / "zipped copy.zip"
        archive.write_bytes(response.read())
    driver.find_element(By.ID, "zip-input").send_keys(str(archive))
    wait(driver, lambda d: "# from the zip" in editor_value(d), LONG, "the uploaded project did not open")
    assert current_project(driver) != project
    assert "zipped copy" in driver.find_element(By.ID, "project-title").text


def test_a_sentence_suggests_a_project_to_confirm(page, server, vendor):
    driver = page
    vendor.answer([{"content": json.dumps({"choice": "template", "template": "pendulum", "robot": "",
                                           "name": "swing up", "why": "A pendulum to swing up."})}])
    driver.find_element(By.ID, "suggest-text").send_keys("a pendulum that swings up")
    click(driver, "Suggest")
    wait(driver, lambda d: "pendulum" in d.find_element(By.ID, "suggest-result").text, 120, "no suggestion")
    click(driver, "Create it")
    wait(driver, lambda d: "swing up" in d.find_element(By.ID, "project-title").text, LONG, "the suggested project did not open")


def test_a_failed_save_is_shown_and_loses_nothing(page, server):
    driver = page
    project = new_project(server)
    open_project(driver, server, project)
    driver.find_element(By.ID, "autosave").click()
    original = server_file(server, project, "env.py")
    # the server refuses every write from now on (as a full disk would)
    driver.execute_script("""
        const real = window.fetch;
        window.fetch = (url, init) => (init && init.method === 'PUT')
          ? Promise.resolve(new Response(JSON.stringify({detail: 'the disk is full'}), {status: 507, headers: {'Content-Type': 'application/json'}}))
          : real(url, init);""")
    set_editor(driver, editor_value(driver) + "\n# typed before a failed save\n")
    click(driver, "Save")
    notice = wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice.error") if "disk is full" in n.text], 30, "no error shown")[0]
    assert "Retry" in notice.text
    assert driver.find_elements(By.CSS_SELECTOR, ".tab.active .dirty")
    assert server_file(server, project, "env.py") == original
    time.sleep(0.5)  # the draft is kept a moment after the last keystroke
    driver.refresh()
    wait(driver, lambda d: "# typed before a failed save" in editor_value(d), LONG, "the draft was lost")
    assert driver.find_elements(By.CSS_SELECTOR, ".tab.active .dirty")
    assert [n for n in driver.find_elements(By.CSS_SELECTOR, ".notice") if "restored" in n.text]
