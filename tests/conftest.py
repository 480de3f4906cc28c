"""Fixtures shared by every tier: accounts named by role, tokens, and the deployed system.

Deployments are module-scoped and every test runs in its own snapshot (`fn_isolation`), so a
test sees a fresh system without paying for a new deployment.
"""

import os
import time
from types import SimpleNamespace

import brownie.test.managers.runner as brownie_runner
import pytest
from brownie import (
    ZERO_ADDRESS,
    AdjustableFeeToken,
    EscrowAdminMock,
    EscrowFactory,
    FeeOnTransferToken,
    InstrumentEscrow,
    InstrumentRegistry,
    IssuanceEscrow,
    MockERC20,
    MultiSwap,
    Swap,
    accounts,
    web3,
)
from brownie.network.transaction import TransactionReceipt
from web3.exceptions import TransactionNotFound

from support import ETH, activate

TOKEN_SUPPLY = 10**24


def _await_the_receipt_of_a_mined_transaction():
    """brownie reports a transaction as dropped ("Tx dropped without known replacement") when its
    receipt polling sees the sender's nonce above the transaction's before Anvil serves the
    receipt, which happens under load. A transaction whose nonce is used is mined on Anvil, so
    wait (up to 5 s) for its receipt before brownie's confirmation starts: a false "dropped" in a
    module fixture would otherwise leave half a fixture on the chain under a rerun's new one."""
    confirm = TransactionReceipt._await_confirmation

    def await_confirmation(self, block_number=None, required_confs=1):
        for _ in range(50):
            try:
                web3.eth.get_transaction_receipt(self.txid)
                break
            except TransactionNotFound:
                if self.nonce is None or web3.eth.get_transaction_count(str(self.sender)) <= self.nonce:
                    break
                time.sleep(0.1)
        return confirm(self, block_number, required_confs)

    TransactionReceipt._await_confirmation = await_confirmation


_await_the_receipt_of_a_mined_transaction()


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the state the module fixtures left."""


# ------------------------------------------------------------------------------------ accounts


@pytest.fixture(scope="session")
def deployer():
    return accounts[0]


@pytest.fixture(scope="session")
def provider():
    """Activates instrument domains."""
    return accounts[1]


@pytest.fixture(scope="session")
def maker():
    return accounts[2]


@pytest.fixture(scope="session")
def taker():
    return accounts[3]


@pytest.fixture(scope="session")
def stranger():
    """Someone with no role in what the test does."""
    return accounts[4]


@pytest.fixture(scope="session")
def admin():
    """An externally owned account acting as an escrow's admin in escrow unit tests."""
    return accounts[5]


# -------------------------------------------------------------------------------------- tokens


