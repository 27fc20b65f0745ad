"""The notification centre and the keyboard: the bell's live count in every tab, the list that
opens each notification's message, mark all read, a desktop notification while the tab is
hidden; the shortcuts dialog, the quick switcher and moving between rooms by keyboard."""
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, GATEWAY, api, new_user, room_with

# Records desktop notifications, and lets the test hide the tab (a headless tab is always visible).
DESKTOP_AND_VISIBILITY = """
window.__desktop = [];
window.__hidden = false;
const Real = window.Notification;
window.Notification = class extends Real {
  constructor(title, options) { super(title, options); window.__desktop.push(title); }
};
Object.defineProperty(document, 'visibilityState', { get: () => (window.__hidden ? 'hidden' : 'visible') });
"""


class NotificationTests(BrowserTestCase):
    def test_the_bell_counts_live_in_every_tab_and_opens_the_message(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        _, _, bob_token, _ = new_user("Bob")
        room = room_with(alice_token, "Lobby", bob_token)
        alice, other_tab = self.browser("alice"), self.browser("alice-other-tab")
        for browser in (alice, other_tab):
            browser.sign_in(alice_name, password)
        status, mention = api("POST", f"/rooms/{room['id']}/messages", {"content": f"@{alice_name} the build is green"}, bob_token)
        self.assertEqual(status, 201, mention)
        for browser in (alice, other_tab):
            browser.by_role("button", "Notifications, 1 unread")
            browser.wait(lambda b=browser: b.driver.title.startswith("(1) "), "the count in the tab's title")

        alice.click("button", "Notifications, 1 unread")
        dialog = alice.by_role("dialog", "Notifications")
        alice.click("link", "the build is green", within=dialog, exact=False)
        highlighted = alice.wait(lambda: alice.driver.find_elements("css selector", f"article.highlighted[data-message-id='{mention['id']}']"), "the message, highlighted")
        self.assertIn("the build is green", highlighted[0].text)
        other_tab.by_role("button", "Notifications")
        other_tab.wait(lambda: not other_tab.driver.title.startswith("("), "the title without a count")

    def test_mark_all_read_and_a_desktop_notification_while_hidden(self):
        alice_name, password, _, alice_user = new_user("Alice")
        _, _, bob_token, _ = new_user("Bob")
        alice = self.browser("alice")
        alice.driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["notifications"], "origin": GATEWAY})
        alice.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DESKTOP_AND_VISIBILITY})
        alice.sign_in(alice_name, password)
        alice.go("#/settings")
        alice.click("checkbox", "Desktop notifications")
        alice.wait(lambda: alice.by_role("checkbox", "Desktop notifications").is_selected(), "desktop notifications on")

        alice.driver.execute_script("window.__hidden = true")
        status, direct = api("POST", "/rooms", {"type": "direct", "user_id": alice_user["id"]}, bob_token)
        self.assertIn(status, (200, 201), direct)
        api("POST", f"/rooms/{direct['id']}/messages", {"content": "are you there?"}, bob_token)
        shown = alice.wait(lambda: alice.driver.execute_script("return window.__desktop"), "a desktop notification")
        self.assertEqual(len(shown), 1, shown)

        alice.driver.execute_script("window.__hidden = false")
        alice.click("button", "Notifications, 1 unread")
        dialog = alice.by_role("dialog", "Notifications")
        alice.click("button", "Mark all as read", within=dialog)
        alice.by_role("button", "Notifications")
        alice.driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)


class ShortcutTests(BrowserTestCase):
    def test_keyboard_alone_finds_and_moves_between_rooms(self):
        name, password, token, _ = new_user("Kim")
        room_with(token, "Alpha")
        room_with(token, "Beta")
        kim = self.browser("kim")
        kim.sign_in(name, password)
        kim.driver.execute_script("document.activeElement && document.activeElement.blur()")
        ActionChains(kim.driver).send_keys("?").perform()
        kim.by_role("dialog", "Keyboard shortcuts")
        ActionChains(kim.driver).send_keys(Keys.ESCAPE).perform()
        kim.wait(lambda: not kim.all_by_role("dialog", "Keyboard shortcuts"), "the dialog to close")

        ActionChains(kim.driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
        dialog = kim.by_role("dialog", "Quick switcher")
        box = kim.driver.switch_to.active_element
        box.send_keys("bet")
        kim.wait(lambda: "Beta" in dialog.text, "Beta among the matches")
        box.send_keys(Keys.ENTER)
        kim.by_role("heading", "Beta")
        # The list is newest first: Beta, then Alpha.
        ActionChains(kim.driver).key_down(Keys.ALT).send_keys(Keys.ARROW_DOWN).key_up(Keys.ALT).perform()
        kim.by_role("heading", "Alpha")


if __name__ == "__main__":
    unittest.main()
