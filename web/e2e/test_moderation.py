"""Running a room, seen from both sides: an admin renames it, mutes, bans and unbans a member,
pins a message, and reviews a member's report; the member sees each as it happens."""
import unittest

from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, api, new_user, room_with


def select(browser, label, value, within):
    """Chooses the option `value` of the combobox named `label`."""
    box = browser.wait(lambda: next((e for e in within.find_elements("css selector", "select") if e.accessible_name == label), None), f"combobox {label}")
    browser.driver.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", box, value)


class ModerationTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.alice_name, self.password, self.alice_token, self.alice_user = new_user("Alice")
        self.bob_name, _, self.bob_token, self.bob_user = new_user("Bob")
        self.room = room_with(self.alice_token, "Ops", self.bob_token)
        self.alice, self.bob = self.browser("alice"), self.browser("bob")
        self.alice.sign_in(self.alice_name, self.password)
        self.bob.sign_in(self.bob_name, self.password)
        self.alice.open_room("Ops")
        self.bob.open_room("Ops")

    def room_settings(self):
        self.alice.click("button", "Room settings")
        return self.alice.by_role("dialog", "Room settings")

    def member_action(self, action):
        alice = self.alice
        if alice.by_role("button", "Members").get_attribute("aria-expanded") != "true":
            alice.click("button", "Members")
        panel = alice.by_role("complementary", "Members")
        alice.wait(lambda: "Bob" in panel.text, "Bob in the members list")
        row = next(item for item in alice.all_by_role("listitem", within=panel) if "Bob" in item.text)
        alice.click("button", action, within=row)

    def posted(self, text, token):
        status, message = api("POST", f"/rooms/{self.room['id']}/messages", {"content": text}, token)
        self.assertEqual(status, 201, message)

    @staticmethod
    def choose(browser, text, item):
        """The menuitem `item` of the message holding `text` (its "More actions" menu)."""
        article = browser.wait_for_message(text)
        browser.driver.execute_script("arguments[0].focus()", article)
        browser.click("button", "More actions", within=article)
        browser.click("menuitem", item, within=article)

    def test_a_renamed_room_and_a_mute_show_on_the_members_side(self):
        alice, bob = self.alice, self.bob
        dialog = self.room_settings()
        alice.type_into("textbox", "Room name", "Ops desk", within=dialog)
        alice.click("button", "Save changes", within=dialog)
        alice.wait(lambda: "Saved." in dialog.text, "Saved.")
        alice.driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)
        bob.wait(lambda: bob.by_role("heading", "Ops desk"), "the new name in Bob's heading")
        bob.by_role("link", "Ops desk", within=bob.by_role("navigation", "Rooms"), exact=False)

        self.member_action("Mute")
        dialog = alice.by_role("dialog", "Mute Bob")
        select(alice, "Duration", "900", dialog)
        alice.click("button", "Mute", within=dialog)
        alice.wait(lambda: not alice.all_by_role("dialog", "Mute Bob"), "the dialog to close")
        bob.by_role("textbox", "Message").send_keys("can I still talk?", Keys.ENTER)
        bob.wait(lambda: "muted" in bob.driver.find_element("css selector", ".notice").text.lower(), "the API's reason for the refusal")

    def test_a_ban_with_a_reason_and_the_unban(self):
        alice, bob = self.alice, self.bob
        self.member_action("Ban")
        dialog = alice.by_role("dialog", "Ban Bob")
        alice.type_into("textbox", "Reason", "spam links", within=dialog)
        alice.click("button", "Ban", within=dialog)
        bob.wait(lambda: not bob.all_by_role("link", "Ops", within=bob.by_role("navigation", "Rooms"), exact=False), "the room gone from Bob's list")
        dialog = self.room_settings()
        alice.wait(lambda: "spam links" in dialog.text, "the ban and its reason")
        alice.click("button", "Unban Bob", within=dialog)
        alice.wait(lambda: "Nobody is banned." in dialog.text, "the list empty again")
        status, _ = api("POST", f"/rooms/{self.room['id']}/join", {}, self.bob_token)
        self.assertIn(status, (200, 204), "Bob may join again")

    def test_a_pin_and_a_report_reviewed(self):
        alice, bob = self.alice, self.bob
        self.posted("the deploy checklist", self.bob_token)
        self.choose(alice, "the deploy checklist", "Pin")
        bob.click("button", "Pinned messages")
        panel = bob.by_role("complementary", "Pinned messages")
        bob.wait(lambda: "the deploy checklist" in panel.text, "the pin in Bob's panel")

        self.posted("buy cheap pills", self.alice_token)
        self.choose(bob, "buy cheap pills", "Report")
        dialog = bob.by_role("dialog", "Report message")
        bob.type_into("textbox", "Reason", "this is spam", within=dialog)
        bob.click("button", "Report", within=dialog)
        bob.wait(lambda: "admins will look" in bob.driver.find_element("css selector", ".notice").text, "the thanks")

        dialog = self.room_settings()
        alice.wait(lambda: "this is spam" in dialog.text, "the report in the queue")
        alice.click("button", "Resolve", within=dialog)
        alice.wait(lambda: "No open reports." in dialog.text, "the queue empty")


if __name__ == "__main__":
    unittest.main()
