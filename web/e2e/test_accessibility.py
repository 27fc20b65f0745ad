"""The accessibility walk (issue 17): each main view and dialog, in both themes and both
languages, checked in Chromium's own accessibility tree for interactive elements without a
name, images without a text alternative, and ids used twice (see a11y.py)."""
import json
import unittest

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

import a11y
from harness import BrowserTestCase, api, new_user, room_with

# No horizontal scrolling: what 200% zoom would hide off to the side.
OVERFLOW = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"


class AccessibilityWalk(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        cls.alice_name, cls.password, cls.alice_token, cls.alice = new_user("Alice")
        _, _, cls.bob_token, cls.bob = new_user("Bob")
        cls.room = room_with(cls.alice_token, "Walkway", cls.bob_token)
        status, message = api("POST", f"/rooms/{cls.room['id']}/messages", {"content": "**Welcome** to the walk, with a [link](https://example.com)"}, cls.alice_token)
        assert status == 201, message
        api("POST", f"/messages/{message['id']}/reactions", {"emoji": "👍"}, cls.bob_token)
        api("POST", f"/rooms/{cls.room['id']}/messages", {"content": "a reply in a thread", "parent_id": message["id"]}, cls.bob_token)
        api("POST", f"/rooms/{cls.room['id']}/pins", {"message_id": message["id"]}, cls.alice_token)
        api("POST", f"/rooms/{cls.room['id']}/messages", {"content": f"thanks @{cls.alice_name}"}, cls.bob_token)
        cls.root_id = message["id"]

    def check(self, browser, view):
        problems = a11y.findings(browser)
        self.assertEqual(problems, [], f"{view}:\n{a11y.describe(browser, problems)}")

    def walk(self, theme, language):
        """The views by CSS, not by name: the walk is the same in every language."""
        browser = self.browser(f"{theme}-{language}")
        browser.open("#/login")
        browser.driver.execute_script(
            "localStorage.setItem('parley.preferences', arguments[0])",
            json.dumps({"theme": theme, "fontSize": "medium", "language": language, "desktopNotifications": False}),
        )
        browser.driver.refresh()
        browser.wait(lambda: browser.driver.execute_script("return document.documentElement.lang") == language, "the language")
        self.assertEqual(browser.driver.execute_script("return document.documentElement.dataset.theme"), theme)
        browser.wait(lambda: browser.driver.find_elements("css selector", "form input"), "the sign-in form")
        self.check(browser, "sign in")
        browser.go("#/register")
        browser.wait(lambda: len(browser.driver.find_elements("css selector", "form input")) >= 3, "the registration form")
        self.check(browser, "register")

        browser.go("#/login")
        inputs = browser.wait(lambda: browser.driver.find_elements("css selector", "form input"), "the sign-in form")
        inputs[0].send_keys(self.alice_name)
        inputs[1].send_keys(self.password, Keys.ENTER)
        browser.wait(lambda: browser.driver.find_elements("css selector", "nav a"), "the room list")
        self.check(browser, "home")

        browser.go(f"#/rooms/{self.room['id']}")
        browser.wait(lambda: browser.driver.find_elements("css selector", "[role=log] article .reaction"), "the room's messages")
        self.check(browser, "room")
        for selector, view in (("[aria-controls^=members-]", "members panel"), ("[aria-controls^=pins-]", "pins panel")):
            browser.driver.find_element("css selector", f".room-tools button{selector}").click()
            browser.wait(lambda: browser.driver.find_elements("css selector", "aside.side-panel:not([hidden]) li"), view)
            self.check(browser, view)
        article = browser.driver.find_element("css selector", f"article[data-message-id='{self.root_id}']")
        browser.driver.execute_script("arguments[0].focus()", article)
        article.find_element("css selector", "[aria-haspopup=menu]").click()
        self.check(browser, "message menu")
        ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()
        browser.go(f"#/rooms/{self.room['id']}/threads/{self.root_id}")
        browser.wait(lambda: browser.driver.find_elements("css selector", "aside.thread [role=log] article"), "the thread")
        self.check(browser, "thread")

        # The dialogs, each opened from its button in the shell or the room.
        for selector, view in (
            (".shell-actions button:nth-child(1)", "new room"),
            (".shell-actions button:nth-child(2)", "browse rooms"),
            (".shell-actions button:nth-child(3)", "new direct message"),
            (".shell-footer button:first-child", "notifications"),
            (".room-tools button.room-settings", "room settings"),
            (f"article[data-message-id='{self.root_id}'] button.sender", "profile"),
            (f"article[data-message-id='{self.root_id}'] .message-actions button:nth-child(2)", "emoji picker"),
        ):
            browser.driver.execute_script("arguments[0].click()", browser.driver.find_element("css selector", selector))
            browser.wait(lambda: browser.driver.find_elements("css selector", "[role=dialog] .dialog-body *"), view)
            self.check(browser, view)
            ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()
            browser.wait(lambda: not browser.driver.find_elements("css selector", "[role=dialog]"), f"{view} closed")
        browser.driver.execute_script("document.activeElement && document.activeElement.blur()")
        ActionChains(browser.driver).send_keys("?").perform()
        browser.wait(lambda: browser.driver.find_elements("css selector", "[role=dialog] dl"), "shortcuts")
        self.check(browser, "keyboard shortcuts")
        ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()
        ActionChains(browser.driver).key_down(Keys.CONTROL).send_keys("k").key_up(Keys.CONTROL).perform()
        browser.wait(lambda: browser.driver.find_elements("css selector", "[role=dialog] [role=listbox] [role=option]"), "quick switcher")
        self.check(browser, "quick switcher")
        ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()

        browser.go("#/search?q=walk")
        browser.wait(lambda: browser.driver.find_elements("css selector", "mark"), "search results")
        self.check(browser, "search results")
        browser.go("#/settings")
        browser.wait(lambda: browser.driver.find_elements("css selector", "section[role=region] input"), "settings")
        self.check(browser, "settings")

    def test_twice_the_text_size_fits_without_scrolling_sideways(self):
        """200% zoom of a 1280 px window: the page sees 640 CSS pixels."""
        browser = self.browser("zoom", width=640, height=450)
        browser.sign_in(self.alice_name, self.password)
        for route, ready in (("#/", "nav a"), (f"#/rooms/{self.room['id']}", "[role=log] article"), ("#/search?q=walk", "mark"), ("#/settings", "section[role=region] input")):
            browser.go(route)
            browser.wait(lambda: browser.driver.find_elements("css selector", ready), route)
            self.assertLessEqual(browser.driver.execute_script(OVERFLOW), 0, f"{route} scrolls sideways at 200%")

    def test_light_english(self):
        self.walk("light", "en")

    def test_dark_english(self):
        self.walk("dark", "en")

    def test_light_german(self):
        self.walk("light", "de")

    def test_dark_german(self):
        self.walk("dark", "de")


if __name__ == "__main__":
    unittest.main()
