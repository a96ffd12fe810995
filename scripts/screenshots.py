"""Screenshots of every page, at phone and desktop sizes, against a running `make run`.

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [output-folder]

Logs in as the demo personas; writes one PNG per page and size. For looking, not for tests.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
PASSWORD = "demo-reperes-2026"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}

PAGES = {
    None: [
        "/",
        "/compte/connexion/",
        "/compte/inscription/",
        "/compte/mot-de-passe/oublie/",
        "/compte/verification/renvoyer/",
        "/invitations/abc/",
        "/nexiste-pas/",
    ],
    "alice": [
        "/?tous=1",
        "/s/jardins-du-lien/",
        "/s/jardins-du-lien/equipe/",
        "/s/jardins-du-lien/reseaux/",
        "/s/jardins-du-lien/journal/",
        "/s/jardins-du-lien/profil/",
        "/s/jardins-du-lien/quitter/",
        "/structures/nouvelle/",
        "/compte/",
        "/compte/mot-de-passe/",
        "/compte/supprimer/",
    ],
    "bob": ["/s/jardins-du-lien/", "/s/jardins-du-lien/equipe/"],
    "hugo": ["/r/reseau-ess-demo/", "/r/reseau-ess-demo/equipe/"],
    "nina": ["/r/reseau-ess-demo/"],
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for size, (width, height) in SIZES.items():
            for persona, paths in PAGES.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                if persona:
                    page.goto(f"{BASE}/compte/connexion/")
                    page.fill("#id_username", f"{persona}@demo.reperes.fr")
                    page.fill("#id_password", PASSWORD)
                    page.click("button[type=submit]")
                for path in paths:
                    page.goto(BASE + path)
                    name = f"{size}-{persona or 'anon'}-{path.strip('/').replace('/', '_') or 'home'}"
                    page.screenshot(path=OUT / f"{name}.png", full_page=True)
                context.close()
        browser.close()
    print(f"Captures dans {OUT}/")


if __name__ == "__main__":
    main()
