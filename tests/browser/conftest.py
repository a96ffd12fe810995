"""Browser tests: Debian's Chromium driven by Playwright.

A journey runs once, on a phone unless it asks for a desktop (`@pytest.mark.parametrize(
"viewport", ["desktop"], indirect=True)`, or a second browser context of its own). Every page it
checks is checked at both sizes all the same: axe-core at 390×844 and at 1280×800 (the page is
resized, not visited again), no sideways scrolling at 320×640, and, once per session, the Nu HTML
Checker. Running each journey at both sizes doubled the browser tests' time for the same
checks (the server sends the same HTML to both)."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# between page actions are safe here (one thread, no concurrent use).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# WCAG 1.4.10 (reflow): at 320 CSS pixels wide nothing makes the page scroll sideways.
NARROW = {"width": 320, "height": 640}

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / ".tools" / "vnu" / "vnu.jar")
JAVA = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        # Never a skip: a missing browser is a broken test machine.
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}). Installez-le : apt-get install chromium libatomic1"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(params=["phone"], ids=["phone"])
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    return {**browser_context_args, "viewport": viewport, "locale": "fr-FR"}


_axe = Axe()
# The script is sent to a page once, then run at each size.
AXE_LOADED_JS = "() => typeof window.axe === 'object'"
AXE_RUN_JS = "() => axe.run({resultTypes: ['violations']})"

# The element that reaches furthest right, outside any container that scrolls by itself.
WIDEST_ELEMENT_JS = """() => {
    const limit = window.innerWidth;
    const scrollsItself = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
    };
    let widest = null, right = limit;
    for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect().right;
        if (r > right + 0.5 && !scrollsItself(el)) { widest = el; right = r; }
    }
    if (!widest) return "aucun élément repéré";
    const name = widest.tagName.toLowerCase() + (widest.id ? "#" + widest.id : "")
        + [...widest.classList].map((c) => "." + c).join("");
    const text = (widest.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${name} (jusqu'à ${Math.round(right)} px) « ${text} »`;
}"""


class HtmlPages:
    """The HTML of every page checked in the session, validated once at the end."""

    def __init__(self):
        self.folder = None
        self.urls = {}  # file name → the first URL that showed this exact HTML

    def add(self, url, html):
        if self.folder is None:
            return
        name = hashlib.sha256(html.encode()).hexdigest()[:16] + ".html"
        if name not in self.urls:
            (self.folder / name).write_text(html, encoding="utf-8")
            self.urls[name] = url

    def errors(self):
        if not self.urls:
            return []
        files = [str(self.folder / name) for name in sorted(self.urls)]
        run = subprocess.run(
            [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            messages = json.loads(run.stderr)["messages"]
        except (ValueError, KeyError):
            return [f"le validateur n'a pas répondu en JSON (code {run.returncode}) : {run.stderr[:2000]}"]
        return [
            f"{self.urls.get(Path(m.get('url', '')).name, m.get('url'))}, ligne {m.get('lastLine', '?')} : "
            f"{m.get('message')}\n    {m.get('extract', '').strip()}"
            for m in messages
        ]


html_pages = HtmlPages()


@pytest.fixture(scope="session", autouse=True)
def validate_html(tmp_path_factory):
    """Runs the Nu HTML Checker once on every page A11yChecker saw; fails on any error."""
    # Never a skip: a missing validator is a broken test machine, like a missing browser.
    if not shutil.which(JAVA):
        pytest.fail(f"Java est introuvable ({JAVA}), il fait tourner le validateur HTML : make system-deps")
    if not VNU_JAR.exists():
        pytest.fail(f"Le validateur HTML est introuvable ({VNU_JAR}) : scripts/vnu.sh (ou make test)")
    html_pages.folder = tmp_path_factory.mktemp("html")
    yield
    errors = html_pages.errors()
    html_pages.folder = None
    if errors:
        pytest.fail(f"HTML invalide ({len(errors)} erreurs, validateur Nu) :\n" + "\n".join(errors))


class A11yChecker:
    """Checks the current page: axe-core at its size and at the other size of VIEWPORTS, no
    sideways scrolling at 320×640, and (at the end of the session) valid HTML. Remembers every
    page it checked."""

    def __init__(self, page):
        self.page = page
        self.checked = []
        self.document = None  # the last page loaded: its source keeps what the DOM repairs
        page.on("response", self._remember_document)

    def _remember_document(self, response):
        request = response.request
        if (
            request.is_navigation_request()
            and response.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self.document = response

    def __call__(self):
        # What a page loads after itself (htmx, data-hx-trigger="load") is part of what is checked.
        # A locator waits without evaluating a string in the page, which the CSP forbids.
        pending = self.page.locator('[data-hx-trigger="load"]')
        if pending.count():
            pending.first.wait_for(state="detached")
        self.save_html()
        size = self.page.viewport_size
        sizes = [size, *(other for other in VIEWPORTS.values() if other != size)]
        if not self.page.evaluate(AXE_LOADED_JS):
            self.page.evaluate(_axe.axe_script)
        try:
            for checked in sizes:
                if checked != size:
                    self.page.set_viewport_size(checked)
                results = AxeResults(self.page.evaluate(AXE_RUN_JS))
                assert results.violations_count == 0, (
                    f"axe-core sur {self.page.url} à {checked['width']}×{checked['height']} :\n"
                    f"{results.generate_report()}"
                )
            self.check_reflow()
        finally:
            self.page.set_viewport_size(size)
        self.checked.append(self.page.url)

    def save_html(self):
        # The source as served (a stray end tag is only there) and the page as it is now.
        if self.document is not None and self.document.url == self.page.url:
            try:
                html_pages.add(self.page.url, self.document.body().decode())
            except PlaywrightError:  # a body the browser no longer holds: the DOM is checked
                pass
        html_pages.add(self.page.url, self.page.content())

    def check_reflow(self):
        self.page.set_viewport_size(NARROW)
        overflow = self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        widest = self.page.evaluate(WIDEST_ELEMENT_JS) if overflow > 0 else ""
        assert overflow <= 0, (
            f"{self.page.url} défile de côté à 320×640 ({overflow} px de trop) ; le plus large : {widest}"
        )


@pytest.fixture
def check_a11y(page):
    return A11yChecker(page)


@pytest.fixture
def live_url(live_server):
    def url(path):
        return f"{live_server.url}{path}"

    return url


@pytest.fixture
def other_page(browser, browser_context_args):
    """A second, separate browser session (another person), closed after the test."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()
