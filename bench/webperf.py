"""The measurements of bench/web-perf (see there), against the stack on 127.0.0.1:8080."""
import concurrent.futures
import gzip
import json
import os
import re
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "web", "e2e"))
from harness import GATEWAY, Browser, api, new_user  # noqa: E402

HISTORY = int(os.environ.get("HISTORY", "10000"))
RUNS = int(os.environ.get("RUNS", "7"))


def first_load_bytes():
    """What index.html loads at once (its style sheet, entry script and that script's static
    imports), gzipped as the gateway sends it."""
    def fetch(path):
        request = urllib.request.Request(GATEWAY + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as reply:
            return reply.read()
    index = fetch("/")
    total = len(index)
    page = gzip.decompress(index).decode()
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', page)
    for asset in assets:
        body = fetch(asset)
        total += len(body)
        if asset.endswith(".js"):
            assets += ["/assets/" + name for name in re.findall(r'from"\./([^"]+\.js)"', gzip.decompress(body).decode()) if "/assets/" + name not in assets]
    return total, len(assets) + 1


def session_json(token, user):
    return json.dumps({"token": token, "expiresAt": "2100-01-01T00:00:00.000Z", "user": user})


LOADS = iter(range(1_000_000))


def load(browser, route):
    """A new document (not only a new hash): scripts added for new documents run, the app starts."""
    browser.driver.get(f"{GATEWAY}/?load={next(LOADS)}{route}")


def signed_in_browser(name, token, user, **options):
    browser = Browser(name, **options)
    browser.open("#/login")
    browser.driver.execute_script("sessionStorage.setItem('parley.session', arguments[0])", session_json(token, user))
    return browser


ROOMS_LISTED = """
window.__roomsListed = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('nav[aria-label="Rooms"] a')) { window.__roomsListed = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def measure_first_load(token, user):
    browser = signed_in_browser("first-load", token, user)
    browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ROOMS_LISTED})
    cold, warm = [], []
    for run in range(RUNS):
        if run % 2 == 0:
            browser.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        load(browser, "#/")
        value = browser.wait(lambda: browser.driver.execute_script("return window.__roomsListed"), "the room list")
        (cold if run % 2 == 0 else warm).append(value)
    browser.quit()
    return statistics.median(cold), statistics.median(warm)


SWITCH = """
const [roomId, name, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const start = performance.now();
location.hash = '#/rooms/' + roomId;
const check = () => {
  const heading = document.querySelector('h1');
  if (heading && heading.textContent === name && document.querySelector('[role=log] article')) {
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
  } else requestAnimationFrame(check);
};
check();
"""


def measure_room_switch(token, user, rooms):
    browser = signed_in_browser("switch", token, user)
    load(browser, "#/")
    browser.by_role("navigation", "Rooms")
    for room in rooms:
        browser.driver.execute_async_script(SWITCH, room["id"], room["name"])
    times = [browser.driver.execute_async_script(SWITCH, rooms[i % 2]["id"], rooms[i % 2]["name"]) for i in range(20)]
    browser.quit()
    return statistics.median(times)


LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push(entry.duration); })
  .observe({type: 'longtask', buffered: true});
"""

SCROLL_STEP = """
const [direction, done] = [arguments[0], arguments[arguments.length - 1]];
const log = document.querySelector('[role=log][aria-label=Messages]');
log.scrollTop = direction === 'up' ? 0 : log.scrollTop + log.clientHeight;
setTimeout(() => requestAnimationFrame(() => done({
  top: log.scrollTop, bottom: log.scrollHeight - log.scrollTop - log.clientHeight,
  start: !!log.querySelector('.room-start'), articles: log.querySelectorAll('article').length,
})), 30);
"""


def measure_history(token, user, room):
    browser = signed_in_browser("history", token, user)
    browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LONG_TASKS})
    load(browser, f"#/rooms/{room['id']}")
    # CSS, not roles: asking for roles turns on the page's accessibility tree, which a screen
    # reader's user has and most people do not.
    browser.wait(lambda: browser.driver.find_elements("css selector", "[role=log] article"), "the newest messages")
    began = time.monotonic()
    most_articles = 0
    while True:
        state = browser.driver.execute_async_script(SCROLL_STEP, "up")
        most_articles = max(most_articles, state["articles"])
        if state["start"] and state["top"] == 0:
            break
        if time.monotonic() - began > 600:
            raise AssertionError("the start of the history was not reached in 10 minutes")
    up_seconds = time.monotonic() - began
    while True:
        state = browser.driver.execute_async_script(SCROLL_STEP, "down")
        most_articles = max(most_articles, state["articles"])
        if state["bottom"] <= 1 and not browser.driver.execute_script("return !document.querySelector('.jump').hidden"):
            break
    tasks = browser.driver.execute_script("return window.__longTasks")
    heap = browser.driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : null")
    browser.quit()
    return up_seconds, max(tasks or [0]), sum(1 for t in tasks if t > 50), heap, most_articles


