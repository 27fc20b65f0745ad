"""Searching messages (UI.md "Search, notifications, settings"): hits grouped by room with the
server's <mark>s and the messages around them, a filter chip that writes its operator into the
query and narrows the results, newest first, and a hit that opens its message in its room."""
import unittest
import uuid
from urllib.parse import quote, unquote

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from harness import BrowserTestCase, api, new_user



def new_room(token, name):
    status, room = api("POST", "/rooms", {"name": name, "type": "public"}, token)
    assert status == 201, (status, room)
    return room


def post(token, room, content):
    status, message = api("POST", f"/rooms/{room['id']}/messages", {"content": content}, token)
    assert status == 201, (status, message)
    return message


def search(token, query, sort="relevance"):
    status, page = api("GET", f"/search?q={quote(query)}&sort={sort}", token=token)
    assert status == 200, (status, page)
    return page["results"]


class SearchTests(BrowserTestCase):
    def test_hits_are_grouped_by_room_narrowed_by_a_chip_sorted_and_open_their_message(self):
        name, password, token, _ = new_user("Alice")
        # A word no other test writes, so that only this test's messages match it.
        word = "zephyr" + uuid.uuid4().hex[:8]
        launch, harbor = new_room(token, "Launch pad"), new_room(token, "Harbor")
        post(token, launch, "warming up the engines")
        post(token, launch, f"{word} countdown: {word} at noon")
        ferry = post(token, harbor, f"the {word} ferry leaves at dawn")
        checklist = post(token, launch, f"{word} checklist at https://example.com/checklist")
        post(token, launch, "all systems go")

        alice = self.browser("alice")
        # The index is fed by events, asynchronously: wait until it has all five messages (the
        # last one shows as the checklist's context).
        def indexed():
            results = search(token, word)
            after = next((r["context"]["after"] for r in results if r["message"]["id"] == checklist["id"]), None)
            return len(results) == 3 and after is not None and after["content"] == "all systems go"
        alice.wait(indexed, "the three messages in the search index", timeout=30)

        alice.sign_in(name, password)
        alice.go(f"#/search?q={quote(word)}")
        alice.by_role("heading", f"Results for “{word}”")
        region = lambda: alice.by_role("region", "Search results")
        hits = lambda: alice.all_by_role("article", within=region)
        alice.wait(lambda: len(hits()) == 3, "three hits")

        # Grouped by room, under each room's name; the highlight marks the word.
        launch_heading = alice.by_role("heading", "Launch pad", within=region)
        alice.by_role("heading", "Harbor", within=region)
        self.assertEqual(launch_heading.tag_name, "h2")
        for hit in hits():
            marks = hit.find_elements("css selector", "mark")
            self.assertTrue(marks, hit.text)
            self.assertTrue(all(mark.text.lower() == word for mark in marks), [mark.text for mark in marks])
        first = self.hit_with(alice, hits, "countdown")
        self.assertIn("Alice", self.main_text(alice, first))
        self.assertIn("warming up the engines", first.text, "the message before")
        self.assertEqual(len(first.find_elements("css selector", "time[datetime]")), 1)
        self.assertIn("all systems go", self.hit_with(alice, hits, "checklist").text, "the message after")
        # Relevance: the word twice ranks first in its room.
        self.assertEqual(self.order_in(alice, region, "Launch pad"), ["countdown", "checklist"])
        alice.screenshot("search-grouped")

        # A chip writes its operator into the query, is pressed, and narrows the results.
        alice.click("button", "Has a link")
        alice.wait(lambda: self.query_of(alice) == f"{word} has:link", "has:link in the query")
        alice.by_role("heading", f"Results for “{word} has:link”")
        alice.wait(lambda: alice.by_role("button", "Has a link").get_attribute("aria-pressed") == "true", "the pressed chip")
        alice.wait(lambda: len(hits()) == 1 and "checklist" in self.main_text(alice, hits()[0]), "only the message with a link")
        # Pressed again, it takes exactly that operator out.
        alice.click("button", "Has a link")
        alice.wait(lambda: self.query_of(alice) == word, "the query without has:link")
        alice.wait(lambda: len(hits()) == 3, "three hits again")

        # Newest first: the checklist (posted last) leads its room, and the page.
        Select(alice.by_role("combobox", "Sort by")).select_by_visible_text("Newest")
        alice.wait(lambda: self.order_in(alice, region, "Launch pad") == ["checklist", "countdown"], "newest first")
        self.assertIn("checklist", self.main_text(alice, hits()[0]))

        # A hit is a link to its message: Enter opens the room there, the message highlighted.
        link = alice.by_role("link", within=self.hit_with(alice, hits, "ferry"))
        self.assertTrue(link.get_attribute("href").endswith(f"#/rooms/{harbor['id']}?message={ferry['id']}"))
        link.send_keys(Keys.ENTER)
        alice.wait(lambda: alice.driver.execute_script("return location.hash") == f"#/rooms/{harbor['id']}?message={ferry['id']}", "the hit's route")
        alice.by_role("heading", "Harbor")
        highlighted = alice.wait(lambda: alice.driver.find_elements("css selector", f"article.highlighted[data-message-id='{ferry['id']}']"), "the highlighted message")[0]
        self.assertIn("ferry leaves at dawn", highlighted.text)

    def test_an_empty_query_and_a_query_without_hits_each_say_so(self):
        name, password, _, _ = new_user("Alice")
        alice = self.browser("alice")
        alice.sign_in(name, password)
        status = lambda: alice.by_role("status", within=lambda: alice.by_role("region", "Search results")).text
        alice.go("#/search?q=")
        alice.by_role("heading", "Search")
        alice.wait(lambda: "pick a filter" in status(), "the empty query's line")
        alice.go(f"#/search?q={quote('nothing' + uuid.uuid4().hex)}")
        alice.wait(lambda: status().startswith("No messages match"), "the line for no hits")

    @staticmethod
    def query_of(browser):
        hash = browser.driver.execute_script("return location.hash")
        return unquote(hash.split("q=", 1)[1]) if "q=" in hash else None

    @staticmethod
    def main_text(browser, hit):
        """A hit's own part (its link), without the messages around it."""
        return browser.by_role("link", within=hit, exact=False).text

    def hit_with(self, browser, hits, text):
        return browser.wait(lambda: next((hit for hit in hits() if text in self.main_text(browser, hit)), None), f"the hit with {text!r}")

    def order_in(self, browser, region, room_name):
        """The hits under one room's heading, each named by the word that tells it apart."""
        group = browser.by_role("heading", room_name, within=region).find_element("xpath", "..")
        texts = [self.main_text(browser, hit) for hit in browser.all_by_role("article", within=group)]
        return [next((word for word in ("countdown", "checklist", "ferry") if word in text), text) for text in texts]


if __name__ == "__main__":
    unittest.main()
