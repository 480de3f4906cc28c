"""Driving the dApp in a real browser, shared by the browser tests (tests/browser), the benchmark
(scripts/bench_dapp.py) and the screenshots (tools/screenshots.py): Debian's headless Chromium,
the injected test wallet (browser_wallet.js), a static server of a built app, and the bundle's
gzipped size.
"""

import functools
import gzip
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Debian's chromium-headless-shell (tools/setup.sh installs it): Playwright cannot download its
#: own browser here, so it is given this one as `executable_path`.
CHROMIUM = Path("/usr/lib/chromium/chromium-headless-shell")
WALLET_JS = Path(__file__).with_name("browser_wallet.js")
#: What the bundle size limit counts: the files a first load fetches (not the deployment records).
BUNDLE_SUFFIXES = (".html", ".js", ".css")


def chromium_path() -> str:
    """CHROMIUM, or a RuntimeError saying how to install it."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `./run setup` installs Debian's chromium-headless-shell (as root)")
    return str(CHROMIUM)


def wallet_script(rpc_url: str, account: str, chain_id: int, start_chain_id: int | None = None) -> str:
    """The test wallet for Playwright's `add_init_script`: `account` on the node at `rpc_url`
    (chain `chain_id`, the only chain it can switch to), first on `start_chain_id` (default
    `chain_id`). See browser_wallet.js for what a test can make it do."""
    options = {
        "rpcUrl": rpc_url,
        "account": account,
        "chainId": hex(chain_id),
        "startChainId": hex(start_chain_id or chain_id),
    }
    return WALLET_JS.read_text().replace("__WALLET_OPTIONS__", json.dumps(options))


def show_route(page, route: str) -> None:
    """Follows hash `route` in the loaded app on Playwright `page` and waits until its page is
    rendered.

    The app renders a route into a new `#main > section` and drops any render a later one
    overtook; so once the section present before the hash change is gone, the page shown is this
    route's, and no earlier render (after a transaction or a wallet event) can replace it. The
    current route is rendered again.
    """
    page.evaluate(
        """route => {
            document.querySelector("#main > section")?.setAttribute("data-stale", "");
            if (window.location.hash === route) window.dispatchEvent(new HashChangeEvent("hashchange"));
            else window.location.hash = route;
        }""",
        route,
    )
    page.wait_for_selector("#main > section:not([data-stale])")


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript"}

    def log_message(self, format, *args):
        pass


def serve(folder: Path, ports: range) -> ThreadingHTTPServer:
    """A static file server of `folder` on the first free port of `ports`, serving in a daemon
    thread; its address is `server.url`. Stop it with `shutdown()` and `server_close()`."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    for port in ports:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:  # taken
            continue
        server.url = f"http://127.0.0.1:{port}/"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise RuntimeError(f"no free port for the app's server in {ports.start}-{ports.stop - 1}")


def gzipped_bundle_size(dist: Path) -> int:
    """Bytes of the built app's files (BUNDLE_SUFFIXES, outside deployments/) once gzipped, as a
    static host serving them compressed would send them."""
    files = [path for path in sorted(dist.rglob("*")) if path.suffix in BUNDLE_SUFFIXES and path.is_file()]
    return sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in files)
