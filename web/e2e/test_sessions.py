"""Signing in with two-factor authentication, and a session that ends while in use."""
import base64
import hmac
import struct
import time
import unittest

from selenium.webdriver.common.keys import Keys

from harness import BrowserTestCase, api, new_user


def totp(secret, step_offset=0):
    """The RFC 6238 code an authenticator app shows (SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30 + step_offset), "sha1").digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


class SessionTests(BrowserTestCase):
    def test_two_factor_sign_in_takes_a_code_or_a_recovery_code(self):
        name, password, token, _ = new_user("Dana")
        status, setup = api("POST", "/auth/2fa/setup", {}, token)
        self.assertEqual(status, 200, setup)
        status, enabled = api("POST", "/auth/2fa/enable", {"code": totp(setup["secret"]), "password": password}, token)
        self.assertEqual(status, 200, enabled)

        dana = self.browser("dana")
        dana.open("#/login")
        dana.type_into("textbox", "Username", name)
        dana.type_into("textbox", "Password", password)
        dana.click("button", "Sign in")
        code = dana.by_role("textbox", "Authentication code")
        code.send_keys("000000")
        dana.click("button", "Verify")
        dana.wait(lambda: code.get_attribute("aria-invalid") == "true", "the wrong code refused next to the field")
        code.clear()
        code.send_keys(enabled["recovery_codes"][0])
        dana.click("button", "Verify")
        dana.by_role("navigation", "Rooms")
        dana.wait(lambda: dana.text_of("status", "Connection") == "Connected", "Connected")

        dana.click("button", "Sign out")
        dana.by_role("button", "Sign in")
        self.assertIsNone(dana.driver.execute_script("return sessionStorage.getItem('parley.session')"), "the token is gone")

    def test_a_session_ended_elsewhere_signs_out_and_comes_back_to_the_same_room(self):
        name, password, token, _ = new_user("Erin")
        status, room = api("POST", "/rooms", {"name": "Desk", "type": "private"}, token)
        self.assertEqual(status, 201, room)
        erin = self.browser("erin")
        erin.sign_in(name, password)
        erin.open_room("Desk")
        erin.wait(lambda: erin.text_of("status", "Connection") == "Connected", "Connected")

        # From another device: "sign out everywhere else".
        self.assertEqual(api("DELETE", "/auth/sessions", token=token)[0], 204)
        erin.by_role("button", "Sign in")
        self.assertIn("#/login", erin.driver.current_url)
        erin.type_into("textbox", "Username", name)
        erin.type_into("textbox", "Password", password)
        erin.click("button", "Sign in")
        erin.by_role("heading", "Desk")
        self.assertIn(f"#/rooms/{room['id']}", erin.driver.current_url)

    def test_at_autocompletes_members_and_the_mention_is_rendered(self):
        name, password, token, _ = new_user("Fay")
        bob_name, _, bob_token, _ = new_user("Gus")
        status, room = api("POST", "/rooms", {"name": "Mentions", "type": "public"}, token)
        api("POST", f"/rooms/{room['id']}/join", {}, bob_token)
        fay = self.browser("fay")
        fay.sign_in(name, password)
        fay.open_room("Mentions")
        box = fay.by_role("textbox", "Message")
        box.send_keys("thanks @" + bob_name[:3])
        fay.wait(lambda: fay.driver.find_element("css selector", "[role=listbox]").is_displayed(), "the member list")
        self.assertEqual(box.get_attribute("aria-expanded"), "true")
        box.send_keys(Keys.ENTER)
        self.assertEqual(box.get_attribute("value"), f"thanks @{bob_name} ")
        box.send_keys(Keys.ENTER)
        message = fay.wait_for_message("thanks")
        self.assertIn(bob_name, message.text)

    def test_scrolling_up_loads_older_pages_and_the_jump_returns_to_the_newest(self):
        name, password, token, _ = new_user("Hal")
        status, room = api("POST", "/rooms", {"name": "Long history", "type": "public"}, token)
        for index in range(300):
            status, reply = api("POST", f"/rooms/{room['id']}/messages", {"content": f"history line {index:03d}"}, token)
            self.assertEqual(status, 201, reply)
        hal = self.browser("hal")
        hal.sign_in(name, password)
        hal.open_room("Long history")
        hal.wait_for_message("history line 299")
        log = hal.by_role("log", "Messages")
        # Scroll to the top until the first message is there: older pages come in on the way.
        def reached_the_start():
            hal.driver.execute_script("arguments[0].scrollTop = 0", log)
            return "history line 000" in log.text
        hal.wait(reached_the_start, "the oldest message", timeout=30)
        self.assertLessEqual(len(hal.messages()), 121, "only a window of the history is in the page")
        hal.click("button", "Jump to newest")
        hal.wait_for_message("history line 299")
        self.assertFalse(any("history line 000" in m.text for m in hal.messages()))


if __name__ == "__main__":
    unittest.main()
