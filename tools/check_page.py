#!/usr/bin/python3
"""check_page.py PAGE [--chromium PATH] [--timeout SECONDS] [--screenshot FILE [--at ID]]

Loads a results page (out/index.html, as make-index writes it) in headless Chromium and checks
what a reader would see:
  - every image loads (a broken one: complete and naturalWidth 0, or never loaded);
  - no table has a row with more cells than its header row;
  - every lab of the run has its section: the labs that run.json beside the page lists, and
    every lab-* folder beside it.
Prints one line per problem, naming the page, and a closing verdict line. With --screenshot, also
saves what a 1280 x 1000 window shows as a PNG: the top of the page, or the section with id ID
(--at lab-bug-gallery) scrolled to the top of the window.

Exit status: 0 when the page passes, 1 when it has a problem, 2 on bad usage or when the page
cannot be loaded, 77 when no Chromium is found (the test suite reads 77 as "skipped").

Chromium is driven through its DevTools protocol on a pair of pipes (--remote-debugging-pipe),
so nothing beyond Python's standard library is needed and no port is opened; it runs offline and
as root (--no-sandbox). Run it with the system's Python (/usr/bin/python3).
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKIP = 77

# Runs in the page once it has loaded: waits for every image to settle (lazy ones included),
# then returns what it found. A table is named by its heading (h3) or its <summary>.
CHECK_JS = r"""
(async () => {
  const images = Array.from(document.images);
  for (const img of images) img.loading = 'eager';
  await Promise.race([
    Promise.all(images.map(img => img.complete ? null :
      new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done); }))),
    new Promise(done => setTimeout(done, 10000))]);
  const problems = [];
  for (const img of images)
    if (!img.complete || img.naturalWidth === 0)
      problems.push('broken image: ' + img.getAttribute('src'));
  const width = row => Array.from(row.cells).reduce((n, cell) => n + (cell.colSpan || 1), 0);
  const tableName = (table, k) => {
    const before = table.previousElementSibling;
    if (before && /^H[1-6]$/.test(before.tagName)) return '"' + before.textContent.trim() + '"';
    const details = table.closest('details');
    const summary = details && details.querySelector('summary');
    if (summary) return '"' + summary.textContent.trim() + '"';
    return 'table ' + (k + 1);
  };
  const tables = Array.from(document.querySelectorAll('table'));
  tables.forEach((table, k) => {
    if (table.rows.length === 0) return;
    const header = width(table.rows[0]);
    for (let r = 1; r < table.rows.length; ++r) {
      const cells = width(table.rows[r]);
      if (cells > header) {
        const section = table.closest('section');
        problems.push('table ' + tableName(table, k) + (section && section.id ? ' in section ' + section.id : '') +
                      ': row ' + r + ' has ' + cells + ' cells, its header ' + header);
      }
    }
  });
  return {problems, images: images.length, tables: tables.length,
          sections: Array.from(document.querySelectorAll('section[id]')).map(s => s.id)};
})()
"""


def find_chromium(given):
    if given:
        return given if shutil.which(given) else None
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    """Headless Chromium and its DevTools protocol over fds 3 (to it) and 4 (from it)."""

    def __init__(self, chromium, profile, deadline):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--mute-audio", "--hide-scrollbars", "--window-size=1280,1024",
                "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"]

        def map_fds():  # the child's fd 3 reads our writes, its fd 4 is what we read
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)  # out of the way of 3 and 4 first
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)  # inheritable: open across exec
            os.dup2(high_w, 4)

        self.log = tempfile.TemporaryFile()  # Chromium's own messages, for an error
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                        preexec_fn=map_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.deadline = deadline
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _message(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise ConnectionError("Chromium closed its pipe: " + self.stderr_tail())
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        request = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self.to_browser, json.dumps(request).encode() + b"\0")
        while True:
            message = self._message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(method + ": " + message["error"].get("message", str(message["error"])))
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, session):
        while True:
            for k, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(k)
            self.events.append(self._message())

    def stderr_tail(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-600:].strip()

    def close(self):
        try:
            if self.process.poll() is None:
                self.call("Browser.close")
                self.process.wait(timeout=5)
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        for fd in (self.to_browser, self.from_browser):
            try:
                os.close(fd)
            except OSError:
                pass


def load_and_check(chromium, page, timeout, screenshot=None, at=None):
    with tempfile.TemporaryDirectory(prefix="check-page-") as profile:
        browser = Browser(chromium, profile, time.monotonic() + timeout)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            browser.call("Page.enable", session=session)
            navigation = browser.call("Page.navigate", {"url": page.as_uri()}, session=session)
            if navigation.get("errorText"):
                raise RuntimeError("cannot load the page: " + navigation["errorText"])
            browser.wait_for("Page.loadEventFired", session)
            result = browser.call("Runtime.evaluate", {"expression": CHECK_JS, "awaitPromise": True,
                                                       "returnByValue": True}, session=session)
            if "exceptionDetails" in result:
                raise RuntimeError("the check's script failed: " + json.dumps(result["exceptionDetails"])[:400])
            if screenshot:
                take_screenshot(browser, session, Path(screenshot), at)
            return result["result"]["value"]
        finally:
            browser.close()


def take_screenshot(browser, session, file, at):
    """What a 1280 x 1000 window shows, the section `at` (an id) at its top, saved whole as a PNG."""
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=session)
    target = json.dumps(at) if at else "null"
    found = browser.call("Runtime.evaluate", {"expression": f"""
        (() => {{ const id = {target};
                  if (id === null) {{ window.scrollTo(0, 0); return true; }}
                  const e = document.getElementById(id);
                  if (!e) return false;
                  e.scrollIntoView({{block: 'start'}});
                  return true; }})()""", "returnByValue": True}, session=session)
    if not found["result"]["value"]:
        raise RuntimeError(f"--at {at}: the page has no element with that id")
    shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)
    part = file.with_name(file.name + ".part")
    part.write_bytes(base64.b64decode(shot["data"]))
    part.replace(file)


def labs_of_run(folder):
    """The labs the page must show: run.json's, and every lab-* folder beside the page."""
    labs = set()
    run = folder / "run.json"
    if run.is_file():
        try:
            listed = json.loads(run.read_text()).get("labs", {})
            if isinstance(listed, dict):
                labs.update(listed)
        except (json.JSONDecodeError, AttributeError):
            pass
    labs.update(p.name for p in folder.glob("lab-*") if p.is_dir())
    return sorted(labs)


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def main():
    parser = argparse.ArgumentParser(description="Check a results page in headless Chromium: images, tables, sections.")
    parser.add_argument("page", help="the page, e.g. out/index.html")
    parser.add_argument("--chromium", help="the browser (default: chromium on PATH, or $CHROMIUM)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for the whole check (default 60)")
    parser.add_argument("--screenshot", help="also save the window's view (1280 x 1000) as this PNG")
    parser.add_argument("--at", help="with --screenshot: the id of the section to show at the top")
    try:
        options = parser.parse_args()
    except SystemExit as e:
        sys.exit(2 if e.code else 0)
    page = Path(options.page).resolve()
    if not page.is_file():
        print(f"check_page: {options.page}: no such page", file=sys.stderr)
        return 2
    chromium = find_chromium(options.chromium)
    if not chromium:
        print(f"check_page: {options.page}: not checked: no Chromium (install Debian's chromium)")
        return SKIP
    try:
        found = load_and_check(chromium, page, options.timeout, options.screenshot, options.at)
    except (RuntimeError, TimeoutError, ConnectionError, OSError) as e:
        print(f"check_page: {options.page}: {e}", file=sys.stderr)
        return 2
    problems = list(found["problems"])
    sections = set(found["sections"])
    for lab in labs_of_run(page.parent):
        if lab not in sections:
            problems.append(f"missing section: {lab} (a lab of the run)")
    for problem in problems:
        print(f"{options.page}: {problem}")
    counts = ", ".join(plural(n, word) for n, word in
                       ((found["images"], "image"), (found["tables"], "table"), (len(sections), "section")))
    if problems:
        print(f"{options.page}: FAIL in headless Chromium: {plural(len(problems), 'problem')} ({counts})")
        return 1
    print(f"{options.page}: PASS in headless Chromium ({counts}: no broken image, no row wider than its header, every lab's section)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
