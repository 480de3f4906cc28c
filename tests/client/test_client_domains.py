"""The client picks each domain's class from its instrument, checks a kind asked for, lists the
registry's domains, keeps escrow operations for an instrument it does not know, and reads the
loans' price oracle, on the standalone Anvil."""

import pytest
from client_support import DOMAIN_IDS, TKA_IN_TKB, activate

from nuts_escrow import (
    NATIVE_ETH,
    BorrowingDomain,
    Domain,
    InstrumentKind,
    LendingDomain,
    MultiSwapDomain,
    Rate,
    SwapDomain,
    WrongInstrumentError,
    errors,
    load_abi,
)

CLASSES = {"Swap": SwapDomain, "MultiSwap": MultiSwapDomain, "Lending": LendingDomain, "Borrowing": BorrowingDomain}


@pytest.mark.parametrize("name", DOMAIN_IDS)
def test_domain_returns_the_class_of_its_instrument(maker_client, record, name):
    domain = maker_client.domain(DOMAIN_IDS[name])

    assert type(domain) is CLASSES[name]
    assert domain.instrument.address == record["contracts"][name]
    assert domain.kind is InstrumentKind(name.lower())
    assert maker_client.instrument_kind(record["contracts"][name]) is domain.kind
    assert repr(domain).startswith(f"<{CLASSES[name].__name__} {DOMAIN_IDS[name]} instrument=")


def test_a_kind_asked_for_is_checked(maker_client):
    assert type(maker_client.lending_domain(DOMAIN_IDS["Lending"])) is LendingDomain
    assert type(maker_client.borrowing_domain(DOMAIN_IDS["Borrowing"])) is BorrowingDomain
    assert type(maker_client.multiswap_domain(DOMAIN_IDS["MultiSwap"])) is MultiSwapDomain
    assert type(maker_client.swap_domain(DOMAIN_IDS["Swap"])) is SwapDomain
    assert type(maker_client.domain(DOMAIN_IDS["Lending"], "lending")) is LendingDomain

    with pytest.raises(WrongInstrumentError, match="domain 4 is borrowing, not lending"):
        maker_client.lending_domain(DOMAIN_IDS["Borrowing"])
    with pytest.raises(WrongInstrumentError, match="domain 1 is swap, not multiswap"):
        maker_client.multiswap_domain(DOMAIN_IDS["Swap"])
    with pytest.raises(errors.RegistryUnknownDomain):
        maker_client.swap_domain(9)


def test_domains_lists_the_registry_by_kind(maker_client):
    listed = maker_client.domains()

    assert [(domain.domain_id, type(domain)) for domain in listed] == [
        (DOMAIN_IDS[name], CLASSES[name]) for name in ("Swap", "MultiSwap", "Lending", "Borrowing")
    ]
    (lending,) = maker_client.domains(InstrumentKind.LENDING)
    assert (type(lending), lending.domain_id) == (LendingDomain, DOMAIN_IDS["Lending"])
    assert [domain.domain_id for domain in maker_client.domains("multiswap")] == [DOMAIN_IDS["MultiSwap"]]


def test_an_unknown_instrument_gets_a_plain_domain(w3, maker_client, tokens, deployer_address, record):
    token_a, _ = tokens
    registry = w3.eth.contract(record["contracts"]["InstrumentRegistry"], abi=load_abi("InstrumentRegistry"))
    domain_id = activate(w3, registry, token_a.address, deployer_address).domainId  # a token: no instrument

    domain = maker_client.domain(domain_id)

    assert type(domain) is Domain and domain.kind is None
    assert maker_client.instrument_kind(token_a.address) is None
    assert maker_client.instrument_kind(deployer_address) is None  # no code at all
    domain.deposit_eth(5)
    assert domain.balances().instrument_escrow == {NATIVE_ETH: 5}
    with pytest.raises(errors.NutsEscrowError, match="no issuance records"):
        domain.issuances()
    with pytest.raises(WrongInstrumentError, match="an instrument the client does not know, not swap"):
        maker_client.swap_domain(domain_id)


def test_price_oracle_rates_both_ways_and_decodes_its_errors(maker_client, tokens, record):
    token_a, token_b = tokens
    lending = maker_client.lending_domain(DOMAIN_IDS["Lending"])
    oracle = lending.price_oracle()
    assert oracle.address == record["contracts"]["AdminPriceOracle"]
    assert maker_client.borrowing_domain(DOMAIN_IDS["Borrowing"]).price_oracle().address == oracle.address

    assert oracle.rate(token_a.address, token_b.address) == Rate(*TKA_IN_TKB)
    assert oracle.rate(token_b.address, token_a.address) == Rate(TKA_IN_TKB[1], TKA_IN_TKB[0])
    assert oracle.rate(token_a.address, token_a.address) == Rate(1, 1)
    assert oracle.convert(token_a.address, token_b.address, 100 * 10**18) == 200 * 10**6
    assert oracle.convert(token_b.address, token_a.address, 3) == 15 * 10**11

    with pytest.raises(errors.PriceOracleUnknownPair) as unknown:
        oracle.rate(token_a.address, NATIVE_ETH)
    assert (unknown.value.baseToken, unknown.value.quoteToken) == (token_a.address, NATIVE_ETH)
