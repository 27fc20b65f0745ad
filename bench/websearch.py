"""bench/web-search's measurement: searches typed into the web app's searchbox in headless
Chromium, each timed from Enter to the results painted (two animation frames after the region
"Search results" holds them), against a stack that bench/searchgen filled. Prints p50 and p95."""
import json
import statistics
import sys

from webperf import load, signed_in_browser
from harness import api

SEARCH = """
const [query, done] = [arguments[0], arguments[arguments.length - 1]];
const box = document.querySelector('input[type=search][aria-label="Search messages"]');
const region = () => document.querySelector('section.search-results');
const before = region();
box.value = query;
const start = performance.now();
box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
const check = () => {
  const shown = region();
  // A new page for a new query, its answer in (hits, or the line saying there are none).
  if (shown && shown !== before && shown.isConnected && !shown.hasAttribute('aria-busy') && shown.querySelector('[role=status]').textContent) {
    requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - start, shown.querySelectorAll('article').length])));
  } else requestAnimationFrame(check);
};
check();
"""


def main():
    with open(sys.argv[1]) as file:
        session = json.load(file)
    status, user = api("GET", "/auth/me", token=session["token"])
    assert status == 200, (status, user)
    browser = signed_in_browser("search", session["token"], user)
    load(browser, "#/")
    browser.by_role("navigation", "Rooms")
    browser.driver.set_script_timeout(30)
    # The search view's code loads on first use: one search before the timed ones.
    browser.driver.execute_async_script(SEARCH, "warming up")
    times, hits, previous = [], 0, None
    for query in session["queries"]:
        # The same search again is the same page (the route does not change): nothing to time.
        if query.strip() == previous:
            continue
        previous = query.strip()
        milliseconds, shown = browser.driver.execute_async_script(SEARCH, query)
        times.append(milliseconds)
        hits += shown
    browser.quit()
    times.sort()
    print(f"web app: {len(times)} searches from Enter to results painted: p50 {statistics.median(times):.0f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, max {times[-1]:.0f} ms; {hits} hits shown (target p50 <= 150 ms)")


if __name__ == "__main__":
    main()
