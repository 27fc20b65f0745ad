"""The user manual's screenshots (docs/manual), taken by walking each flow a chapter shows, in a
1100x760 window, with a small team's realistic rooms and messages made through the API. Each
test also checks what its pictures show (the dialog is open, the hit is there), so it is a test
like the others.

The pictures go to docs/manual/images/ with MANUAL_IMAGES=1 (to refresh the committed ones),
otherwise to the artifacts folder (E2E_ARTIFACTS/manual), so an ordinary run rewrites nothing:

    flock /tmp/parley-stack.lock bash -c 'web/build && MANUAL_IMAGES=1 web/e2e/run test_manual'

The tests run in their numbered order, one chapter after the other, on one cast of people (made
once, by the first test that needs them); each also runs alone."""
import os
import re
import struct
import tempfile
import unittest
import urllib.error
import urllib.request
import uuid
import json
import zlib
from urllib.parse import quote

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import harness
from harness import GATEWAY, BrowserTestCase, api
from test_sessions import totp

harness.CANDIDATES.setdefault("combobox", "select, [role=combobox]")
harness.CANDIDATES.setdefault("checkbox", "input[type=checkbox], [role=checkbox]")
harness.CANDIDATES.setdefault("list", "ul, ol, [role=list]")
harness.CANDIDATES.setdefault("form", "form, [role=form]")
harness.CANDIDATES.setdefault("option", "[role=option], option")
harness.CANDIDATES.setdefault("listbox", "[role=listbox], select[multiple]")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGES = (
    os.path.join(ROOT, "docs", "manual", "images")
    if os.environ.get("MANUAL_IMAGES") == "1"
    else os.path.join(harness.ARTIFACTS, "manual")
)
WIDTH, HEIGHT = 1100, 760
PASSWORD = "correct horse battery"

# Devices for the sessions list (the API's callers name themselves by their User-Agent).
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"


def login(username, password, agent=None, totp_code=None):
    body = {"username": username, "password": password}
    if totp_code:
        body["totp_code"] = totp_code
    request = urllib.request.Request(GATEWAY + "/auth/login", method="POST", data=json.dumps(body).encode())
    request.add_header("content-type", "application/json")
    if agent:
        request.add_header("user-agent", agent)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Person:
    """Someone of the cast: registered (or, on a stack that has them already, signed in), with a
    token for the API that is renewed when a test ended the session it belonged to."""

    def __init__(self, username, display_name):
        self.display_name = display_name
        status, reply = api("POST", "/auth/register", {"username": username, "password": PASSWORD, "display_name": display_name})
        if status == 409:
            status, reply = login(username, PASSWORD)
            if status != 200:  # someone else's account of that name: a name of our own
                username = f"{username[:12]}_{uuid.uuid4().hex[:6]}"
                status, reply = api("POST", "/auth/register", {"username": username, "password": PASSWORD, "display_name": display_name})
        assert status in (200, 201), (status, reply)
        self.username = username
        self.token = reply["token"]
        self.user = reply["user"]
        self.id = self.user["id"]

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        status, reply = api(method, path, body, self.token)
        if status == 401:
            status, fresh = login(self.username, PASSWORD)
            assert status == 200, (status, fresh)
            self.token = fresh["token"]
            status, reply = api(method, path, body, self.token)
        assert status in expect, (method, path, status, reply)
        return reply

    def say(self, room, content, parent=None):
        body = {"content": content}
        if parent:
            body["parent_id"] = parent["id"]
        return self.call("POST", f"/rooms/{room['id']}/messages", body)

    def react(self, message, emoji):
        self.call("POST", f"/messages/{message['id']}/reactions", {"emoji": emoji}, expect=(200, 201, 409))

    def read(self, message):
        self.call("POST", f"/messages/{message['id']}/read")

    def join(self, room, password=None):
        self.call("POST", f"/rooms/{room['id']}/join", {"password": password} if password else {}, expect=(200, 201, 204, 409))


