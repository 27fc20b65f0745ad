"""Helpers for the web app's end-to-end tests: headless Chromium through WebDriver, controls
found the way Testing Library's getByRole finds them (the browser's computed role and
accessible name), users made through the API, and a TCP proxy the tests can cut."""
import json
import os
import socket
import struct
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid
import zlib

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By

GATEWAY = os.environ.get("PARLEY_URL", "http://127.0.0.1:8080")
ARTIFACTS = os.environ.get("E2E_ARTIFACTS", os.path.join(os.path.dirname(__file__), "artifacts"))
TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "15"))

# Elements that can carry each role, to keep the search short; the role itself is the browser's.
CANDIDATES = {
    "button": "button, [role=button], input[type=submit], input[type=button]",
    "textbox": "input:not([type]), input[type=text], input[type=password], input[type=email], textarea, [role=textbox]",
    "searchbox": "input[type=search], [role=searchbox]",
    "link": "a[href], [role=link]",
    "radio": "input[type=radio], [role=radio]",
    "heading": "h1, h2, h3, h4, h5, h6, [role=heading]",
    "img": "img, [role=img]",
    "progressbar": "progress, [role=progressbar]",
    "menuitem": "[role=menuitem]",
    "article": "article, [role=article]",
    "listitem": "li, [role=listitem]",
    "dialog": "[role=dialog], dialog",
    "navigation": "nav, [role=navigation]",
    "log": "[role=log]",
    "status": "[role=status], output",
    "complementary": "aside, [role=complementary]",
    "region": "section[aria-label], section[aria-labelledby], [role=region]",
    "separator": "[role=separator], hr",
    "checkbox": "input[type=checkbox], [role=checkbox]",
    "combobox": "select, [role=combobox]",
    "list": "ul, ol, [role=list]",
    "form": "form, [role=form]",
    "group": "fieldset, details, [role=group]",
    "timer": "[role=timer]",
    "option": "option, [role=option]",
}


def api(method, path, body=None, token=None):
    request = urllib.request.Request(GATEWAY + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            data = reply.read()
            return reply.status, json.loads(data) if data else None
    except urllib.error.HTTPError as error:
        data = error.read()
        return error.code, json.loads(data) if data else None


def new_user(display_name):
    """A user made through the API: (username, password, token, user)."""
    username = display_name.lower()[:8] + "_" + uuid.uuid4().hex[:8]
    status, reply = api("POST", "/auth/register", {"username": username, "password": "e2e password 1", "display_name": display_name})
    assert status == 201, (status, reply)
    return username, "e2e password 1", reply["token"], reply["user"]


def room_with(owner_token, name, *member_tokens, type="public"):
    """A room of the owner's (made through the API) that the others joined."""
    status, room = api("POST", "/rooms", {"name": name, "type": type}, owner_token)
    assert status == 201, (status, room)
    for token in member_tokens:
        status, reply = api("POST", f"/rooms/{room['id']}/join", {}, token)
        assert status in (200, 204), (status, reply)
    return room


class Browser:
    """One headless Chromium: a person at a browser."""

    def __init__(self, name, width=1280, height=900, base=GATEWAY, flags=()):
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--window-size={width},{height}", *flags):
            options.add_argument(flag)
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        service = webdriver.ChromeService(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(options=options, service=service)
        if width < 500:
            # Chromium's windows are at least 500 px wide: narrower is a phone's screen, emulated.
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
        self.name = name
        self.base = base

    def open(self, route="#/"):
        self.driver.get(self.base + "/" + route)

    def go(self, route):
        self.driver.execute_script("location.hash = arguments[0]", route)

    def quit(self):
        self.driver.quit()

    def screenshot(self, label):
        os.makedirs(ARTIFACTS, exist_ok=True)
        path = os.path.join(ARTIFACTS, f"{label}-{self.name}.png")
        self.driver.save_screenshot(path)
        return path

    # Finding controls by role and accessible name.

    def all_by_role(self, role, name=None, within=None, exact=True):
        # `within` may be a function that finds the container anew on each try (it may be redrawn).
        scope = (within() if callable(within) else within) or self.driver
        found = []
        for element in scope.find_elements(By.CSS_SELECTOR, CANDIDATES[role]):
            try:
                # Chromium names the img role "image"; a password field has no role in ARIA but is
                # the textbox "Password" to UI.md.
                computed = "img" if element.aria_role == "image" else element.aria_role
                if computed != role and not (role == "textbox" and element.get_attribute("type") == "password"):
                    continue
                if name is not None:
                    label = element.accessible_name.strip()
                    if (label != name) if exact else (name not in label):
                        continue
                found.append(element)
            except (StaleElementReferenceException, WebDriverException):
                continue
        return found

    def by_role(self, role, name=None, within=None, exact=True, timeout=TIMEOUT):
        return self.wait(lambda: (self.all_by_role(role, name, within, exact) or [None])[0], f"{role} {name!r}", timeout)

    def wait(self, condition, what, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = condition()
                if value:
                    return value
            except (StaleElementReferenceException, WebDriverException) as error:
                last_error = error
            time.sleep(0.05)
        self.screenshot("timeout")
        raise AssertionError(f"{self.name}: no {what} within {timeout} s" + (f" ({last_error})" if last_error else ""))

    def type_into(self, role, name, text, within=None):
        box = self.by_role(role, name, within)
        box.clear()
        box.send_keys(text)
        return box

    def click(self, role, name, within=None, exact=True):
        element = self.by_role(role, name, within, exact)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", element)
        element.click()
        return element

    def text_of(self, role, name):
        return self.by_role(role, name).text

    # Flows every test uses.

    def sign_in(self, username, password):
        self.open("#/login")
        self.type_into("textbox", "Username", username)
        self.type_into("textbox", "Password", password)
        self.click("button", "Sign in")
        self.by_role("navigation", "Rooms")

    def open_room(self, name):
        self.click("link", name, within=self.by_role("navigation", "Rooms"), exact=False)
        self.wait(lambda: self.by_role("heading", name).is_displayed(), f"heading {name}")

    def messages(self):
        return self.all_by_role("article", within=self.by_role("log", "Messages"))

    def wait_for_message(self, text, timeout=TIMEOUT):
        return self.wait(lambda: next((m for m in self.messages() if text in m.text), None), f"message {text!r}", timeout)


class CuttableProxy:
    """A TCP proxy in front of the gateway that a test can cut: `cut()` drops every connection
    through it and refuses new ones until `restore()` (`refused` counts them), as a network that
    went away would."""

    def __init__(self, target_port=8080):
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.open = True
        self.refused = 0
        self.connections = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def cut(self):
        with self.lock:
            self.open = False
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            self.connections.clear()

    def restore(self):
        with self.lock:
            self.open = True

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            with self.lock:
                if not self.open:
                    self.refused += 1
                    client.close()
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                except OSError:
                    client.close()
                    continue
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.close()
                except OSError:
                    pass


class BrowserTestCase(unittest.TestCase):
    """Quits every browser a test opened, and saves each one's screen when the test ends."""

    def setUp(self):
        self.browsers = []

    def tearDown(self):
        for browser in self.browsers:
            try:
                browser.screenshot(self._testMethodName)
            finally:
                browser.quit()

    def browser(self, name, **options):
        browser = Browser(name, **options)
        self.browsers.append(browser)
        return browser


def png(width, height, rgb=(200, 60, 40)):
    """A plain PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
