"""The Escrow Factory: creates EIP-1167 clones (admin = caller, as the clone's immutable argument) at
predictable CREATE2 addresses, one per admin (and salt), and its implementations refuse to be used."""

import pytest
from brownie import InstrumentEscrow, IssuanceEscrow, web3
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from escrow_support import address_of, assert_single_event
from support import ETH, reverts

SALT = HexBytes(b"\x42" * 32)
INSTRUMENT_SALT = HexBytes(bytes(32))


def runtime_code(implementation, admin):
    """What OpenZeppelin's `cloneDeterministicWithImmutableArgs` leaves at the clone."""
    return (
        HexBytes("0x363d3d373d3d3d363d73")
        + HexBytes(address_of(implementation))
        + HexBytes("0x5af43d82803e903d91602b57fd5bf3")
        + HexBytes(address_of(admin))
    )


def create2_address(factory, implementation, admin, salt):
    """The clone's address computed here, independently of the factory's `predict*` functions."""
    init_code = HexBytes("0x61") + (0x2D + 20).to_bytes(2, "big") + HexBytes("0x3d81600a3d39f3")
    init_code += runtime_code(implementation, admin)
    digest = keccak(b"\xff" + HexBytes(address_of(factory)) + HexBytes(salt) + keccak(init_code))
    return to_checksum_address(digest[12:])


def code_at(address):
    return HexBytes(web3.eth.get_code(to_checksum_address(address_of(address))))


def test_the_implementations_are_deployed_by_the_factory_and_are_not_clones(factory):
    implementations = (factory.instrumentEscrowImplementation(), factory.issuanceEscrowImplementation())
    assert implementations[0] != implementations[1]
    for implementation in implementations:
        code = code_at(implementation)
        assert len(code) > 100
        assert not code.startswith(HexBytes("0x363d3d373d3d3d363d73"))


def test_create_instrument_escrow_lands_at_the_predicted_address_with_the_caller_as_admin(factory, stranger):
    predicted = factory.predictInstrumentEscrow(stranger)
    implementation = factory.instrumentEscrowImplementation()
    assert predicted == create2_address(factory, implementation, stranger, INSTRUMENT_SALT)
    assert code_at(predicted) == HexBytes(b"")

    tx = factory.createInstrumentEscrow({"from": stranger})

    assert tx.return_value == predicted
    assert factory.predictInstrumentEscrow(stranger) == predicted
    assert code_at(predicted) == runtime_code(implementation, stranger)
    escrow = InstrumentEscrow.at(predicted)
    assert escrow.admin() == stranger
    assert escrow.ETH() == ETH
    assert_single_event(tx, factory, "InstrumentEscrowCreated", admin=stranger, escrow=predicted)


def test_create_issuance_escrow_lands_at_the_predicted_address_with_the_caller_as_admin(factory, stranger):
    predicted = factory.predictIssuanceEscrow(stranger, SALT)
    implementation = factory.issuanceEscrowImplementation()
    assert predicted == create2_address(factory, implementation, stranger, SALT)
    assert code_at(predicted) == HexBytes(b"")

    tx = factory.createIssuanceEscrow(SALT, {"from": stranger})

    assert tx.return_value == predicted
    assert code_at(predicted) == runtime_code(implementation, stranger)
    assert IssuanceEscrow.at(predicted).admin() == stranger
    assert_single_event(tx, factory, "IssuanceEscrowCreated", admin=stranger, escrow=predicted, salt=SALT)


def test_a_new_escrow_starts_empty_and_works_for_its_admin_only(factory, stranger, maker):
    escrow = InstrumentEscrow.at(factory.createInstrumentEscrow({"from": stranger}).return_value)
    assert escrow.getBalance(maker) == 0

    escrow.depositByAdmin(maker, {"from": stranger, "value": 10})

    assert escrow.getBalance(maker) == 10
    with reverts("EscrowUnauthorized", maker, stranger):
        escrow.withdrawByAdmin(maker, 10, {"from": maker})


def test_a_second_instrument_escrow_for_the_same_admin_reverts_with_failed_deployment(factory, stranger):
    predicted = factory.createInstrumentEscrow({"from": stranger}).return_value
    code = code_at(predicted)

    with reverts("FailedDeployment"):
        factory.createInstrumentEscrow({"from": stranger})

    assert code_at(predicted) == code
    assert InstrumentEscrow.at(predicted).admin() == stranger


