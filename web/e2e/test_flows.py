"""The web app's other daily flows: files, deep links, direct messages, invites, reconnecting
after the network went away, and the phone-sized layout."""
import os
import tempfile
import unittest

from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, CuttableProxy, api, new_user, png, room_with


class FlowTests(BrowserTestCase):
    def test_an_uploaded_image_shows_on_the_other_side(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        bob_name, _, bob_token, _ = new_user("Bob")
        room = room_with(alice_token, "Pictures", bob_token)
        alice, bob = self.browser("alice"), self.browser("bob")
        alice.sign_in(alice_name, password)
        bob.sign_in(bob_name, password)
        alice.open_room("Pictures")
        bob.open_room("Pictures")

        path = os.path.join(tempfile.mkdtemp(), "sunset.png")
        with open(path, "wb") as file:
            file.write(png(320, 200))
        alice.driver.find_element("css selector", "input[type=file][aria-label='Attach file']").send_keys(path)
        alice.wait(lambda: "sunset.png ✓" in alice.driver.find_element("css selector", ".uploads").text, "the upload to finish")
        alice.by_role("textbox", "Message").send_keys("the view from here", Keys.ENTER)

        message = bob.wait_for_message("the view from here")
        image = bob.by_role("img", "sunset.png", within=message)
        self.assertEqual(image.get_dom_attribute("width"), "320")
        self.assertEqual(image.get_dom_attribute("height"), "200", "the box is reserved before the image loads")
        bob.wait(lambda: bob.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image), "the thumbnail to load")
        link = image.find_element("xpath", "..")
        self.assertIn("/attachments/", link.get_attribute("href"))
        del room

    def test_a_deep_link_scrolls_to_and_highlights_its_message(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        room = room_with(alice_token, "History")
        ids = []
        for index in range(8):
            status, message = api("POST", f"/rooms/{room['id']}/messages", {"content": f"line {index}"}, alice_token)
            self.assertEqual(status, 201, message)
            ids.append(message["id"])
        alice = self.browser("alice")
        alice.sign_in(alice_name, password)
        alice.go(f"#/rooms/{room['id']}?message={ids[2]}")
        highlighted = alice.wait(lambda: alice.driver.find_elements("css selector", f"article.highlighted[data-message-id='{ids[2]}']"), "the highlighted message")[0]
        self.assertIn("line 2", highlighted.text)

        alice.go("#/rooms/not-a-room")
        alice.by_role("heading", "Not found")

    def test_a_direct_message_arrives_named_by_its_sender_with_an_unread_count(self):
        alice_name, password, _, _ = new_user("Alice")
        bob_name, _, _, bob = new_user("Bob")
        alice, bobs_browser = self.browser("alice"), self.browser("bob")
        alice.sign_in(alice_name, password)
        bobs_browser.sign_in(bob_name, password)

        alice.click("button", "New direct message")
        dialog = alice.by_role("dialog", "New direct message")
        alice.type_into("searchbox", "Search people", bob_name, within=dialog)
        alice.click("button", "Bob", within=dialog)
        alice.wait(lambda: alice.by_role("heading", "Bob"), "the direct room, named by Bob")
        alice.by_role("textbox", "Message").send_keys("are you there?", Keys.ENTER)

        nav = bobs_browser.by_role("navigation", "Rooms")
        # Found anew each time: the list is drawn again as rooms change.
        bobs_browser.wait(lambda: "1" in bobs_browser.by_role("link", "Alice", within=nav, exact=False).text, "the unread count")
        bobs_browser.click("link", "Alice", within=nav, exact=False)
        bobs_browser.wait_for_message("are you there?")
        alice.wait(lambda: "Read" in alice.wait_for_message("are you there?").text.split("\n"), "Read, once Bob saw it")
        del bob

    def test_an_invite_link_shows_the_room_and_joins_it(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        bob_name, _, _, _ = new_user("Bob")
        room_with(alice_token, "Inner circle", type="private")
        alice = self.browser("alice")
        alice.sign_in(alice_name, password)
        alice.open_room("Inner circle")
        alice.click("button", "Invite people")
        dialog = alice.by_role("dialog", "Invite people")
        link_box = alice.by_role("textbox", "Invite link", within=dialog)
        link = alice.wait(lambda: link_box.get_attribute("value"), "the invite link")
        self.assertRegex(link, r"/#/invite/\w+$")

        bob = self.browser("bob")
        bob.driver.get(link)
        # Signed out: sign in first, then back to the invite.
        bob.type_into("textbox", "Username", bob_name)
        bob.type_into("textbox", "Password", password)
        bob.click("button", "Sign in")
        bob.by_role("heading", "Inner circle")
        bob.click("button", "Join")
        bob.wait(lambda: "Inner circle" in bob.by_role("navigation", "Rooms").text, "the room in the list")
        bob.by_role("log", "Messages")

    def test_messages_written_while_the_network_is_gone_are_delivered_once_it_is_back(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        bob_name, _, bob_token, _ = new_user("Bob")
        room = room_with(alice_token, "Flaky", bob_token)
        proxy = CuttableProxy()
        alice = self.browser("alice", base=proxy.url)
        bob = self.browser("bob")
        alice.sign_in(alice_name, password)
        bob.sign_in(bob_name, password)
        alice.open_room("Flaky")
        bob.open_room("Flaky")
        alice.wait(lambda: alice.text_of("status", "Connection") == "Connected", "Connected")

        # The connection is cut for real: the socket drops, nothing gets through.
        proxy.cut()
        alice.wait(lambda: alice.text_of("status", "Connection") in ("Disconnected", "Connecting…"), "the lost connection")
        alice.by_role("textbox", "Message").send_keys("sent while cut off", Keys.ENTER)
        alice.wait(lambda: "Sending…" in alice.wait_for_message("sent while cut off").text, "the pending message")
        alice.wait(lambda: proxy.refused > 0, "a reconnection attempt while cut off")
        proxy.restore()
        alice.wait(lambda: alice.text_of("status", "Connection") == "Connected", "Connected again", timeout=20)
        bob.wait_for_message("sent while cut off")

        # The browser says it is offline (DevTools' emulation): the app stops and queues too.
        alice.driver.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
        alice.wait(lambda: alice.text_of("status", "Connection") == "Disconnected", "Disconnected")
        alice.by_role("textbox", "Message").send_keys("sent while offline", Keys.ENTER)
        alice.driver.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
        bob.wait_for_message("sent while offline", timeout=20)
        alice.wait(lambda: "Sending…" not in alice.wait_for_message("sent while offline").text, "the acknowledgement")

        # Anything sent twice would have come before this later message.
        alice.by_role("textbox", "Message").send_keys("back for good", Keys.ENTER)
        bob.wait_for_message("back for good")
        texts = [message.text for message in bob.messages()]
        self.assertEqual(sum("sent while cut off" in text for text in texts), 1, "delivered once")
        self.assertEqual(sum("sent while offline" in text for text in texts), 1, "delivered once")
        status, page = api("GET", f"/rooms/{room['id']}/messages?limit=50", token=bob_token)
        self.assertEqual([m["content"] for m in page["messages"] if m["content"].startswith("sent while")], ["sent while cut off", "sent while offline"])

    def test_a_phone_sized_screen_shows_one_column_without_horizontal_scrolling(self):
        alice_name, password, alice_token, _ = new_user("Alice")
        room_with(alice_token, "Pocket")
        alice = self.browser("alice", width=375, height=740)
        alice.sign_in(alice_name, password)
        no_sideways = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        self.assertTrue(alice.driver.execute_script(no_sideways))
        alice.open_room("Pocket")
        self.assertFalse(alice.driver.find_element("css selector", "nav").is_displayed(), "the room alone, not squeezed next to the list")
        alice.by_role("textbox", "Message").send_keys("a long line " * 30, Keys.ENTER)
        alice.wait_for_message("a long line")
        self.assertTrue(alice.driver.execute_script(no_sideways))
        alice.click("link", "Back to rooms")
        alice.wait(lambda: alice.driver.find_element("css selector", "nav").is_displayed(), "the room list again")
        self.assertTrue(alice.driver.execute_script(no_sideways))


if __name__ == "__main__":
    unittest.main()
