"""A token whose transfer hook calls back into the Instrument Escrow while `depositToken` or
`withdrawToken` moves it: every re-entry fails with `ReentrancyGuardReentrantCall()` and the outer
call does exactly its own work."""

import pytest
from hexbytes import HexBytes

from escrow_support import MAKER_TOKENS, REENTRANT_CALL

# What the hook calls, encoded for the escrow: (escrow, token, maker, stranger) -> calldata.
INNER = {
    "deposit": lambda e, t, m, s: e.deposit.encode_input(),
    "withdraw": lambda e, t, m, s: e.withdraw.encode_input(1),
    "depositToken": lambda e, t, m, s: e.depositToken.encode_input(t, 1),
    "withdrawToken": lambda e, t, m, s: e.withdrawToken.encode_input(t, 1),
    "depositByAdmin": lambda e, t, m, s: e.depositByAdmin.encode_input(m),
    "depositTokenByAdmin": lambda e, t, m, s: e.depositTokenByAdmin.encode_input(m, t, 1),
    "withdrawByAdmin": lambda e, t, m, s: e.withdrawByAdmin.encode_input(m, 1),
    "withdrawTokenByAdmin": lambda e, t, m, s: e.withdrawTokenByAdmin.encode_input(m, t, 1),
    "sendTokenByAdmin": lambda e, t, m, s: e.sendTokenByAdmin.encode_input(m, t, 1, s),
    "receiveTokenByAdmin": lambda e, t, m, s: e.receiveTokenByAdmin.encode_input(m, t, 1, e, s),
    "transferByAdmin": lambda e, t, m, s: e.transferByAdmin.encode_input(m, s, t, 1),
}

# The maker's outer calls, with the change each makes to the maker's ledger (and, negated, holding).
OUTER = {
    "depositToken": (lambda e, t, m: e.depositToken(t, 100, {"from": m}), 100),
    "withdrawToken": (lambda e, t, m: e.withdrawToken(t, 100, {"from": m}), -100),
}

# Each outer call with one inner call, and one outer call with every inner call: a pair is let
# through exactly when one of its two functions lacks the guard.
PAIRS = [(outer, "withdrawToken") for outer in OUTER] + [
    ("depositToken", inner) for inner in INNER if inner != "withdrawToken"
]


def test_every_function_of_the_escrow_abi_that_is_not_a_view_is_tried_as_reentry(instrument_escrow):
    names = {
        item["name"]
        for item in instrument_escrow.abi
        if item["type"] == "function" and item["stateMutability"] not in ("view", "pure")
    }
    assert names == set(INNER)


@pytest.mark.parametrize("outer, inner", PAIRS)
def test_a_token_hook_cannot_reenter_the_escrow(instrument_escrow, reentrant_token, maker, stranger, outer, inner):
    token = reentrant_token
    call, change = OUTER[outer]
    token.setReentry(instrument_escrow, INNER[inner](instrument_escrow, token, maker, stranger), {"from": stranger})
    held, maker_tokens = token.balanceOf(instrument_escrow), token.balanceOf(maker)

    call(instrument_escrow, token, maker)

    assert token.lastCallSucceeded() is False
    assert HexBytes(token.lastCallResult()) == REENTRANT_CALL
    assert instrument_escrow.getTokenBalance(maker, token) == MAKER_TOKENS + change
    assert token.balanceOf(instrument_escrow) == held + change
    assert token.balanceOf(maker) == maker_tokens - change
    for account in (stranger, token):
        assert instrument_escrow.getTokenBalance(account, token) == 0
        assert instrument_escrow.getBalance(account) == 0