class World:
    """A design team's Parley: rooms, messages, reactions, a thread, a direct message and the
    notifications they make, as the chapters show them."""

    def __init__(self):
        self.alice = Person("alice", "Alice Martin")
        self.bob = Person("bob", "Bob Chen")
        self.carol = Person("carol", "Carol Diaz")
        self.dan = Person("dan", "Dan Okafor")
        self.erin = Person("erin", "Erin Walsh")
        self.frank = Person("frank", "Frank Moreau")
        self.grace = Person("grace", "Grace Kim")
        alice, bob, carol, dan, erin = self.alice, self.bob, self.carol, self.dan, self.erin

        self.frontend = bob.call("POST", "/rooms", {"name": "frontend", "type": "public", "description": "Components, builds and the docs site"})
        bob.say(self.frontend, "Vite or esbuild for the docs site? I lean towards esbuild.")
        self.book_club = carol.call("POST", "/rooms", {"name": "book-club", "type": "public", "description": "One book a month; ask Carol for the password", "password": "chapter one"})
        carol.say(self.book_club, "This month: *The Left Hand of Darkness*.")

        self.random = alice.call("POST", "/rooms", {"name": "random", "type": "public", "description": "Anything that is not work"})
        for person in (bob, carol, dan, erin, self.frank):
            person.join(self.random)
        dan.say(self.random, "Anyone up for the quiz night on Friday?")
        carol.say(self.random, "Count me in!")
        self.spam = erin.say(self.random, "Get 1,000 followers overnight!!! https://cheap-followers.example")

        self.release = alice.call("POST", "/rooms", {"name": "release-planning", "type": "private", "description": "What ships when"})
        for person in (bob, carol):
            alice.call("POST", f"/rooms/{self.release['id']}/members", {"user_id": person.id})
        alice.say(self.release, "Release 2.4 is planned for **March 14**. Scope: onboarding, dark mode, search filters.")

        self.design = alice.call("POST", "/rooms", {"name": "design", "type": "public", "description": "Mockups, reviews and the style guide"})
        for person in (bob, carol, dan, self.frank):
            person.join(self.design)
        alice.call("PATCH", f"/rooms/{self.design['id']}/members/{bob.id}/role", {"role": "admin"})
        self.mockups = bob.say(self.design, "Morning! The new **onboarding** mockups are up: https://example.com/files/onboarding-v3")
        carol.say(self.design, "Looks great. Could the sign-up form keep to *three* fields? Name, email, password.")
        self.ask = alice.say(self.design, f"Agreed. @{bob.username} can you add the error states as well?")
        self.contrast = dan.say(self.design, "Heads-up: the `primary` button colour fails contrast on dark backgrounds.")
        bob.say(self.design, "Good catch, I'll darken it in ~~v2~~ v3 of the palette.", parent=self.contrast)
        dan.say(self.design, "Thanks! I'll check it again on Thursday.", parent=self.contrast)
        self.states = bob.say(self.design, "Error states are in the file now, page 4.")
        self.last = alice.say(self.design, "Perfect, I'll review them after lunch.")
        for person, emoji in ((carol, "👍"), (dan, "👍"), (alice, "🎉")):
            person.react(self.mockups, emoji)
        carol.react(self.states, "❤️")
        for person in (bob, carol, dan):
            person.read(self.last)
        alice.call("POST", f"/rooms/{self.design['id']}/invites", {"max_uses": 10, "expires_in_seconds": 604_800})

        # What Alice has not read yet: a mention, a reply, a direct message, being added.
        bob.say(self.release, f"@{alice.username} the release notes draft is ready for review.")
        carol.say(self.release, "QA sign-off by Wednesday; the onboarding flow still has two open bugs.")
        carol.say(self.design, "I can pair with Bob on those this afternoon.", parent=self.ask)
        self.hiring = dan.call("POST", "/rooms", {"name": "hiring", "type": "private", "description": "Interview loops and feedback"})
        dan.call("POST", f"/rooms/{self.hiring['id']}/members", {"user_id": alice.id})
        dan.say(self.hiring, "Let's collect interview feedback for the designer role here.")
        self.direct = bob.call("POST", "/rooms", {"type": "direct", "user_id": alice.id})
        bob.say(self.direct, "Lunch at 12:30? The new ramen place on Fifth.")



_world = None


def world():
    global _world
    if _world is None:
        _world = World()
    return _world


def png(width, height, draw):
    """A PNG of `width` x `height` whose pixel (x, y) is `draw(x, y)` (an RGB tuple)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw.extend(draw(x, y))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


def mockup(width=720, height=450):
    """A sign-up screen's mockup: a header, a card with three fields and a button."""
    boxes = [
        ((0, 0, width, 56), (35, 87, 198)),  # header
        ((24, 18, 150, 38), (255, 255, 255)),  # logo
        ((210, 90, 510, 410), (255, 255, 255)),  # card
        ((240, 120, 420, 140), (40, 48, 60)),  # title
        ((240, 170, 480, 206), (232, 236, 242)),  # name
        ((240, 222, 480, 258), (232, 236, 242)),  # email
        ((240, 274, 480, 310), (232, 236, 242)),  # password
        ((240, 340, 480, 380), (35, 87, 198)),  # button
    ]

    def draw(x, y):
        colour = (244, 246, 251)
        for (left, top, right, bottom), fill in boxes:
            if left <= x < right and top <= y < bottom:
                colour = fill
        return colour

    return png(width, height, draw)


GUIDELINES_PDF = b"""%PDF-1.4
1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj
2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj
3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]>> endobj
xref
0 4
0000000000 65535 f 
trailer <</Size 4 /Root 1 0 R>>
startxref
0
%%EOF
""" + b"".join(b"%% brand guidelines, page %d: colours, type, logo, voice and tone\n" % (n % 120 + 1) for n in range(2400))


