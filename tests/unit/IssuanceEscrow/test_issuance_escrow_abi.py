"""The Issuance Escrow has no user functions: only the shared escrow ledger, read by users and moved
by the admin. Calling an Instrument Escrow user function on it reverts and changes nothing."""

import brownie
import pytest
from brownie import InstrumentEscrow, IssuanceEscrow, interface
from brownie.exceptions import VirtualMachineError

USER_FUNCTIONS = ("deposit", "withdraw", "depositToken", "withdrawToken")


def _function_names(abi):
    return {item["name"] for item in abi if item["type"] == "function"}


def test_the_issuance_escrow_abi_has_no_user_deposit_or_withdraw_function():
    names = _function_names(IssuanceEscrow.abi)
    assert names.isdisjoint(USER_FUNCTIONS)
    assert set(USER_FUNCTIONS) <= _function_names(InstrumentEscrow.abi)


def test_the_issuance_escrow_abi_is_exactly_the_shared_escrow_interface():
    assert _function_names(IssuanceEscrow.abi) == _function_names(interface.IEscrow.abi)
    assert _function_names(interface.IIssuanceEscrow.abi) == _function_names(interface.IEscrow.abi)


@pytest.mark.parametrize("name", USER_FUNCTIONS)
def test_calling_a_user_function_on_an_issuance_escrow_reverts(issuance_escrow, maker, token, name):
    as_instrument = brownie.Contract.from_abi("AsInstrument", issuance_escrow.address, InstrumentEscrow.abi)
    args = {"deposit": [], "withdraw": [1], "depositToken": [token, 1], "withdrawToken": [token, 1]}[name]
    value = 5 if name == "deposit" else 0
    token.approve(issuance_escrow, 1, {"from": maker})
    maker_eth, maker_tokens = maker.balance(), token.balanceOf(maker)

    with pytest.raises(VirtualMachineError) as error:
        getattr(as_instrument, name)(*args, {"from": maker, "value": value})

    assert not error.value.revert_msg
    assert maker.balance() == maker_eth
    assert token.balanceOf(maker) == maker_tokens
    assert issuance_escrow.balance() == 0
    assert issuance_escrow.getTokenBalance(maker, token) == 0
