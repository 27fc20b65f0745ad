"""Pong from a chat invitation, in three browsers: two players and one who watches (issue 20)."""
import re
import uuid

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, new_user, room_with

# A match to 11 takes about two seconds a point at the server's pace.
MATCH_SECONDS = 180


class PongTests(BrowserTestCase):
    def players(self):
        """Alice and Bob signed in, in a room of theirs with Carol; Alice has invited the room."""
        alice_name, password, alice_token, _ = new_user("Alice")
        bob_name, _, bob_token, _ = new_user("Bob")
        carol_name, _, carol_token, _ = new_user("Carol")
        room = f"Arcade {uuid.uuid4().hex[:6]}"
        room_with(alice_token, room, bob_token, carol_token)
        browsers = {}
        for name, username in (("alice", alice_name), ("bob", bob_name), ("carol", carol_name)):
            browser = self.browser(name)
            browser.sign_in(username, password)
            browser.open_room(room)
            browsers[name] = browser
        alice, bob = browsers["alice"], browsers["bob"]
        alice.click("button", "Play Pong")
        # Found anew on each try: the article is drawn again once the invitation's state arrives.
        def invitation(browser):
            return lambda: next((a for a in browser.messages() if "invited the room to play Pong" in a.text), None)
        alice.by_role("button", "Cancel invitation", within=invitation(alice))
        self.assertEqual(alice.all_by_role("button", "Accept", within=invitation(alice)), [], "no Accept for its sender")
        bob.click("button", "Accept", within=invitation(bob))
        for browser in browsers.values():
            browser.wait(lambda b=browser: b.by_role("region", "Pong").is_displayed(), "the court")
        return browsers

    def score(self, browser):
        return browser.text_of("status", "Score")

    def test_a_match_from_the_invitation_to_the_result_in_the_room(self):
        browsers = self.players()
        alice, bob, carol = browsers["alice"], browsers["bob"], browsers["carol"]
        self.assertEqual(self.score(alice), "Alice 0 – 0 Bob")
        self.assertIn("You play left", alice.text_of("region", "Pong"))
        self.assertIn("You are watching", carol.text_of("region", "Pong"))
        court = bob.by_role("img", "Pong court")
        self.assertTrue(court.is_displayed())
        # Scripted inputs: Bob holds Up, so his paddle sits at the top; Alice's stays in the middle.
        ActionChains(bob.driver).key_down(Keys.ARROW_UP).perform()
        alice.wait(lambda: re.search(r"\b11\b", self.score(alice)), "a player to reach 11", timeout=MATCH_SECONDS)
        final = self.score(alice)
        for browser in (bob, carol):
            browser.wait(lambda b=browser: self.score(b) == final, f"the same score for {browser.name}")
        left, right = (int(n) for n in re.findall(r"\d+", final))
        winner, loser, won, lost = ("Alice", "Bob", left, right) if left == 11 else ("Bob", "Alice", right, left)
        result = f"{winner} beat {loser} {won}-{lost}"
        for browser in browsers.values():
            browser.wait_for_message(result)
            self.assertIn(f"{winner} won", browser.text_of("region", "Pong"))
        ActionChains(bob.driver).key_up(Keys.ARROW_UP).perform()
        carol.click("button", "Close", within=carol.by_role("region", "Pong"))
        carol.wait(lambda: not any(region.is_displayed() for region in carol.all_by_role("region", "Pong")), "the court to close")

    def test_a_player_who_leaves_forfeits(self):
        browsers = self.players()
        alice, bob = browsers["alice"], browsers["bob"]
        bob.quit()
        self.browsers.remove(bob)
        alice.wait(lambda: "Alice won: the other player left" in alice.text_of("region", "Pong"), "the forfeit", timeout=30)
        alice.wait_for_message("(Bob left the match)")
        browsers["carol"].wait_for_message("(Bob left the match)")
