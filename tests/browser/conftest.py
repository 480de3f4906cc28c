"""Fixtures of the browser tier: the dApp (dapp/, built once per session with `node dapp/build.mjs`)
served from a temporary folder, driven in Debian's headless Chromium by Playwright against
brownie's Anvil, with an injected EIP-1193 test wallet (tools/browser_wallet.js, through
tools/dapp_browser.py) whose requests Anvil's unlocked accounts sign.

- One browser per session (pytest-playwright's `browser`, launched from
  /usr/lib/chromium/chromium-headless-shell: Playwright cannot download its own browser here).
- One deployment per module (`system`: scripts/deploy.py's `deploy`, two tokens, the oracle's
  rates), its record written where the served app reads it; every test runs in brownie's
  snapshot (`fn_isolation`, tests/conftest.py), so the chain is the same at every test's start.
- `dapp` opens the app as an account in a fresh browser context; every page it opened is watched
  and the test fails on any uncaught page error or console error.
"""

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from brownie import AdminPriceOracle, chain, web3
from playwright.sync_api import Page, expect
from rich.console import Console

from anvil_support import PROJECT_ROOT
from nuts_escrow import Deployment, EscrowClient
from scripts.dapp_seed import record_tokens
from scripts.demo import deploy_demo_tokens, set_demo_rate
from scripts.deploy import deploy, deployment_file
from tools.dapp_browser import chromium_path, serve, show_route, wallet_script

DAPP_DIR = PROJECT_ROOT / "dapp"
# The brief's ports for what the browser tier starts beside brownie's Anvil.
SERVER_PORTS = range(8652, 8660)
NETWORK = "development"
#: The app's instruments (hash routes #/<instrument>/<page>) and their names in the record.
INSTRUMENTS = {"swap": "Swap", "multiswap": "MultiSwap", "lending": "Lending", "borrowing": "Borrowing"}
#: What each token's holders are minted, in whole tokens.
MINTED = 1_000_000
#: How long a browser step may take before a test fails (ms): a confirmed transaction takes 1-3 s
#: on two busy cores.
STEP_TIMEOUT = 15_000


# ------------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, with Debian's headless Chromium as the browser."""
    try:
        return {**browser_type_launch_args, "executable_path": chromium_path()}
    except RuntimeError as missing:
        pytest.fail(str(missing))


# ------------------------------------------------------------------------------- app and server


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A folder holding the built app (a copy of dapp/dist), built once per session; each module's
    deployment record is written into its deployments/."""
    subprocess.run(["node", str(DAPP_DIR / "build.mjs")], cwd=PROJECT_ROOT, check=True)
    folder = tmp_path_factory.mktemp("site")
    shutil.copytree(DAPP_DIR / "dist", folder, dirs_exist_ok=True)
    (folder / "deployments").mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def server(site):
    """The app's static server; its URL is `server.url`."""
    httpd = serve(site, SERVER_PORTS)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------------------------- the system


@pytest.fixture(scope="session")
def rpc_url():
    """brownie's Anvil, which the page reads from and the wallet forwards to."""
    return web3.provider.endpoint_uri


@pytest.fixture(scope="module")
def system(site, deployer, maker, taker, stranger):
    """The escrow core, the oracle and one domain per instrument (scripts/deploy.py), the demo's
    two tokens (TKA, 18 decimals; TKB, 6 decimals) minted to the maker, the taker and the
    stranger, and the demo's oracle rate (1 TKA = 2 TKB). The record is written to the site's
    deployments/ with the tokens under `tokens` (symbol: address, what the app lists besides ETH).
    Returns the record, the tokens, the oracle, and the Python client on this deployment:
    `client(account)`, `domain(account, instrument)`, `escrow_balance(account, instrument, token)`."""
    record = deploy(deployer, deployments_dir=site / "deployments", console=Console(file=io.StringIO()))
    token_a, token_b = deploy_demo_tokens(deployer)
    for holder in (maker, taker, stranger):
        for asset in (token_a, token_b):
            asset.token.mint(holder, asset.units(MINTED), {"from": deployer})
    set_demo_rate(record, deployer, token_a, token_b)
    path = deployment_file(NETWORK, site / "deployments")
    record = record_tokens(path, {"TKA": token_a.address, "TKB": token_b.address})
    deployment = Deployment.load(path)
    tka, tkb, oracle = token_a.token, token_b.token, AdminPriceOracle.at(record["contracts"]["PriceOracle"])

    def client(account):
        return EscrowClient.from_deployment(web3, deployment, account=account.address)

    def domain(account, instrument):
        """The Python client's domain of `instrument` (a route name: swap, multiswap, lending,
        borrowing) as `account`."""
        return client(account).domain(deployment.domains[INSTRUMENTS[instrument]].domain_id)

    def escrow_balance(account, instrument, token):
        """`account`'s balance of `token` in `instrument`'s Instrument Escrow."""
        return domain(account, instrument).balances(account.address, [token], []).instrument_escrow[token]

    return SimpleNamespace(
        record=record,
        deployment=deployment,
        tka=tka,
        tkb=tkb,
        oracle=oracle,
        client=client,
        domain=domain,
        escrow_balance=escrow_balance,
        chain_id=chain.id,
    )