SEEN = """
window.__seen = {};
new MutationObserver(() => {
  for (const article of document.querySelectorAll('[role=log] article')) {
    const match = /latency-(\\d+)/.exec(article.textContent);
    if (match && !(match[1] in window.__seen)) {
      const index = match[1];
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__seen[index] = Date.now(); }));
      window.__seen[index] = null;
    }
  }
}).observe(document.body, {childList: true, subtree: true});
"""

SEND = """
const box = document.querySelector('textarea[aria-label=Message]');
box.value = arguments[0];
const sentAt = Date.now();
box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
return sentAt;
"""


def measure_latency(alice, bob, room):
    sender = signed_in_browser("sender", alice[2], alice[3])
    receiver = signed_in_browser("receiver", bob[2], bob[3])
    for browser in (sender, receiver):
        load(browser, f"#/rooms/{room['id']}")
        browser.by_role("log", "Messages")
        browser.wait(lambda: browser.text_of("status", "Connection") == "Connected", "Connected")
    receiver.driver.execute_script(SEEN)
    latencies = []
    for index in range(40):
        sent_at = sender.driver.execute_script(SEND, f"latency-{index}")
        seen = receiver.wait(lambda: receiver.driver.execute_script("return window.__seen[arguments[0]]", str(index)), f"message {index}")
        latencies.append(seen - sent_at)
        time.sleep(0.25)
    sender.quit()
    receiver.quit()
    latencies.sort()
    return statistics.median(latencies), latencies[int(len(latencies) * 0.95) - 1]


def main():
    size, files = first_load_bytes()
    print(f"first load: {size / 1024:.1f} KB gzipped in {files} files (target <= 100 KB)")

    alice, bob = new_user("Alice"), new_user("Bob")
    rooms = []
    for index in range(20):
        status, room = api("POST", "/rooms", {"name": f"Room {index:02d}", "type": "public"}, alice[2])
        assert status == 201, (status, room)
        api("POST", f"/rooms/{room['id']}/join", {}, bob[2])
        for line in range(30):
            api("POST", f"/rooms/{room['id']}/messages", {"content": f"room {index} line {line} **with** some `markdown`"}, alice[2])
        rooms.append(room)
    cold, warm = measure_first_load(alice[2], alice[3])
    print(f"index.html to a usable room list (20 rooms): median {cold:.0f} ms cold cache, {warm:.0f} ms warm (target <= 500 ms)")
    print(f"switching between two loaded rooms until painted: median {measure_room_switch(alice[2], alice[3], rooms[:2]):.1f} ms (target <= 100 ms)")

    status, big = api("POST", "/rooms", {"name": "History", "type": "public"}, alice[2])
    assert status == 201, (status, big)
    began = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        # In order within each of 8 streams is enough: the content names each line.
        list(pool.map(lambda n: api("POST", f"/rooms/{big['id']}/messages", {"content": f"history {n:05d}: a line of *text* with a [link](https://example.com/{n})"}, alice[2]), range(HISTORY)))
    print(f"({HISTORY} history messages written in {time.monotonic() - began:.0f} s)")
    seconds, longest, over, heap, articles = measure_history(alice[2], alice[3], big)
    heap_text = f"{heap / 1024 / 1024:.1f} MB" if heap else "n/a"
    print(f"{HISTORY} messages scrolled to the first and back: loading up took {seconds:.0f} s; longest task {longest:.0f} ms, "
          f"{over} tasks over 50 ms; JS heap {heap_text}; at most {articles} articles in the page (targets: none over 50 ms, heap <= 100 MB)")

    p50, p95 = measure_latency(alice, bob, rooms[0])
    print(f"a message sent in one browser, painted in the other: p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p50 <= 150 ms)")


if __name__ == "__main__":
    main()
