"""Browser tests: Debian's Chromium driven by Playwright, axe-core on every page visited."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# between page actions are safe here (one thread, no concurrent use).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


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


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    return {**browser_context_args, "viewport": viewport, "locale": "fr-FR"}


_axe = Axe()


class A11yChecker:
    """Runs axe-core on the current page and remembers every page it checked."""

    def __init__(self, page):
        self.page = page
        self.checked = []

    def __call__(self):
        results = _axe.run(self.page)
        self.checked.append(self.page.url)
        assert results.violations_count == 0, f"axe-core sur {self.page.url} :\n{results.generate_report()}"


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
