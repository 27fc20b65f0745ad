"""The settings page (#/settings): the profile as others see it, theme and font size, two-factor
authentication turned on and used, the password, and signed-in sessions."""
import re
import unittest

from selenium.webdriver.support.ui import Select

from harness import BrowserTestCase, api, new_user
from test_sessions import totp


def open_settings(browser):
    browser.click("button", "Settings")
    return lambda: browser.by_role("region", "Settings")


def html_attribute(browser, name):
    return browser.driver.execute_script("return document.documentElement.getAttribute(arguments[0])", name)


def emulate_color_scheme(browser, scheme):
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})


def next_frames(browser):
    """Returns once the page has rendered twice more: media query changes have been reported."""
    browser.driver.execute_async_script("requestAnimationFrame(() => requestAnimationFrame(arguments[0]))")


def login(username, password, totp_code=None):
    body = {"username": username, "password": password}
    if totp_code:
        body["totp_code"] = totp_code
    return api("POST", "/auth/login", body)


class SettingsTests(BrowserTestCase):
    def test_a_new_name_and_status_reach_the_members_list_of_someone_else(self):
        alice_name, password, alice_token, alice_user = new_user("Alice")
        bob_name, _, bob_token, _ = new_user("Bob")
        status, room = api("POST", "/rooms", {"name": "Garden", "type": "public"}, alice_token)
        self.assertEqual(status, 201, room)
        self.assertIn(api("POST", f"/rooms/{room['id']}/join", {}, bob_token)[0], (200, 204))
        alice, bob = self.browser("alice"), self.browser("bob")
        alice.sign_in(alice_name, password)
        bob.sign_in(bob_name, password)
        bob.open_room("Garden")
        bob.click("button", "Members")
        members = lambda: bob.by_role("complementary", "Members")
        bob.wait(lambda: any("Alice" in item.text and "online" in item.text for item in bob.all_by_role("listitem", within=members)), "Alice online")

        settings = open_settings(alice)
        self.assertIn("#/settings", alice.driver.current_url)
        self.assertEqual(alice.by_role("textbox", "Display name", within=settings).get_attribute("value"), "Alice")
        alice.type_into("textbox", "Display name", "Alice Liddell", within=settings)
        Select(alice.by_role("combobox", "Status", within=settings)).select_by_visible_text("Busy")
        alice.type_into("textbox", "Status message", "down the rabbit hole", within=settings)
        alice.click("button", "Save", within=settings)
        alice.wait(lambda: "Your profile is saved." in settings().text, "the profile saved")

        bob.wait(lambda: any("Alice Liddell" in item.text and "busy" in item.text for item in bob.all_by_role("listitem", within=members)), "the new name and status")
        status, profile = api("GET", f"/users/{alice_user['id']}", token=bob_token)
        self.assertEqual((profile["display_name"], profile["status"], profile["status_message"]), ("Alice Liddell", "busy", "down the rabbit hole"))

        # A refused value is shown next to its field, with the API's message.
        alice.driver.execute_script("arguments[0].removeAttribute('maxlength')", alice.by_role("textbox", "Display name", within=settings))
        alice.type_into("textbox", "Display name", "x" * 51, within=settings)
        alice.click("button", "Save", within=settings)
        box = alice.by_role("textbox", "Display name", within=settings)
        alice.wait(lambda: box.get_attribute("aria-invalid") == "true", "the refusal next to the field")
        error = alice.driver.find_element("id", box.get_attribute("aria-describedby"))
        self.assertIn("display name", error.text.lower())

    def test_the_theme_and_font_size_apply_at_once_and_stay(self):
        name, password, _, _ = new_user("Cleo")
        cleo = self.browser("cleo")
        emulate_color_scheme(cleo, "light")
        cleo.sign_in(name, password)
        settings = open_settings(cleo)
        self.assertTrue(cleo.by_role("radio", "System", within=settings).is_selected(), "System is the default")
        self.assertEqual(html_attribute(cleo, "data-theme"), "light")

        cleo.click("radio", "Dark", within=settings)
        cleo.wait(lambda: html_attribute(cleo, "data-theme") == "dark", "the dark theme")
        cleo.click("radio", "Light", within=settings)
        cleo.wait(lambda: html_attribute(cleo, "data-theme") == "light", "the light theme")
        emulate_color_scheme(cleo, "dark")
        next_frames(cleo)
        self.assertEqual(html_attribute(cleo, "data-theme"), "light", "a chosen theme ignores the system")

        cleo.click("radio", "System", within=settings)
        cleo.wait(lambda: html_attribute(cleo, "data-theme") == "dark", "the system's dark scheme")
        emulate_color_scheme(cleo, "light")
        cleo.wait(lambda: html_attribute(cleo, "data-theme") == "light", "following the system while System is chosen")

        cleo.click("radio", "Large", within=settings)
        cleo.wait(lambda: html_attribute(cleo, "data-font-size") == "large", "the large font")
        self.assertIsNone(html_attribute(cleo, "style"), "no style attribute (the CSP forbids them)")
        cleo.click("radio", "Dark", within=settings)

        # Kept in this browser: a reload shows them again.
        cleo.driver.refresh()
        settings = lambda: cleo.by_role("region", "Settings")
        self.assertTrue(cleo.by_role("radio", "Dark", within=settings).is_selected())
        self.assertTrue(cleo.by_role("radio", "Large", within=settings).is_selected())
        self.assertEqual((html_attribute(cleo, "data-theme"), html_attribute(cleo, "data-font-size")), ("dark", "large"))

        # Language: the page comes back in German, then in English again.
        Select(cleo.by_role("combobox", "Language", within=settings)).select_by_visible_text("Deutsch")
        cleo.wait(lambda: html_attribute(cleo, "lang") == "de", "<html lang=de>")
        cleo.wait(lambda: cleo.all_by_role("region", "Einstellungen"), "the settings in German")
        Select(cleo.driver.find_element("css selector", "select[name=language]")).select_by_visible_text("English")
        cleo.wait(lambda: html_attribute(cleo, "lang") == "en", "<html lang=en>")
        cleo.by_role("region", "Settings")

    def test_two_factor_authentication_is_turned_on_used_to_sign_in_and_turned_off(self):
        name, password, _, _ = new_user("Dana")
        status, elsewhere = login(name, password)
        self.assertEqual(status, 200, elsewhere)
        dana = self.browser("dana")
        dana.sign_in(name, password)
        settings = open_settings(dana)
        dana.click("button", "Enable two-factor authentication", within=settings)
        dana.by_role("img", "QR code", within=settings)
        # The base32 secret, perhaps shown in groups of four.
        found = dana.wait(lambda: re.search(r"\b[A-Z2-7]{4}(?: ?[A-Z2-7]{4}){3,}\b", settings().text), "the secret as text")
        secret = found.group(0).replace(" ", "")

        code = dana.by_role("textbox", "Authentication code", within=settings)
        form = lambda: code.find_element("xpath", "./ancestor::form")
        passwords = dana.all_by_role("textbox", "Current password", within=form)
        self.assertEqual(len(passwords), 1, "one password box in the 2FA form")
        current = passwords[0]

        # A wrong password is said next to its field, and does not sign out.
        code.send_keys(totp(secret))
        current.send_keys("not the password")
        dana.click("button", "Enable", within=form)
        dana.wait(lambda: current.get_attribute("aria-invalid") == "true", "the wrong password refused next to the field")
        self.assertIn("#/settings", dana.driver.current_url)
        # A wrong code likewise.
        code.clear()
        code.send_keys("000000")
        current.clear()
        current.send_keys(password)
        dana.click("button", "Enable", within=form)
        dana.wait(lambda: code.get_attribute("aria-invalid") == "true", "the wrong code refused next to the field")
        self.assertIn("not right", dana.driver.find_element("id", code.get_attribute("aria-describedby")).text)

        code.clear()
        code.send_keys(totp(secret))
        dana.click("button", "Enable", within=form)
        codes_list = lambda: dana.by_role("list", "Recovery codes", within=settings)
        recovery = dana.wait(lambda: [item.text for item in dana.all_by_role("listitem", within=codes_list)], "the recovery codes")
        self.assertEqual(len(recovery), 10)
        self.assertTrue(all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", entry) for entry in recovery), recovery)
        dana.by_role("button", "Copy", within=settings)
        dana.by_role("button", "Download", within=settings)
        self.assertIn("signed you out", settings().text)
        self.assertEqual(api("GET", "/auth/me", token=elsewhere["token"])[0], 401, "the other session ended")
        status, me = api("GET", "/auth/me", token=dana.driver.execute_script("return JSON.parse(sessionStorage.getItem('parley.session')).token"))
        self.assertEqual((status, me["totp_enabled"]), (200, True))

        dana.click("button", "Done", within=settings)
        dana.by_role("button", "Disable two-factor authentication", within=settings)

        # Signing in again takes a code from the authenticator (the next step: this one is used).
        dana.click("button", "Sign out")
        dana.type_into("textbox", "Username", name)
        dana.type_into("textbox", "Password", password)
        dana.click("button", "Sign in")
        dana.type_into("textbox", "Authentication code", totp(secret, 1))
        dana.click("button", "Verify")
        dana.by_role("navigation", "Rooms")

        # Turning it off asks for a code (a recovery code here) and the password.
        settings = open_settings(dana)
        dana.click("button", "Disable two-factor authentication", within=settings)
        dana.type_into("textbox", "Authentication code", recovery[0], within=settings)
        dana.type_into("textbox", "Current password", password, within=lambda: dana.by_role("textbox", "Authentication code").find_element("xpath", "./ancestor::form"))
        dana.click("button", "Disable two-factor authentication", within=settings)
        dana.by_role("button", "Enable two-factor authentication", within=settings)
        status, reply = login(name, password)
        self.assertEqual(status, 200, reply)

    def test_a_new_password_signs_out_the_other_sessions(self):
        name, password, _, _ = new_user("Erin")
        erin, phone = self.browser("erin"), self.browser("phone")
        erin.sign_in(name, password)
        phone.sign_in(name, password)
        phone.wait(lambda: phone.text_of("status", "Connection") == "Connected", "Connected")
        open_settings(erin)
        form = lambda: erin.by_role("form", "Change password")

        erin.type_into("textbox", "Current password", "not the password", within=form)
        erin.type_into("textbox", "New password", "a brand new secret", within=form)
        erin.click("button", "Change password", within=form)
        current = erin.by_role("textbox", "Current password", within=form)
        erin.wait(lambda: current.get_attribute("aria-invalid") == "true", "the wrong password refused next to the field")
        self.assertIn("#/settings", erin.driver.current_url, "still signed in")

        erin.type_into("textbox", "Current password", password, within=form)
        erin.click("button", "Change password", within=form)
        erin.wait(lambda: "other sessions were signed out" in form().text, "the password changed")
        phone.by_role("button", "Sign in")
        self.assertEqual(login(name, password)[0], 401)
        self.assertEqual(login(name, "a brand new secret")[0], 200)
        erin.by_role("region", "Settings")

    def test_sessions_are_listed_and_another_one_is_signed_out(self):
        name, password, token, _ = new_user("Fay")
        _, _, gus_token, gus = new_user("Gus")
        self.assertEqual(api("POST", f"/users/{gus['id']}/block", token=token)[0], 204)
        del gus_token
        fay, laptop = self.browser("fay"), self.browser("laptop")
        laptop.sign_in(name, password)
        laptop.wait(lambda: laptop.text_of("status", "Connection") == "Connected", "Connected")
        fay.sign_in(name, password)
        settings = open_settings(fay)
        sessions = lambda: fay.by_role("list", "Sessions", within=settings)
        items = lambda: fay.all_by_role("listitem", within=sessions)
        fay.wait(lambda: len(items()) == 3, "three sessions (the API's, the laptop's, this one)")
        this = [item for item in items() if "This device" in item.text]
        self.assertEqual(len(this), 1)
        self.assertEqual(fay.all_by_role("button", "Sign out", within=this[0]), [], "no Sign out on this device")
        self.assertIn("Chrome", this[0].text)
        laptop_item = next(item for item in items() if "This device" not in item.text and "Chrome" in item.text)
        fay.click("button", "Sign out", within=laptop_item)
        laptop.by_role("button", "Sign in")
        fay.wait(lambda: len(items()) == 2, "two sessions left")

        fay.click("button", "Sign out everywhere else", within=settings)
        fay.wait(lambda: len(items()) == 1 and "This device" in items()[0].text, "this session only")
        self.assertEqual(api("GET", "/auth/me", token=token)[0], 401, "the API's session ended")
        fay.by_role("navigation", "Rooms")

        # Blocked people, each with "Unblock".
        blocked = lambda: fay.by_role("list", "Blocked people", within=settings)
        person = fay.wait(lambda: next((item for item in fay.all_by_role("listitem", within=blocked) if "Gus" in item.text), None), "Gus blocked")
        fay.click("button", "Unblock", within=person)
        fay.wait(lambda: "You have not blocked anyone." in settings().text, "nobody blocked")


if __name__ == "__main__":
    unittest.main()
