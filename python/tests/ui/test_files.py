"""The file tree's rename, delete, upload and zip download, and a lost stream offering to
reconnect, in a real headless chromium against a real `tau serve`."""

from __future__ import annotations

import io
import urllib.parse
import urllib.request
import zipfile

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from test_ide import LONG, click, editor_value, new_project, open_project, put_file, wait


def tree_files(driver):
    return [b.get_attribute("data-path") for b in driver.find_elements(By.CSS_SELECTOR, "#file-tree .file-open")]


def file_action(driver, action, path):
    """Points at `path` in the tree (its actions show on hover) and presses `action`."""
    row = driver.find_element(By.CSS_SELECTOR, f"#file-tree .file-open[data-path='{path}']")
    ActionChains(driver).move_to_element(row).perform()
    click(driver, f"{action} {path}")


def dialog(driver):
    return wait(driver, lambda d: (lambda ds: ds[0] if ds else None)(d.find_elements(By.CSS_SELECTOR, "dialog[open]")), 30, "no dialog")


def answer_prompt(driver, text):
    box = dialog(driver)
    field = box.find_element(By.TAG_NAME, "input")
    field.clear()
    field.send_keys(text)
    box.find_element(By.XPATH, ".//button[normalize-space()='OK']").click()


def press_in_dialog(driver, label):
    dialog(driver).find_element(By.XPATH, f".//button[normalize-space()='{label}']").click()


def status_of(server, project, path):
    status, _ = server.request("GET", f"/api/projects/{project}/file?path={urllib.parse.quote(path)}")
    return status


def project_zip(server, project):
    with urllib.request.urlopen(f"{server.base}/api/projects/{project}/zip") as response:
        return zipfile.ZipFile(io.BytesIO(response.read()))


def test_rename_then_delete_a_file_from_the_tree(page, server):
    driver = page
    project = new_project(server, name="files")
    put_file(server, project, "helper.py", "ANSWER = 42\n")
    open_project(driver, server, project)
    wait(driver, lambda d: "helper.py" in tree_files(d), LONG, "helper.py not in the tree")
    driver.find_element(By.CSS_SELECTOR, "#file-tree .file-open[data-path='helper.py']").click()
    wait(driver, lambda d: "ANSWER = 42" in editor_value(d), LONG, "helper.py did not open")

    file_action(driver, "Rename", "helper.py")
    answer_prompt(driver, "lib/answer.py")
    wait(driver, lambda d: "lib/answer.py" in tree_files(d) and "helper.py" not in tree_files(d), LONG, "the tree does not show the rename")
    # the open tab followed the file
    wait(driver, lambda d: d.execute_script("return document.querySelector('.tab.active .tab-name').dataset.path") == "lib/answer.py", 30)
    assert status_of(server, project, "helper.py") == 404
    assert server.request("GET", f"/api/projects/{project}/file?path=lib/answer.py")[1]["content"] == "ANSWER = 42\n"

    file_action(driver, "Delete", "lib/answer.py")
    assert "history" in dialog(driver).text
    press_in_dialog(driver, "Delete")
    wait(driver, lambda d: "lib/answer.py" not in tree_files(d), LONG, "the deleted file is still in the tree")
    assert status_of(server, project, "lib/answer.py") == 404
    assert not driver.find_elements(By.CSS_SELECTOR, ".tab-name[data-path='lib/answer.py']")
    # nothing is lost: the history has it
    status, versions = server.request("GET", f"/api/projects/{project}/history?path=lib/answer.py")
    assert status == 200 and len(versions) == 1


def test_renaming_onto_an_existing_file_is_refused_and_explained(page, server):
    driver = page
    project = new_project(server, name="clash")
    put_file(server, project, "helper.py", "A = 1\n")
    open_project(driver, server, project)
    wait(driver, lambda d: "helper.py" in tree_files(d), LONG)
    file_action(driver, "Rename", "helper.py")
    answer_prompt(driver, "scene.xml")
    notice = wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice.error") if "already exists" in n.text], 30, "no error shown")[0]
    assert "scene.xml" in notice.text
    assert "<mujoco" in server.request("GET", f"/api/projects/{project}/file?path=scene.xml")[1]["content"]
    assert "helper.py" in tree_files(driver)


