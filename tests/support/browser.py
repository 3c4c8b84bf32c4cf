"""Headless Chromium (Debian's) driven by Playwright, with axe-core for WCAG 2.2 A/AA checks."""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

AXE_JS = Path(__file__).resolve().parent.parent / "browser_assets" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 320, "height": 640}
#: A current phone, as the pages were checked by eye.
PHONE_390 = {"width": 390, "height": 844}
IPAD = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: run 'apt-get install chromium' (.ci/run does this)")
    if not AXE_JS.is_file():
        raise RuntimeError("axe-core is not installed: run 'npm ci --prefix tests/browser_assets'")
    return path


#: Records every Content-Security-Policy violation, from before the page's first byte.
CSP_WATCH_JS = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"""


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def other_hosts(self) -> set[str]:
        """Hosts other than loopback that the page tried to reach."""
        hosts = {urlsplit(url).hostname for url in self.requests if url.startswith(("http:", "https:"))}
        return {h for h in hosts if h not in {"127.0.0.1", "localhost"}}


#: The contexts ``open_page`` made for the running test; ``close_pages`` ends them after it (tests/conftest.py),
#: so a long run never piles up Chromium's renderers until the browser gives out.
_contexts: list = []


def close_pages() -> None:
    while _contexts:
        # A context the test closed itself, or a browser already gone, needs no closing.
        with contextlib.suppress(Exception):
            _contexts.pop().close()


def open_page(browser: Browser, url: str, viewport: dict | None = None) -> Visit:
    """Open ``url``, recording every request and blocking any to another host."""
    context = browser.new_context(viewport=viewport or DESKTOP)
    _contexts.append(context)
    context.add_init_script(CSP_WATCH_JS)
    page = context.new_page()
    visit = Visit(page)
    page.on("console", lambda message: visit.console_errors.append(message.text) if message.type == "error" else None)

    def route(route, request) -> None:
        visit.requests.append(request.url)
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:")) and host not in {"127.0.0.1", "localhost"}:
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    return visit


# Colours sampled mid-fade (Material's search panel fades in over 0.4 s) would fail contrast
# for a reason no reader ever sees, so axe runs only once every finite animation has ended.
SETTLE_JS = """async () => {
    const finite = document.getAnimations().filter(
        a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map(a => a.finished.catch(() => null)));
}"""


def settle(page: Page) -> None:
    """Wait until every CSS transition and finite animation on the page has finished."""
    page.evaluate(SETTLE_JS)


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core with the WCAG 2.2 A and AA rules on the settled page; returns its violations, simplified."""
    settle(page)
    # Evaluated by the browser's automation rather than added as a <script>: the pages' policy
    # (script-src 'self') rightly refuses an inline script.
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=2)


def has_horizontal_scroll(page: Page) -> bool:
    """True when the page is wider than the viewport (content cut off on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")


LINES_JS = """(selector) => [...document.querySelectorAll(selector)].map(element => {
    // Where the browser wrapped each element's text: the characters of each line box, in order.
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const lines = [];
    let current = "", top = null, node;
    while ((node = walker.nextNode())) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (!box) continue;
            if (top !== null && Math.abs(box.top - top) > box.height / 2) { lines.push(current); current = ""; }
            current += node.data[i];
            top = box.top;
        }
    }
    lines.push(current);
    return lines;
})"""


def wrapped_lines(page: Page, selector: str) -> list[list[str]]:
    """For each element matching ``selector``, its text as the lines the browser laid it out in."""
    return page.evaluate(LINES_JS, selector)


WIDER_JS = """(selector) => [...document.querySelectorAll(selector)].flatMap(column => {
    const edge = column.getBoundingClientRect().right + 1;
    return [...column.querySelectorAll("*")]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > edge
                     && !e.closest("[data-scrolls], .table-wrap"))
        .map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
})"""


def wider_than_column(page: Page, selector: str) -> list[str]:
    """Elements inside each ``selector`` column that stick out past its right edge (inside a
    scrolling region is allowed: that region scrolls, and says so)."""
    return page.evaluate(WIDER_JS, selector)