# ------------------------------------------------------------------------------------- the app


@dataclass
class Dapp:
    """The app opened in a browser page by one account, with its test wallet."""

    page: Page
    account: str
    base_url: str
    errors: list = field(default_factory=list)

    def open(self, route: str = "#/") -> "Dapp":
        """Loads the app at `route` (a full page load)."""
        self.page.goto(self.base_url + route)
        return self

    def go(self, route: str) -> "Dapp":
        """Follows hash `route` inside the loaded app and waits until its page is rendered (see
        tools/dapp_browser.py's `show_route`)."""
        show_route(self.page, route)
        return self

    def by(self, test_id: str):
        return self.page.get_by_test_id(test_id)

    def connect(self, route: str | None = None) -> "Dapp":
        """Connects the wallet, then shows `route` (see `go`) if given."""
        self.by("connect").click()
        expect(self.by("account")).to_have_text(self.account, ignore_case=True)
        return self.go(route) if route else self

    def fill(self, **fields) -> "Dapp":
        """Fills form fields `field-<name>` (select elements are selected by value)."""
        for name, value in fields.items():
            element = self.by(f"field-{name}")
            if element.evaluate("e => e.tagName") == "SELECT":
                element.select_option(str(value))
            else:
                element.fill(str(value))
        return self

    # the wallet, as its user
    def sends(self) -> int:
        """How many transactions the app asked the wallet to send so far."""
        return self.page.evaluate("() => window.testWallet.requestsOf('eth_sendTransaction').length")

    def sent(self) -> list[dict]:
        return self.page.evaluate("() => window.testWallet.requestsOf('eth_sendTransaction').map(r => r.params[0])")

    def reject_next(self, method: str = "eth_sendTransaction") -> None:
        self.page.evaluate("method => window.testWallet.rejectNext(method)", method)

    def switch_account(self, address: str) -> None:
        self.account = address
        self.page.evaluate("address => window.testWallet.switchAccount(address)", address)

    def switch_chain(self, chain_id: int) -> None:
        self.page.evaluate("chainId => window.testWallet.switchChain(chainId)", hex(chain_id))

    # transactions
    def transact(self, click, count: int = 1, state: str = "confirmed") -> "Dapp":
        """Clicks `click` (a test id or a locator), waits until the app has asked the wallet to
        send `count` transactions (a rejected one counts) and the latest one's status is `state`.

        The app renders the page again after a mined transaction: a test reads the page through
        `expect` (which waits for the new render) or moves on with `go`."""
        before = self.sends()
        (self.by(click) if isinstance(click, str) else click).click()
        if count:
            self.page.wait_for_function(
                "n => window.testWallet.requestsOf('eth_sendTransaction').length >= n",
                arg=before + count,
                timeout=STEP_TIMEOUT,
            )
        expect(self.by("tx-status")).to_have_attribute("data-state", state, timeout=STEP_TIMEOUT)
        assert self.sends() == before + count, f"the app sent {self.sends() - before} transactions, not {count}"
        return self


@pytest.fixture
def dapp(browser, server, system, rpc_url):
    """`dapp(account, route="#/", chain_id=None)`: the app opened by `account` (a brownie account)
    in a fresh browser context, its wallet first on `chain_id` (default: Anvil's; it can switch
    only to Anvil's). The test fails on any
    uncaught error or console error of any page opened."""
    contexts, errors = [], []

    def open_dapp(account, route: str = "#/", chain_id: int | None = None) -> Dapp:
        context = browser.new_context()
        context.set_default_timeout(STEP_TIMEOUT)
        contexts.append(context)
        context.add_init_script(wallet_script(rpc_url, account.address, system.chain_id, chain_id or system.chain_id))
        page = context.new_page()
        label = f"page of {account.address[:8]}"
        page.on("pageerror", lambda error: errors.append(f"{label}: uncaught {error}"))
        page.on("console", lambda message: message.type == "error" and errors.append(f"{label}: {message.text}"))
        url = f"{server.url}?network={NETWORK}&rpc={rpc_url}"
        return Dapp(page, account.address, url, errors).open(route)

    yield open_dapp
    for context in contexts:
        context.close()
    assert not errors, "the app logged errors or threw:\n" + "\n".join(errors)