@pytest.fixture(scope="module")
def token(deployer, maker, taker, stranger, admin):
    """A plain OpenZeppelin ERC20, funded for every role."""
    contract = MockERC20.deploy("Token", "TKN", 18, {"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, TOKEN_SUPPLY, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def other_token(deployer, maker, taker, stranger, admin):
    contract = MockERC20.deploy("Other", "OTH", 6, {"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, TOKEN_SUPPLY, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def fee_token(deployer, maker, taker, stranger, admin):
    """Burns 1% of every transfer."""
    contract = FeeOnTransferToken.deploy(100, {"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, TOKEN_SUPPLY, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def adjustable_fee_token(deployer, maker, taker, stranger, admin):
    """A fee-on-transfer token whose fee anyone may set (`setFeeBasisPoints`, up to 10,000: all of
    a transfer) at any time; no fee until someone sets one."""
    contract = AdjustableFeeToken.deploy({"from": deployer})
    for holder in (maker, taker, stranger, admin):
        contract.mint(holder, TOKEN_SUPPLY, {"from": deployer})
    return contract


# ------------------------------------------------------------------------------------- escrows


@pytest.fixture(scope="module")
def factory(deployer):
    return EscrowFactory.deploy({"from": deployer})


@pytest.fixture(scope="module")
def instrument_escrow(factory, admin):
    """An Instrument Escrow whose admin is the `admin` account."""
    tx = factory.createInstrumentEscrow({"from": admin})
    return InstrumentEscrow.at(tx.return_value)


@pytest.fixture(scope="module")
def issuance_escrow(factory, admin):
    """An Issuance Escrow whose admin is the `admin` account."""
    tx = factory.createIssuanceEscrow(b"\x01".rjust(32, b"\x00"), {"from": admin})
    return IssuanceEscrow.at(tx.return_value)


@pytest.fixture(scope="module", params=["instrument", "issuance"])
def escrow(request, instrument_escrow, issuance_escrow):
    """Each kind of escrow in turn, for the behaviour both share."""
    return instrument_escrow if request.param == "instrument" else issuance_escrow


@pytest.fixture(scope="module")
def mock_admin(factory, deployer):
    """An EscrowAdminMock that created an Instrument Escrow and an Issuance Escrow, so is their admin:
    `admin` (the mock), `instrument`, `issuance`, and `call(escrow, name, *args, value=0)` making
    the admin call `name` through the mock (from the deployer)."""
    mock = EscrowAdminMock.deploy(factory, {"from": deployer})
    mock.createInstrumentEscrow({"from": deployer})
    mock.createIssuanceEscrow(b"\x01".rjust(32, b"\x00"), {"from": deployer})
    instrument = InstrumentEscrow.at(factory.predictInstrumentEscrow(mock))
    issuance = IssuanceEscrow.at(factory.predictIssuanceEscrow(mock, b"\x01".rjust(32, b"\x00")))

    def call(escrow, name, *args, value=0):
        data = getattr(escrow, name).encode_input(*args)
        return mock.execute(escrow, data, {"from": deployer, "value": value})

    return SimpleNamespace(admin=mock, instrument=instrument, issuance=issuance, call=call)


# -------------------------------------------------------------------------------------- domain


@pytest.fixture(scope="module")
def registry(factory, deployer):
    return InstrumentRegistry.deploy(factory, {"from": deployer})


@pytest.fixture(scope="module")
def swap(deployer):
    return Swap.deploy({"from": deployer})


@pytest.fixture(scope="module")
def multiswap(deployer):
    return MultiSwap.deploy({"from": deployer})


@pytest.fixture(scope="module")
def swap_domain(registry, swap, provider):
    """An activated Swap domain: (manager, its Instrument Escrow)."""
    return activate(registry, swap, provider)


@pytest.fixture(scope="module")
def manager(swap_domain):
    """The Instrument Manager of the Swap domain."""
    return swap_domain[0]


@pytest.fixture(scope="module")
def domain_escrow(swap_domain):
    """The Instrument Escrow of the Swap domain."""
    return swap_domain[1]


__all__ = ["ETH", "TOKEN_SUPPLY", "ZERO_ADDRESS"]


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report):
    """Reports a test that pytest-rerunfailures reruns (see pytest.ini) as "rerun": brownie's own
    reporter knows only passed, failed and skipped, and its error on "rerun" ends the session.
    A rerun of the setup phase still goes to brownie's reporter, which records every setup report
    and looks it up again at teardown (a KeyError there, ending the session, if it never saw it);
    it reports an unfailed setup as nothing."""
    if report.outcome == "rerun" and report.when != "setup":
        return "rerun", "R", "RERUN"
    return None


def _convert_outcome_knowing_reruns(convert):
    """brownie's `convert_outcome` (outcome name -> result letter), also for "rerun": brownie's
    runner stores every call's outcome letter and raises StopIteration (INTERNALERROR, the
    session ends) on an outcome it does not know. The rerun's own outcome overwrites the "R"."""

    def convert_outcome(value):
        return "R" if value == "rerun" else convert(value)

    return convert_outcome


brownie_runner.convert_outcome = _convert_outcome_knowing_reruns(brownie_runner.convert_outcome)


def pytest_collection_modifyitems(config, items):
    """With `TEST_SHARD=i/n` (set by `tools/coverage.py --jobs n` for its job i), keeps only this
    shard's test modules: whole modules (their module-scoped fixtures stay together), dealt out
    largest first to the shard with the fewest tests so far, so that the n shards hold about the
    same number of tests. Every shard collects the same items, so together they run each once."""
    shard = os.environ.get("TEST_SHARD")
    if not shard:
        return
    index, count = (int(part) for part in shard.split("/"))
    modules = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    sizes = [0] * count
    kept = set()
    for module, module_items in sorted(modules.items(), key=lambda entry: (-len(entry[1]), entry[0])):
        smallest = sizes.index(min(sizes))
        sizes[smallest] += len(module_items)
        if smallest == index:
            kept.add(module)
    deselected = [item for item in items if item.nodeid.split("::")[0] not in kept]
    items[:] = [item for item in items if item.nodeid.split("::")[0] in kept]
    config.hook.pytest_deselected(items=deselected)
