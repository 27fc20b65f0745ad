"""Messages for later (issue 21): written in the composer, listed, changed and cancelled, and
sent at their time to the room (the stack's real clock: a minute ahead is the earliest)."""
import time
import uuid

from harness import BrowserTestCase, new_user, room_with

# The datetime-local input's value `seconds` from now, in the browser's own time.
LOCAL_TIME = """
const at = new Date(Date.now() + arguments[0] * 1000);
const two = (n) => String(n).padStart(2, "0");
return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
"""


class ScheduledMessageTests(BrowserTestCase):
    def schedule(self, browser, text, seconds):
        browser.type_into("textbox", "Message", text)
        browser.click("button", "Send later")
        dialog = browser.by_role("dialog", "Schedule message")
        self.assertEqual(browser.by_role("textbox", "Text", within=dialog).get_attribute("value"), text)
        self.set_time(browser, dialog, seconds)
        browser.click("button", "Schedule", within=dialog)
        browser.wait(lambda: not browser.all_by_role("dialog", "Schedule message"), "the dialog to close")

    def set_time(self, browser, dialog, seconds):
        field = browser.wait(lambda: next(iter(dialog.find_elements("css selector", "input[type=datetime-local]")), None), "Send at")
        self.assertEqual(field.accessible_name, "Send at")
        value = browser.driver.execute_script(LOCAL_TIME, seconds)
        browser.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", field, value)

    def test_a_message_is_scheduled_changed_and_arrives_at_its_time(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        bob_name, _, bob_token, _ = new_user("Bob")
        room = f"Kitchen {uuid.uuid4().hex[:6]}"
        room_with(alice_token, room, bob_token)
        alice, bob = self.browser("alice"), self.browser("bob")
        for browser, name in ((alice, alice_name), (bob, bob_name)):
            browser.sign_in(name, password)
            browser.open_room(room)

        scheduled_at = time.monotonic()
        self.schedule(alice, "Lunch is here", 75)
        self.assertEqual(alice.by_role("textbox", "Message").get_attribute("value"), "", "the composer is cleared")
        self.schedule(alice, "Cancel me", 600)

        alice.click("button", "Scheduled messages")
        listed = alice.by_role("dialog", "Scheduled messages")
        items = alice.wait(lambda: (lambda found: found if len(found) == 2 else None)(alice.all_by_role("listitem", within=listed)), "both listed")
        self.assertIn("Lunch is here", items[0].text)
        self.assertIn("Cancel me", items[1].text)
        alice.click("button", "Cancel", within=items[1])
        alice.wait(lambda: len(alice.all_by_role("listitem", within=listed)) == 1, "the cancelled one to go")
        alice.click("button", "Edit", within=alice.all_by_role("listitem", within=listed)[0])
        editing = alice.by_role("dialog", "Schedule message")
        text = alice.by_role("textbox", "Text", within=editing)
        text.clear()
        text.send_keys("Lunch is here, come down")
        alice.click("button", "Schedule", within=editing)
        alice.wait(lambda: "come down" in alice.by_role("dialog", "Scheduled messages").text, "the change in the list")
        alice.screenshot("scheduled-list")

        self.assertFalse(any("Lunch" in article.text for article in bob.messages()), "not before its time")
        remaining = 75 - (time.monotonic() - scheduled_at)
        bob.wait_for_message("Lunch is here, come down", timeout=remaining + 30)
        self.assertFalse(any("Cancel me" in article.text for article in bob.messages()))
        alice.wait_for_message("Lunch is here, come down")
