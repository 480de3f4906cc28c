"""Fixtures for the manager tests: domains of a HostileInstrument that answers with scripted transfers.

`committed` leaves two issuances in the first hostile domain: issuance 1, made by the maker with
300 token + 100 wei, and issuance 2, made by the taker with 200 token + 50 wei. The maker and the
taker each deposited 1,000 token and 1,000 wei; so the Instrument Escrow then holds 700 token and
900 wei for the maker and 800 token and 950 wei for the taker.
"""

import pytest
from brownie import (
    HostileInstrument,
    IssuanceEscrow,
)

from manager_support import create, holdings
from nuts_escrow.types import TransferKind
from support import ETH, activate, fund


@pytest.fixture(scope="module")
def hostile(deployer):
    return HostileInstrument.deploy({"from": deployer})


@pytest.fixture(scope="module")
def hostile_domain(registry, hostile, provider):
    return activate(registry, hostile, provider)


@pytest.fixture(scope="module")
def hostile_manager(hostile_domain):
    return hostile_domain[0]


@pytest.fixture(scope="module")
def hostile_escrow(hostile_domain):
    return hostile_domain[1]


@pytest.fixture(scope="module")
def committed(hostile, hostile_manager, hostile_escrow, token, maker, taker):
    """Issuances 1 (maker) and 2 (taker) with assets committed; returns their Issuance Escrows."""
    for account in (maker, taker):
        fund(hostile_escrow, account, token, 1_000)
        fund(hostile_escrow, account, ETH, 1_000)
    create(
        hostile_manager,
        hostile,
        maker,
        [(TransferKind.INBOUND, token, maker, maker, 300, 0), (TransferKind.INBOUND, ETH, maker, maker, 100, 0)],
    )
    create(
        hostile_manager,
        hostile,
        taker,
        [(TransferKind.INBOUND, token, taker, taker, 200, 0), (TransferKind.INBOUND, ETH, taker, taker, 50, 0)],
    )
    return [IssuanceEscrow.at(hostile_manager.getIssuanceEscrow(i)) for i in (1, 2)]


@pytest.fixture(scope="module")
def second_domain(registry, hostile, provider, token, maker, taker, committed):
    """A second domain of the same hostile instrument, with its own deposits and issuance 1."""
    manager, escrow = activate(registry, hostile, provider)
    for account in (maker, taker):
        fund(escrow, account, token, 5_000)
        fund(escrow, account, ETH, 5_000)
    create(
        manager,
        hostile,
        maker,
        [(TransferKind.INBOUND, token, maker, maker, 4_000, 0), (TransferKind.INBOUND, ETH, maker, maker, 4_000, 0)],
    )
    return manager, escrow, IssuanceEscrow.at(manager.getIssuanceEscrow(1))


@pytest.fixture
def everything(hostile_manager, hostile_escrow, committed, token, maker, taker, stranger):
    """A snapshot of every balance the first domain's tests could touch."""
    return lambda: holdings(
        [hostile_escrow, *committed], [maker, taker, stranger], [token, ETH], contracts=[hostile_manager]
    )
