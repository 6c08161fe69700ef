"""Pasting an image into the chat attaches it to that one message, and the vendor gets it:
a real headless chromium, a real `tau serve` and the loopback OpenAI-format vendor."""

from __future__ import annotations

import base64
import json
import struct
import zlib

from selenium.webdriver.common.by import By

from test_ide import LONG, click, new_project, open_project, wait


def tiny_png() -> bytes:
    """A 2x2 red PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def vendor_requests(vendor):
    if not vendor.requests_log.exists():
        return []
    return [json.loads(line) for line in vendor.requests_log.read_text().splitlines() if line.strip()]


def images_in(request):
    parts = [p for m in request["body"].get("messages", []) if isinstance(m.get("content"), list) for p in m["content"]]
    return [p for p in parts if p.get("type") == "image_url"]


def test_a_pasted_image_goes_with_one_message(page, server, vendor):
    driver = page
    project = new_project(server, name="pasted image")
    vendor.answer([{"content": json.dumps({"reply": "I see a red square.", "proposals": []})}])
    open_project(driver, server, project)
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#provider option[value=openai]"), 30)
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], "clip.png", {type: "image/png"}));
        document.getElementById('chat-input').dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));""",
        base64.b64encode(tiny_png()).decode())
    chip = wait(driver, lambda d: (lambda c: c if c.is_displayed() else None)(d.find_element(By.ID, "ctx-attached")), 10, "no chip for the pasted image")
    assert "pasted image" in chip.text
    before = len(vendor_requests(vendor))
    driver.find_element(By.ID, "chat-input").send_keys("what colour is this?")
    click(driver, "Send")
    wait(driver, lambda d: "red square" in d.find_element(By.ID, "chat-log").text, LONG, "no answer")
    assert not driver.find_element(By.ID, "ctx-attached").is_displayed()
    sent = vendor_requests(vendor)[before:]
    assert sent and images_in(sent[-1]), "the vendor got no image"
    assert images_in(sent[-1])[0]["image_url"]["url"].startswith("data:image/png;base64,")
    # the next message goes without it
    vendor.answer([{"content": json.dumps({"reply": "no picture now", "proposals": []})}])
    driver.find_element(By.ID, "chat-input").send_keys("and now?")
    click(driver, "Send")
    wait(driver, lambda d: "no picture now" in d.find_element(By.ID, "chat-log").text, LONG)
    assert not images_in(vendor_requests(vendor)[-1])


def test_the_current_view_goes_to_a_vision_model(page, server, vendor):
    driver = page
    project = new_project(server, name="current view")
    vendor.answer([{"content": json.dumps({"reply": "A cart and a pole.", "proposals": []})}])
    open_project(driver, server, project)
    wait(driver, lambda d: d.execute_script("return Boolean(window.tauViewer && window.tauViewer.stats().epoch)"), LONG, "the 3D view never loaded")
    driver.find_element(By.ID, "tab-assistant").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#provider option[value=openai]"), 30)
    driver.execute_script("const s=document.getElementById('provider'); s.value='openai'; s.dispatchEvent(new Event('change'))")
    driver.find_element(By.ID, "ctx-frame").click()
    before = len(vendor_requests(vendor))
    driver.find_element(By.ID, "chat-input").send_keys("what do you see?")
    click(driver, "Send")
    wait(driver, lambda d: "A cart and a pole." in d.find_element(By.ID, "chat-log").text, LONG, "no answer")
    sent = vendor_requests(vendor)[before:]
    images = images_in(sent[-1])
    assert images and images[0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert len(base64.b64decode(images[0]["image_url"]["url"].split(",", 1)[1])) > 1000
