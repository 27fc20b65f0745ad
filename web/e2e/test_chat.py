"""Two people chatting in two browsers, through the web app only (issue 16's flows)."""
import time
import unittest
import uuid

from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, api, new_user


class ChatTests(BrowserTestCase):
    def test_register_create_join_and_chat_live(self):
        alice = self.browser("alice")
        alice.open("#/register")
        suffix = uuid.uuid4().hex[:6]
        alice.type_into("textbox", "Username", f"alice_{suffix}")
        alice.type_into("textbox", "Password", "correct horse battery")
        alice.type_into("textbox", "Display name", "Alice")
        alice.click("button", "Create account")
        alice.by_role("navigation", "Rooms")
        alice.wait(lambda: alice.text_of("status", "Connection") == "Connected", "Connected")

        room = f"General {suffix}"
        alice.click("button", "New room")
        dialog = alice.by_role("dialog", "New room")
        alice.type_into("textbox", "Room name", room, within=dialog)
        alice.type_into("textbox", "Description", "Everything and nothing", within=dialog)
        alice.click("button", "Create", within=dialog)
        alice.wait(lambda: alice.by_role("heading", room), "the new room")

        bob_name, password, bob_token, _ = new_user("Bob")
        bob = self.browser("bob")
        bob.sign_in(bob_name, password)
        bob.click("button", "Browse rooms")
        directory = bob.by_role("dialog", "Browse rooms")
        bob.type_into("searchbox", "Search rooms", suffix, within=directory)
        entry = bob.wait(lambda: next((item for item in bob.all_by_role("listitem", within=directory) if room in item.text), None), "the room's entry")
        bob.click("button", "Join", within=entry)
        bob.wait(lambda: bob.by_role("heading", room), "the joined room")

        # Alice writes; Bob sees it without reloading, and Alice sees Bob typing.
        composer = alice.by_role("textbox", "Message")
        composer.send_keys("Hello **Bob**")
        composer.send_keys(Keys.ENTER)
        sent = time.monotonic()
        message = bob.wait_for_message("Hello Bob")
        latency_ms = (time.monotonic() - sent) * 1000
        self.assertIn("<strong>Bob</strong>", message.get_attribute("innerHTML"), "markdown as the server rendered it")
        self.assertTrue(message.find_elements("css selector", "time[datetime]"))
        print(f"\n  a message sent by Alice was on Bob's screen after {latency_ms:.0f} ms (WebDriver polling included)")

        bob.by_role("textbox", "Message").send_keys("typing a reply")
        alice.wait(lambda: alice.text_of("status", "Typing") == "Bob is typing…", "Bob is typing…")
        bob.by_role("textbox", "Message").send_keys(Keys.ENTER)
        alice.wait_for_message("typing a reply")
        alice.wait(lambda: alice.text_of("status", "Typing") == "", "the typing status to clear")

        # Bob reacts with the emoji picker; Alice sees the reaction and adds hers.
        target = bob.wait_for_message("Hello Bob")
        bob.driver.execute_script("arguments[0].scrollIntoView()", target)
        bob.click("button", "Add reaction", within=target)
        picker = bob.by_role("dialog", "Emoji picker")
        bob.type_into("searchbox", "Search emoji", "thumbs up", within=picker)
        bob.click("button", "thumbs up", within=picker)
        hello = lambda: alice.wait_for_message("Hello Bob")  # noqa: E731 (found anew: articles are redrawn)
        reaction = alice.wait(lambda: alice.all_by_role("button", "👍 1", within=hello), "👍 1")[0]
        self.assertEqual(reaction.get_attribute("aria-pressed"), "false")
        reaction.click()
        pressed = alice.wait(lambda: alice.all_by_role("button", "👍 2", within=hello), "👍 2")[0]
        self.assertEqual(pressed.get_attribute("aria-pressed"), "true")

        # A thread: Bob replies, Alice sees the count and the reply in the thread panel.
        bob.click("button", "Reply in thread", within=lambda: bob.wait_for_message("Hello Bob"))
        thread = bob.by_role("complementary", "Thread")
        reply_box = bob.by_role("textbox", "Reply", within=thread)
        reply_box.send_keys("in the thread")
        reply_box.send_keys(Keys.ENTER)
        alice.click("button", "1 reply", within=hello)
        alice_thread = alice.by_role("complementary", "Thread")
        alice.wait(lambda: any("in the thread" in m.text for m in alice.all_by_role("article", within=alice.by_role("log", "Thread messages"))), "the reply")

        # Read receipts: Bob has seen Alice's message.
        alice.wait(lambda: "Read by 1" in alice.wait_for_message("Hello Bob").text, "Read by 1")
        self.assertTrue(alice_thread.is_displayed())

        # Who read it: Bob, when he read it.
        alice.click("button", "Close thread")
        alice.click("button", "Read by 1", within=alice.wait_for_message("Hello Bob"))
        readers = alice.by_role("dialog", "Read by")
        alice.wait(lambda: "Bob" in readers.text, "Bob among the readers")
        alice.driver.find_element("tag name", "body").send_keys(Keys.ESCAPE)

        # Presence in the members list, and a new display name shown at once.
        alice.click("button", "Members")
        members = alice.by_role("complementary", "Members")
        alice.wait(lambda: any("Bob" in item.text and "online" in item.text for item in alice.all_by_role("listitem", within=members)), "Bob online")
        self.assertEqual(api("PATCH", "/users/me", {"display_name": "Robert"}, bob_token)[0], 200)
        alice.wait(lambda: "Robert" in alice.wait_for_message("typing a reply").text, "the new name on Bob's message")
        alice.wait(lambda: any("Robert" in item.text for item in alice.all_by_role("listitem", within=members)), "the new name in the members list")


if __name__ == "__main__":
    unittest.main()