def test_upload_a_binary_mesh_and_download_the_project(page, server, tmp_path):
    driver = page
    project = new_project(server, name="mesh upload")
    open_project(driver, server, project)
    mesh = bytes(range(256)) * 8
    source = tmp_path / "part.stl"
    source.write_bytes(mesh)
    field = driver.find_element(By.ID, "file-upload")
    driver.execute_script("arguments[0].hidden = false", field)
    field.send_keys(str(source))
    answer_prompt(driver, "assets/part.stl")
    wait(driver, lambda d: "assets/part.stl" in tree_files(d), LONG, "the upload is not in the tree")
    # the zip link of the file tree gives the whole project, the mesh byte for byte
    href = driver.find_element(By.ID, "file-zip").get_attribute("href")
    assert href.endswith(f"/api/projects/{project}/zip")
    with project_zip(server, project) as archive:
        assert archive.read("assets/part.stl") == mesh
        assert "env.py" in archive.namelist()
    # a binary file is not opened as text
    driver.find_element(By.CSS_SELECTOR, "#file-tree .file-open[data-path='assets/part.stl']").click()
    wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice") if "binary file" in n.text], 30, "no word about the binary file")


def test_a_lost_stream_offers_to_reconnect_and_run_again(page, server):
    driver = page
    project = new_project(server, name="reconnect")
    open_project(driver, server, project)
    # keep every stream socket the page opens, to cut one as a dropped network would
    driver.execute_script("""
        const Real = window.WebSocket;
        window.__sockets = [];
        window.WebSocket = class extends Real { constructor(...a) { super(...a); window.__sockets.push(this); } };""")
    driver.find_element(By.CSS_SELECTOR, "input[name=view][value=render]").click()
    driver.find_element(By.ID, "max-steps").clear()
    driver.find_element(By.ID, "max-steps").send_keys("100000")
    click(driver, "Run")
    wait(driver, lambda d: d.execute_script("return window.__sockets.length && window.__sockets[0].readyState === 1"), LONG, "the stream never opened")
    wait(driver, lambda d: d.find_element(By.ID, "overlay").text.strip(), LONG, "no frame arrived")
    driver.execute_script("window.__sockets[0].close(4000, 'cut')")
    notice = wait(driver, lambda d: [n for n in d.find_elements(By.CSS_SELECTOR, ".notice.error") if "connection to the simulation was lost" in n.text], 30, "the loss was not shown")[0]
    assert "lost (code" in driver.find_element(By.ID, "console").text
    notice.find_element(By.XPATH, ".//button[normalize-space()='Reconnect and run again']").click()
    wait(driver, lambda d: d.execute_script("return window.__sockets.length") == 2, 30, "no new stream")
    wait(driver, lambda d: d.execute_script("return window.__sockets[1].readyState === 1"), LONG)
    wait(driver, lambda d: d.find_element(By.ID, "stop").is_enabled(), 30)
    click(driver, "Stop")
    wait(driver, lambda d: "ended: stopped" in d.find_element(By.ID, "summary").text, LONG, "the new run did not end with a summary")


def test_a_folder_folds_and_stays_folded_after_a_reload(page, server):
    driver = page
    project = new_project(server, name="folders")
    put_file(server, project, "assets/a.xml", "<mujoco/>\n")
    put_file(server, project, "assets/deeper/b.xml", "<mujoco/>\n")
    open_project(driver, server, project)
    wait(driver, lambda d: "assets/deeper/b.xml" in tree_files(d), LONG)
    click(driver, "Fold folder assets")
    wait(driver, lambda d: not [p for p in tree_files(d) if p.startswith("assets/")], 10, "the folder did not fold")
    assert "env.py" in tree_files(driver)
    driver.refresh()
    wait(driver, lambda d: "env.py" in tree_files(d), LONG)
    assert not [p for p in tree_files(driver) if p.startswith("assets/")]
    click(driver, "Unfold folder assets")
    wait(driver, lambda d: "assets/deeper/b.xml" in tree_files(d), 10, "the folder did not unfold")