class ManualScreenshots(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.world = world()

    # Helpers.

    def window(self, name):
        """A browser whose page is exactly the manual's 1100x760 (a headless window's page is
        shorter than the window)."""
        browser = self.browser(name, width=WIDTH, height=HEIGHT)
        browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        return browser

    def person(self, who, route=None):
        """A browser of the manual's size, signed in as `who` (a Person)."""
        browser = self.window(who.username)
        browser.sign_in(who.username, PASSWORD)
        browser.wait(lambda: browser.text_of("status", "Connection") == "Connected", "Connected")
        if route:
            browser.go(route)
        return browser

    def shot(self, browser, name, hover=None):
        """Saves what `browser` shows as images/`name`: once fonts are in, pictures loaded, the
        pointer resting on `hover` (or on nothing that reacts to it)."""
        driver = browser.driver
        if hover is not None:
            ActionChains(driver).move_to_element(hover).perform()
        else:  # the top left corner: the app's name, or a dialog's backdrop
            driver.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 4, "y": 4})
        driver.execute_async_script("document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(arguments[0])))")
        browser.wait(lambda: driver.execute_script("return [...document.images].every((image) => image.complete)"), "the pictures to load")
        os.makedirs(IMAGES, exist_ok=True)
        path = os.path.join(IMAGES, name)
        self.assertTrue(driver.save_screenshot(path), path)
        with open(path, "rb") as file:
            width, height = struct.unpack(">II", file.read()[16:24])
        self.assertEqual((width, height), (WIDTH, HEIGHT), f"{name}: the window's size")
        return path

    def open_room(self, browser, name):
        browser.open_room(name)
        browser.wait(lambda: browser.messages(), f"the messages of {name}")

    def message(self, browser, text):
        article = browser.wait_for_message(text)
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", article)
        return article

    def menu(self, browser, article):
        """Opens a message's "More actions" menu; its items' names."""
        browser.driver.execute_script("arguments[0].focus()", article)
        browser.click("button", "More actions", within=article)
        return [item.accessible_name for item in browser.all_by_role("menuitem", within=article) if item.is_displayed()]

    def notice(self, browser, text):
        return browser.wait(lambda: text in browser.driver.find_element("css selector", ".notice").text, f"the notice {text!r}")

    def scroll_to(self, browser, element):
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)

    def section(self, browser, region, title):
        """A settings section by its heading (level 2), scrolled to the top of the page."""
        heading = browser.by_role("heading", title, within=region)
        self.scroll_to(browser, heading)
        return heading.find_element("xpath", "..")

    def close_dialog(self, browser, name):
        ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()
        browser.wait(lambda: not browser.all_by_role("dialog", name), f"the dialog {name} to close")

    # 1. Getting started.

    def test_01_signing_in_and_creating_an_account(self):
        w = self.world
        browser = self.window("newcomer")
        browser.open("#/login")
        browser.by_role("heading", "Sign in to Parley")
        browser.type_into("textbox", "Username", w.alice.username)
        browser.type_into("textbox", "Password", PASSWORD)
        browser.by_role("button", "Sign in")
        self.shot(browser, "getting-started-sign-in.png")

        browser.click("link", "Create account")
        browser.by_role("heading", "Create your Parley account")
        username = f"henry_{uuid.uuid4().hex[:4]}"
        browser.type_into("textbox", "Username", username)
        browser.type_into("textbox", "Password", PASSWORD)
        browser.type_into("textbox", "Display name", "Henry Ito")
        self.shot(browser, "getting-started-create-account.png")
        browser.click("button", "Create account")
        browser.by_role("heading", "Welcome, Henry Ito")
        self.assertIn("No rooms yet", browser.by_role("navigation", "Rooms").text)

    def test_02_the_shell(self):
        w = self.world
        alice = self.person(w.alice)
        self.open_room(alice, "design")
        nav = alice.by_role("navigation", "Rooms")
        for name in ("design", "random", "release-planning", "hiring", "Bob Chen"):
            alice.by_role("link", name, within=nav, exact=False)
        release = alice.by_role("link", "release-planning", within=nav, exact=False)
        alice.wait(lambda: release.accessible_name.replace(" ,", ",") == "release-planning, 2 unread", "release-planning, 2 unread")
        alice.by_role("button", "Notifications, 4 unread")
        alice.by_role("link", "Help")
        alice.wait(lambda: alice.driver.title == "(4) design · Parley", "the count in the tab's title")
        self.shot(alice, "getting-started-shell.png")

    # 2. Rooms and invites.

    def test_03_a_new_room(self):
        alice = self.person(self.world.alice)
        alice.click("button", "New room")
        dialog = alice.by_role("dialog", "New room")
        alice.type_into("textbox", "Room name", "marketing", within=dialog)
        alice.type_into("textbox", "Description", "Campaigns, launch copy and the newsletter", within=dialog)
        self.assertTrue(alice.by_role("radio", "Public", within=dialog).is_selected(), "public by default")
        alice.by_role("textbox", "Room password", within=dialog)
        self.shot(alice, "rooms-new-room.png")
        alice.click("button", "Create", within=dialog)
        alice.by_role("heading", "marketing")
        alice.by_role("link", "marketing", within=alice.by_role("navigation", "Rooms"), exact=False)

    def test_04_browsing_and_joining_a_room_with_a_password(self):
        alice = self.person(self.world.alice)
        alice.click("button", "Browse rooms")
        dialog = alice.by_role("dialog", "Browse rooms")
        entry = lambda name: alice.wait(lambda: next((item for item in alice.all_by_role("listitem", within=dialog) if item.text.startswith(name)), None), f"the entry {name}")
        alice.by_role("button", "Open", within=entry("design"))
        alice.click("button", "Join", within=entry("book-club"))
        password = alice.by_role("textbox", "Room password", within=entry("book-club"))
        password.send_keys("chapter one")
        alice.by_role("button", "Join", within=entry("frontend"))
        self.shot(alice, "rooms-browse.png")
        alice.click("button", "Join", within=entry("book-club"))
        alice.by_role("heading", "book-club")
        alice.wait_for_message("The Left Hand of Darkness")

    def test_05_a_direct_message(self):
        alice = self.person(self.world.alice)
        alice.click("button", "New direct message")
        dialog = alice.by_role("dialog", "New direct message")
        alice.type_into("searchbox", "Search people", "car", within=dialog)
        alice.by_role("button", "Carol Diaz", within=dialog)
        self.shot(alice, "rooms-direct-message.png")
        alice.click("button", "Carol Diaz", within=dialog)
        alice.by_role("heading", "Carol Diaz")
        alice.by_role("textbox", "Message").send_keys("Hi Carol! Do you have a minute for the sign-up copy?", Keys.ENTER)
        alice.wait(lambda: "Delivered" in alice.wait_for_message("a minute for the sign-up copy").text.split("\n"), "Delivered")

    def test_06_an_invite_link(self):
        w = self.world
        alice = self.person(w.alice)
        self.open_room(alice, "release-planning")
        alice.click("button", "Invite people")
        dialog = alice.by_role("dialog", "Invite people")
        link_box = alice.by_role("textbox", "Invite link", within=dialog)
        link = alice.wait(lambda: link_box.get_attribute("value"), "the invite link")
        self.assertRegex(link, r"/#/invite/[\w-]+$")
        alice.wait(lambda: "Anyone with the link can join" in dialog.text, "how long the link works")
        alice.type_into("searchbox", "Search people", "grace", within=dialog)
        alice.by_role("button", "Add Grace Kim", within=dialog)
        self.shot(alice, "rooms-invite-people.png")

        grace = self.person(w.grace)
        grace.driver.get(link)
        grace.by_role("heading", "release-planning")
        grace.wait(lambda: "What ships when" in grace.driver.find_element("css selector", ".page.invite").text, "the room's description")
        grace.by_role("button", "Join")
        self.shot(grace, "rooms-invite-page.png")
        grace.click("button", "Join")
        grace.wait(lambda: grace.all_by_role("log", "Messages"), "the room")
        grace.by_role("link", "release-planning", within=grace.by_role("navigation", "Rooms"), exact=False)

    # 3. Messages and threads.

    def test_07_a_conversation(self):
        w = self.world
        alice, bob = self.person(w.alice), self.person(w.bob)
        self.open_room(alice, "design")
        self.open_room(bob, "design")
        mockups = alice.wait_for_message("onboarding")
        self.assertIn("<strong>onboarding</strong>", mockups.get_attribute("innerHTML"))
        self.assertTrue(mockups.find_elements("css selector", "a[href^='https://example.com/']"), "the address as a link")
        alice.by_role("button", "👍 2", within=mockups)
        self.assertEqual(alice.by_role("button", "🎉 1", within=mockups).get_attribute("aria-pressed"), "true")
        asked = alice.wait_for_message("error states as well")
        alice.by_role("button", "1 reply", within=asked)
        self.assertTrue(asked.find_elements("css selector", ".mention"), "the mention")
        alice.wait(lambda: "Read by 3" in alice.wait_for_message("review them after lunch").text, "Read by 3")
        alice.by_role("button", "2 replies", within=alice.wait_for_message("fails contrast"))
        bob.by_role("textbox", "Message").send_keys("One more thing about the empty states")
        alice.wait(lambda: alice.text_of("status", "Typing") == "Bob Chen is typing…", "Bob Chen is typing…")
        self.shot(alice, "messages-conversation.png")

    def test_08_the_actions_of_a_message_and_editing(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        # A message with room below it: the last one's menu would run past the end of the log.
        own = self.message(alice, "error states as well")
        self.assertEqual(self.menu(alice, own), ["Edit", "Delete", "Pin", "Copy link"])
        self.shot(alice, "messages-actions.png", hover=own)
        ActionChains(alice.driver).send_keys(Keys.ESCAPE).perform()

        composer = alice.by_role("textbox", "Message")
        composer.click()
        composer.send_keys(Keys.ARROW_UP)
        alice.wait(lambda: composer.get_attribute("value") == "Perfect, I'll review them after lunch.", "the last message in the box")
        alice.wait(lambda: alice.driver.find_element("css selector", ".edit-hint").is_displayed(), "the editing hint")
        composer.send_keys(Keys.END, Keys.BACKSPACE, " (around 2 pm).")
        self.shot(alice, "messages-editing.png")
        composer.send_keys(Keys.ENTER)
        alice.wait(lambda: "(edited)" in alice.wait_for_message("around 2 pm").text, "(edited)")

    def test_09_reactions(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        states = self.message(alice, "Error states are in the file")
        alice.driver.execute_script("arguments[0].focus()", states)
        alice.click("button", "Add reaction", within=states)
        picker = alice.by_role("dialog", "Emoji picker")
        alice.type_into("searchbox", "Search emoji", "party", within=picker)
        alice.by_role("button", "party popper", within=picker)
        self.shot(alice, "messages-emoji-picker.png")
        alice.click("button", "party popper", within=picker)
        pressed = alice.wait(lambda: alice.all_by_role("button", "🎉 1", within=lambda: alice.wait_for_message("Error states are in the file")), "🎉 1")[0]
        self.assertEqual(pressed.get_attribute("aria-pressed"), "true")

    def test_10_a_thread(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        alice.click("button", "2 replies", within=self.message(alice, "fails contrast"))
        thread = alice.by_role("complementary", "Thread")
        replies = lambda: alice.by_role("log", "Thread messages", within=thread)
        alice.wait(lambda: len(alice.all_by_role("article", within=replies)) == 2, "the two replies")
        box = alice.by_role("textbox", "Reply", within=thread)
        box.send_keys("Let's use the new grey for disabled buttons too.", Keys.ENTER)
        alice.wait(lambda: len(alice.all_by_role("article", within=replies)) == 3, "the new reply")
        self.assertIn("/threads/", alice.driver.current_url)
        self.shot(alice, "messages-thread.png")
        alice.click("button", "Close thread", within=thread)
        alice.wait(lambda: not alice.all_by_role("complementary", "Thread"), "the thread closed")

    # 4. Files.

    def test_11_files(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        folder = tempfile.mkdtemp()
        files = {"onboarding-mockup.png": mockup(), "brand-guidelines.pdf": GUIDELINES_PDF, "setup.exe": b"MZ\x90\x00" + os.urandom(2048)}
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as file:
                file.write(data)
        attach = alice.driver.find_element("css selector", "input[type=file][aria-label='Attach file']")
        uploads = lambda: alice.driver.find_element("css selector", ".uploads").text

        # A file that cannot be shared says why.
        attach.send_keys(os.path.join(folder, "setup.exe"))
        self.notice(alice, "setup.exe: That kind of file cannot be shared here.")
        self.shot(alice, "files-error.png")
        alice.wait(lambda: not alice.driver.find_element("css selector", ".notice").is_displayed(), "the note to go", timeout=10)

        attach.send_keys(os.path.join(folder, "onboarding-mockup.png") + "\n" + os.path.join(folder, "brand-guidelines.pdf"))
        alice.wait(lambda: "onboarding-mockup.png ✓" in uploads() and "brand-guidelines.pdf ✓" in uploads(), "both uploads done")
        alice.by_role("textbox", "Message").send_keys("The final sign-up mockup, and the brand guidelines for reference.")
        self.shot(alice, "files-attached.png")
        alice.by_role("textbox", "Message").send_keys(Keys.ENTER)
        # The upload rows made the log shorter, so it no longer counts as being at its end and
        # does not follow one's own new message: "Jump to newest" brings it, while that is so.
        jump = alice.driver.find_element("css selector", "button.jump")
        alice.wait(lambda: jump.is_displayed() or any("The final sign-up mockup" in m.text for m in alice.messages()), "the message or Jump to newest")
        if jump.is_displayed():
            jump.click()

        message = alice.wait_for_message("The final sign-up mockup")
        image = alice.by_role("img", "onboarding-mockup.png", within=message)
        alice.wait(lambda: alice.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image), "the thumbnail")
        card = message.find_element("css selector", ".file-card")
        self.assertIn("brand-guidelines.pdf", card.text)
        self.assertIn("application/pdf", card.text)
        alice.driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", message)
        self.shot(alice, "files-message.png")

        image.click()
        viewer = alice.by_role("dialog", "onboarding-mockup.png")
        full = alice.by_role("img", "onboarding-mockup.png", within=viewer)
        alice.wait(lambda: alice.driver.execute_script("return arguments[0].naturalWidth", full) == 720, "the full-size image")
        alice.by_role("button", "Download", within=viewer)
        self.shot(alice, "files-viewer.png")
        self.close_dialog(alice, "onboarding-mockup.png")

    # 5. Search.

    def test_12_search(self):
        w = self.world
        alice = self.person(w.alice)

        def indexed():
            status, page = api("GET", f"/search?q={quote('onboarding')}", token=w.alice.token)
            if status == 401:
                w.alice.call("GET", "/auth/me")
                return False
            return status == 200 and len(page["results"]) >= 3
        alice.wait(indexed, "the messages in the search index", timeout=30)

        search = alice.by_role("searchbox", "Search messages")
        search.send_keys("onboarding", Keys.ENTER)
        alice.by_role("heading", "Results for “onboarding”")
        region = lambda: alice.by_role("region", "Search results")
        hits = lambda: alice.all_by_role("article", within=region)
        alice.wait(lambda: len(hits()) == 3, "three hits")
        alice.by_role("heading", "design", within=region)
        alice.by_role("heading", "release-planning", within=region)
        self.assertTrue(all(hit.find_elements("css selector", "mark") for hit in hits()))
        alice.wait(lambda: "3 results" in alice.by_role("status", within=region).text, "3 results")
        self.shot(alice, "search-results.png")

        alice.click("button", "Has a link")
        alice.by_role("heading", "Results for “onboarding has:link”")
        alice.wait(lambda: len(hits()) == 1 and "mockups are up" in hits()[0].text, "only the message with a link")
        alice.wait(lambda: alice.by_role("button", "Has a link").get_attribute("aria-pressed") == "true", "the chip pressed")
        self.shot(alice, "search-filters.png")

        alice.by_role("link", within=hits()[0], exact=False).send_keys(Keys.ENTER)
        alice.by_role("heading", "design")
        alice.wait(lambda: alice.driver.find_elements("css selector", f"article.highlighted[data-message-id='{w.mockups['id']}']"), "the message, highlighted")

    # 6. Notifications.

    def test_13_notifications(self):
        alice = self.person(self.world.alice)
        alice.click("button", "Notifications, 4 unread")
        dialog = alice.by_role("dialog", "Notifications")
        items = lambda: alice.all_by_role("link", within=dialog)
        alice.wait(lambda: len(items()) == 4, "four notifications")
        texts = " ".join(item.text for item in items())
        for expected in ("release notes draft", "pair with Bob", "ramen", "hiring"):
            self.assertIn(expected, texts)
        alice.by_role("button", "Mark all as read", within=dialog)
        self.shot(alice, "notifications-list.png")

        alice.click("link", "release notes draft", within=dialog, exact=False)
        alice.by_role("heading", "release-planning")
        alice.by_role("button", "Notifications, 3 unread")
        level = alice.by_role("combobox", "Notification level")
        self.assertEqual(Select(level).first_selected_option.text, "Mentions only")
        Select(level).select_by_visible_text("All messages")
        self.notice(alice, "Notifications in release-planning: All messages.")
        self.shot(alice, "notifications-level.png", hover=level)

        alice.click("button", "Notifications, 3 unread")
        dialog = alice.by_role("dialog", "Notifications")
        alice.click("button", "Mark all as read", within=dialog)
        alice.by_role("button", "Notifications")
        self.close_dialog(alice, "Notifications")
        alice.wait(lambda: not alice.driver.title.startswith("("), "the title without a count")

    # 7. Moderation.

    def test_14_members_and_pins(self):
        w = self.world
        alice, bob = self.person(w.alice), self.person(w.bob)
        self.open_room(bob, "design")
        self.open_room(alice, "design")
        alice.click("button", "Members")
        panel = lambda: alice.by_role("complementary", "Members")
        row = lambda name: alice.wait(lambda: next((item for item in alice.all_by_role("listitem", within=panel) if name in item.text), None), f"{name} in the list")
        alice.wait(lambda: "online" in row("Bob Chen").text and "admin" in row("Bob Chen").text, "Bob Chen, admin, online")
        self.assertIn("owner", row("Alice Martin").text)
        self.assertEqual([b.text for b in alice.all_by_role("button", within=row("Carol Diaz"))][1:], ["Make admin", "Remove", "Mute", "Ban"])
        self.assertEqual([b.text for b in alice.all_by_role("button", within=row("Bob Chen"))][1:], ["Remove admin", "Remove", "Mute", "Ban"])
        self.shot(alice, "moderation-members.png")
        alice.click("button", "Members")

        mockups = self.message(alice, "mockups are up")
        self.menu(alice, mockups)
        alice.click("menuitem", "Pin", within=mockups)
        alice.click("button", "Pinned messages")
        pins = alice.by_role("complementary", "Pinned messages")
        alice.wait(lambda: "mockups are up" in pins.text, "the pin")
        alice.by_role("button", "Unpin the message from Bob Chen", within=pins)
        bob.click("button", "Pinned messages")
        bob.wait(lambda: "mockups are up" in bob.by_role("complementary", "Pinned messages").text, "the pin on Bob's side")
        self.shot(alice, "moderation-pins.png")

    def test_15_reporting_a_message(self):
        carol = self.person(self.world.carol)
        self.open_room(carol, "random")
        spam = self.message(carol, "followers overnight")
        self.assertIn("Report", self.menu(carol, spam))
        carol.click("menuitem", "Report", within=spam)
        dialog = carol.by_role("dialog", "Report message")
        carol.type_into("textbox", "Reason", "Spam: selling followers.", within=dialog)
        self.shot(carol, "moderation-report.png")
        carol.click("button", "Report", within=dialog)
        self.notice(carol, "Thanks: the admins will look at it.")

    def test_16_a_profile_and_blocking(self):
        w = self.world
        alice = self.person(w.alice)
        self.open_room(alice, "random")
        spam = self.message(alice, "followers overnight")
        alice.click("button", "Erin Walsh", within=spam)
        dialog = alice.by_role("dialog", "Profile")
        alice.wait(lambda: f"@{w.erin.username}" in dialog.text and "offline" in dialog.text, "Erin's profile, offline")
        alice.by_role("button", "Message", within=dialog)
        alice.by_role("button", "Block", within=dialog)
        self.shot(alice, "moderation-profile.png")
        alice.click("button", "Block", within=dialog)
        self.notice(alice, "Erin Walsh is blocked.")
        status, reply = api("POST", "/rooms", {"type": "direct", "user_id": w.alice.id}, w.erin.token)
        self.assertEqual((status, reply["error"]["code"]), (403, "blocked"))

    def test_17_mute_and_ban(self):
        w = self.world
        # Carol's report (test_15), should this test run alone.
        w.carol.call("POST", f"/messages/{w.spam['id']}/report", {"reason": "Spam: selling followers."}, expect=(200, 201, 204, 409))
        alice = self.person(w.alice)
        self.open_room(alice, "random")
        alice.click("button", "Members")
        panel = lambda: alice.by_role("complementary", "Members")
        row = lambda: alice.wait(lambda: next((item for item in alice.all_by_role("listitem", within=panel) if "Erin Walsh" in item.text), None), "Erin Walsh in the list")
        alice.click("button", "Mute", within=row)
        dialog = alice.by_role("dialog", "Mute Erin Walsh")
        duration = Select(alice.by_role("combobox", "Duration", within=dialog))
        self.assertEqual([option.text for option in duration.options], ["15 minutes", "1 hour", "8 hours", "1 day", "1 week"])
        self.assertEqual(duration.first_selected_option.text, "1 hour")
        self.shot(alice, "moderation-mute.png")
        alice.click("button", "Mute", within=dialog)
        self.notice(alice, "Erin Walsh is muted.")
        status, reply = api("POST", f"/rooms/{w.random['id']}/messages", {"content": "hello?"}, w.erin.token)
        self.assertEqual((status, reply["error"]["code"]), (403, "muted"))

        alice.click("button", "Ban", within=row)
        dialog = alice.by_role("dialog", "Ban Erin Walsh")
        alice.type_into("textbox", "Reason", "Spam links after a warning", within=dialog)
        self.shot(alice, "moderation-ban.png")
        alice.click("button", "Ban", within=dialog)
        self.notice(alice, "Erin Walsh is banned.")
        alice.wait(lambda: not any("Erin Walsh" in item.text for item in alice.all_by_role("listitem", within=panel)), "Erin gone from the list")

        alice.click("button", "Room settings")
        dialog = alice.by_role("dialog", "Room settings")
        bans = alice.by_role("heading", "Banned people", within=dialog)
        alice.wait(lambda: "Spam links after a warning" in dialog.text, "the ban and its reason")
        alice.by_role("button", "Unban Erin Walsh", within=dialog)
        alice.wait(lambda: "Reported by Carol Diaz: Spam: selling followers." in dialog.text, "the report")
        alice.by_role("button", "Resolve", within=dialog)
        alice.by_role("button", "Dismiss", within=dialog)
        self.scroll_to(alice, bans)
        self.shot(alice, "moderation-bans-and-reports.png")

    def test_18_room_settings(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        alice.click("button", "Room settings")
        dialog = alice.by_role("dialog", "Room settings")
        self.assertEqual(alice.by_role("textbox", "Room name", within=dialog).get_attribute("value"), "design")
        alice.by_role("textbox", "New room password", within=dialog)
        alice.wait(lambda: "used 0 of 10 times" in dialog.text, "the invite link made earlier")
        alice.by_role("button", "Create invite link", within=dialog)
        self.shot(alice, "moderation-room-settings.png")
        ownership = alice.by_role("heading", "Ownership", within=dialog)
        self.assertEqual([o.text for o in Select(alice.by_role("combobox", "New owner", within=dialog)).options], ["Bob Chen", "Carol Diaz", "Dan Okafor", "Frank Moreau"])
        alice.by_role("button", "Transfer ownership", within=dialog)
        alice.by_role("button", "Delete room", within=dialog)
        self.scroll_to(alice, ownership)
        self.shot(alice, "moderation-ownership.png")

    # 8. Two-factor authentication.

    def test_19_two_factor_authentication(self):
        w = self.world
        frank = self.person(w.frank, "#/settings")
        settings = lambda: frank.by_role("region", "Settings")
        section = self.section(frank, settings, "Two-factor authentication")
        frank.click("button", "Enable two-factor authentication", within=section)
        frank.by_role("img", "QR code", within=section)
        key = frank.by_role("img", "QR code", within=section).find_element("xpath", "ancestor::form//code")
        secret = re.sub(r"\s", "", key.get_attribute("textContent"))
        self.assertRegex(secret, r"^[A-Z2-7]{16,}$")
        code = frank.by_role("textbox", "Authentication code", within=section)
        code.send_keys(totp(secret))
        frank.type_into("textbox", "Current password", PASSWORD, within=section)
        self.section(frank, settings, "Two-factor authentication")
        self.shot(frank, "settings-2fa.png")

        frank.click("button", "Enable", within=section)
        codes = frank.wait(lambda: [item.text for item in frank.all_by_role("listitem", within=lambda: frank.by_role("list", "Recovery codes", within=section))], "the recovery codes")
        self.assertEqual(len(codes), 10)
        frank.by_role("button", "Download", within=section)
        self.section(frank, settings, "Two-factor authentication")
        self.shot(frank, "two-factor-recovery-codes.png")
        frank.click("button", "Done", within=section)
        frank.by_role("button", "Disable two-factor authentication", within=section)

        frank.click("button", "Sign out")
        frank.type_into("textbox", "Username", w.frank.username)
        frank.type_into("textbox", "Password", PASSWORD)
        frank.click("button", "Sign in")
        frank.by_role("heading", "Two-factor authentication")
        box = frank.by_role("textbox", "Authentication code")
        box.send_keys(totp(secret, 1))
        self.shot(frank, "two-factor-sign-in.png")
        frank.click("button", "Verify")
        frank.by_role("navigation", "Rooms")

        # Off again, with a recovery code, as when the phone is gone.
        frank.go("#/settings")
        section = self.section(frank, settings, "Two-factor authentication")
        frank.click("button", "Disable two-factor authentication", within=section)
        frank.type_into("textbox", "Authentication code", codes[0], within=section)
        frank.type_into("textbox", "Current password", PASSWORD, within=section)
        self.section(frank, settings, "Two-factor authentication")
        self.shot(frank, "two-factor-disable.png")
        frank.click("button", "Disable two-factor authentication", within=lambda: frank.by_role("textbox", "Authentication code").find_element("xpath", "./ancestor::form"))
        frank.by_role("button", "Enable two-factor authentication", within=section)
        self.assertEqual(login(w.frank.username, PASSWORD)[0], 200)

    # 9. Settings.

    def test_20_profile(self):
        alice = self.person(self.world.alice, "#/settings")
        settings = lambda: alice.by_role("region", "Settings")
        self.assertEqual(alice.by_role("textbox", "Display name", within=settings).get_attribute("value"), "Alice Martin")
        alice.type_into("textbox", "Status message", "Reviewing mockups until 3 pm", within=settings)
        alice.click("button", "Save", within=settings)
        alice.wait(lambda: "Your profile is saved." in settings().text, "the profile saved")
        self.shot(alice, "settings-profile.png")

    def test_21_sessions(self):
        w = self.world
        # Alice is signed in on her phone and her laptop, and nowhere else.
        status, phone = login(w.alice.username, PASSWORD, agent=IPHONE)
        self.assertEqual(status, 200, phone)
        self.assertEqual(api("DELETE", "/auth/sessions", token=phone["token"])[0], 204)
        self.assertEqual(login(w.alice.username, PASSWORD, agent=WINDOWS_FIREFOX)[0], 200)
        alice = self.person(w.alice, "#/settings")
        settings = lambda: alice.by_role("region", "Settings")
        sessions = lambda: alice.by_role("list", "Sessions", within=settings)
        items = lambda: alice.all_by_role("listitem", within=sessions)
        alice.wait(lambda: len(items()) == 3, "three sessions")
        texts = [item.text for item in items()]
        self.assertIn("This device", texts[0])
        self.assertTrue(any("Safari on iOS" in text for text in texts), texts)
        self.assertTrue(any("Firefox on Windows" in text for text in texts), texts)
        self.section(alice, settings, "Sessions")
        self.shot(alice, "settings-sessions.png")

    def test_22_appearance(self):
        alice = self.person(self.world.alice, "#/settings")
        settings = lambda: alice.by_role("region", "Settings")
        self.section(alice, settings, "Appearance")
        alice.click("radio", "Dark", within=settings)
        alice.wait(lambda: alice.driver.execute_script("return document.documentElement.dataset.theme") == "dark", "the dark theme")
        self.assertTrue(alice.by_role("radio", "Normal", within=settings).is_selected())
        self.section(alice, settings, "Appearance")
        self.shot(alice, "settings-appearance.png")

    # 10. Keyboard shortcuts.

    def test_23_keyboard_shortcuts(self):
        alice = self.person(self.world.alice)
        self.open_room(alice, "design")
        alice.driver.execute_script("document.activeElement && document.activeElement.blur()")
        ActionChains(alice.driver).send_keys("?").perform()
        dialog = alice.by_role("dialog", "Keyboard shortcuts")
        for keys in ("Ctrl+K / ⌘K", "Alt+↑ / Alt+↓", "Alt+Shift+↑ / Alt+Shift+↓", "Esc", "Shift+Enter", "?"):
            self.assertIn(keys, dialog.text)
        self.shot(alice, "keyboard-shortcuts.png")
        self.close_dialog(alice, "Keyboard shortcuts")

        ActionChains(alice.driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
        switcher = alice.by_role("dialog", "Quick switcher")
        alice.driver.switch_to.active_element.send_keys("r")
        alice.wait(lambda: [o.text.split(" ")[0] for o in alice.all_by_role("option", within=switcher)][:2] == ["random", "release-planning"], "random, then release-planning")
        self.shot(alice, "keyboard-quick-switcher.png")
        alice.driver.switch_to.active_element.send_keys(Keys.ENTER)
        alice.by_role("heading", "random")

    # The manual itself, as "Help" opens it.

    def test_24_help_opens_the_manual(self):
        alice = self.person(self.world.alice)
        link = alice.by_role("link", "Help")
        self.assertEqual((link.get_attribute("target"), link.get_attribute("rel")), ("_blank", "noopener"))
        href = link.get_attribute("href")
        self.assertRegex(href, r"/assets/manual-\w+\.html$")
        link.click()
        alice.wait(lambda: len(alice.driver.window_handles) == 2, "a new tab")
        alice.driver.switch_to.window(alice.driver.window_handles[1])
        alice.wait(lambda: alice.driver.title == "Parley user manual", "the manual's title")
        manual = alice.driver.find_element("css selector", "main.manual")
        self.assertNotEqual(alice.driver.execute_script("return getComputedStyle(arguments[0]).maxWidth", manual), "none", "its style sheet applies")
        headings = [h.text for h in alice.all_by_role("heading") if h.tag_name == "h1"]
        self.assertGreaterEqual(len(headings), 11, headings)
        # Every chapter link leads somewhere in the page; every picture loads.
        targets = alice.driver.execute_script("return [...document.querySelectorAll('a[href^=\"#\"]')].filter((a) => !document.getElementById(a.getAttribute('href').slice(1))).map((a) => a.getAttribute('href'))")
        self.assertEqual(targets, [])
        alice.driver.execute_script("for (const image of document.images) image.loading = 'eager'; window.scrollTo(0, document.body.scrollHeight)")
        alice.wait(lambda: alice.driver.execute_script("return document.images.length > 0 && [...document.images].every((image) => image.complete && image.naturalWidth > 0)"), "every picture")
        self.assertIsNone(alice.driver.execute_script("return document.querySelector('[style], style, script')"))


if __name__ == "__main__":
    unittest.main()
