"""Screenshots of every page of the running dApp, for the README: docs/images/<page>.png.

Start the app first (`./run dapp`: a seeded local chain and the app's server), then run
`.venv/bin/python tools/screenshots.py` (defaults: the app at http://127.0.0.1:8000/, its chain
at http://127.0.0.1:8545). Headless Chromium (Debian's, tools/setup.sh) opens the app with the
test wallet (tools/browser_wallet.js) as a dev account of the chain, by default the seed's maker
(eth_accounts index 1, who opened one offer per instrument), connects, and captures the dashboard,
the settings and each instrument's account, create, positions and history pages; the marketplaces
as the next dev account (a taker, who sees the seeded offers' Engage buttons). Fails, writing
nothing further, on any page error or console error.
"""

import argparse
import json
import sys
import urllib.request
from pathlib import Path

from dapp_browser import chromium_path, show_route, wallet_script
from playwright.sync_api import sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTRUMENTS = ("swap", "multiswap", "lending", "borrowing")
PAGES = ("account", "create", "market", "positions", "history")
#: (hash route, file name) of every page.
ROUTES = (
    ("#/", "dashboard"),
    *((f"#/{instrument}/{page}", f"{instrument}-{page}") for instrument in INSTRUMENTS for page in PAGES),
    ("#/settings", "settings"),
)
#: The pages shown as the taker (the account after the maker's), not the maker.
TAKER_PAGES = "market"
VIEWPORT = {"width": 1200, "height": 760}


def rpc(url: str, method: str, params: list | None = None):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["result"]


def capture(app_url: str, rpc_url: str, account_index: int, out: Path) -> list[Path]:
    """Saves a full-page PNG of every route of ROUTES to `out`; returns the files."""
    chain_id = int(rpc(rpc_url, "eth_chainId"), 16)
    maker, taker = rpc(rpc_url, "eth_accounts")[account_index : account_index + 2]
    out.mkdir(parents=True, exist_ok=True)
    errors, written = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())

        def connected_page(account):
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(wallet_script(rpc_url, account, chain_id))
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(f"uncaught {error}"))
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.goto(app_url.split("#")[0] + "#/")
            page.get_by_test_id("connect").click()
            page.get_by_test_id("account").wait_for()
            return page

        maker_page, taker_page = connected_page(maker), connected_page(taker)
        for route, name in ROUTES:
            page = taker_page if route.endswith(TAKER_PAGES) else maker_page
            show_route(page, route)
            if errors:
                break
            path = out / f"{name}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        browser.close()
    if errors:
        raise SystemExit("the app logged errors:\n" + "\n".join(errors))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the running app (./run dapp)")
    parser.add_argument("--rpc", default="http://127.0.0.1:8545", help="its chain, where the wallet sends")
    parser.add_argument("--account-index", type=int, default=1, help="which of eth_accounts connects")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "images")
    arguments = parser.parse_args(argv)
    for path in capture(arguments.url, arguments.rpc, arguments.account_index, arguments.out):
        print(path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path)


if __name__ == "__main__":
    main(sys.argv[1:])