def test_a_repeated_salt_for_the_same_admin_reverts_with_failed_deployment(factory, stranger):
    predicted = factory.createIssuanceEscrow(SALT, {"from": stranger}).return_value
    code = code_at(predicted)

    with reverts("FailedDeployment"):
        factory.createIssuanceEscrow(SALT, {"from": stranger})

    assert code_at(predicted) == code


def test_the_same_salt_for_another_admin_and_another_salt_for_the_same_admin_make_new_escrows(factory, stranger, maker):
    first = factory.createIssuanceEscrow(SALT, {"from": stranger}).return_value
    other_admin = factory.createIssuanceEscrow(SALT, {"from": maker}).return_value
    other_salt = factory.createIssuanceEscrow(INSTRUMENT_SALT, {"from": stranger}).return_value
    instrument = factory.createInstrumentEscrow({"from": stranger}).return_value

    assert len({first, other_admin, other_salt, instrument}) == 4
    assert IssuanceEscrow.at(other_admin).admin() == maker
    assert IssuanceEscrow.at(other_salt).admin() == stranger
    assert other_salt == factory.predictIssuanceEscrow(stranger, INSTRUMENT_SALT)
    assert instrument == factory.predictInstrumentEscrow(stranger)


def test_instrument_escrows_of_different_admins_are_different(factory, stranger, maker):
    assert factory.predictInstrumentEscrow(stranger) != factory.predictInstrumentEscrow(maker)
    first = factory.createInstrumentEscrow({"from": stranger}).return_value
    second = factory.createInstrumentEscrow({"from": maker}).return_value
    assert first != second
    assert InstrumentEscrow.at(second).admin() == maker


# Calls on an implementation: (implementation as its contract type, token, caller) -> tx.
SHARED_CALLS = {
    "admin": lambda i, t, c: i.admin({"from": c}),
    "depositByAdmin": lambda i, t, c: i.depositByAdmin(c, {"from": c, "value": 5}),
    "depositTokenByAdmin": lambda i, t, c: i.depositTokenByAdmin(c, t, 5, {"from": c}),
    "withdrawByAdmin": lambda i, t, c: i.withdrawByAdmin(c, 5, {"from": c}),
    "withdrawTokenByAdmin": lambda i, t, c: i.withdrawTokenByAdmin(c, t, 5, {"from": c}),
    "sendTokenByAdmin": lambda i, t, c: i.sendTokenByAdmin(c, t, 5, c, {"from": c}),
    "receiveTokenByAdmin": lambda i, t, c: i.receiveTokenByAdmin(c, t, 5, i, c, {"from": c}),
    "transferByAdmin": lambda i, t, c: i.transferByAdmin(c, c, t, 5, {"from": c}),
}
USER_CALLS = {
    "deposit": lambda i, t, c: i.deposit({"from": c, "value": 5}),
    "withdraw": lambda i, t, c: i.withdraw(5, {"from": c}),
    "depositToken": lambda i, t, c: i.depositToken(t, 5, {"from": c}),
    "withdrawToken": lambda i, t, c: i.withdrawToken(t, 5, {"from": c}),
}
IMPLEMENTATION_CASES = [
    pytest.param("instrument", call, id=f"instrument-{name}") for name, call in {**SHARED_CALLS, **USER_CALLS}.items()
] + [pytest.param("issuance", call, id=f"issuance-{name}") for name, call in SHARED_CALLS.items()]


@pytest.mark.parametrize("kind, call", IMPLEMENTATION_CASES)
def test_the_implementations_refuse_to_be_used(factory, token, maker, kind, call):
    if kind == "instrument":
        implementation = InstrumentEscrow.at(factory.instrumentEscrowImplementation())
    else:
        implementation = IssuanceEscrow.at(factory.issuanceEscrowImplementation())
    token.approve(implementation, 5, {"from": maker})
    maker_eth, maker_tokens = maker.balance(), token.balanceOf(maker)

    with reverts("EscrowImplementationNotUsable"):
        call(implementation, token, maker)

    assert maker.balance() == maker_eth
    assert token.balanceOf(maker) == maker_tokens
    assert implementation.balance() == 0
    assert token.balanceOf(implementation) == 0
    assert implementation.getTokenBalance(maker, token) == 0
    assert implementation.getBalance(maker) == 0
