"""The Positions page of each instrument in the browser: the maker cancels an open offer and,
once another offer's issuance due time has passed, closes it; each checked on the chain (the
issuance's state, the maker's commitment back in its Instrument Escrow)."""

import pytest
from brownie import chain
from playwright.sync_api import expect

from nuts_escrow import LoanTerms, MultiSwapTerms, SwapTerms

TKA = 10**18
TKB = 10**6
HOUR = 3600
DAY = 24 * HOUR
#: What each offer commits from the maker's Instrument Escrow: 10 TKA.
COMMITTED = 10 * TKA
#: The state names the page shows after a cancel and after a close at due, and the client's
#: numbers of those states.
AFTER = {
    "swap": (("cancelled", 2), ("complete (not engaged)", 4)),
    "multiswap": (("cancelled", 2), ("expired", 4)),
    "lending": (("cancelled", 2), ("expired", 3)),
    "borrowing": (("cancelled", 2), ("expired", 3)),
}


def open_offer(domain, system, instrument: str, duration: int) -> int:
    """The maker commits 10 TKA to a new offer of `instrument` open for `duration` seconds."""
    tka, tkb = system.tka.address, system.tkb.address
    offer = dict(input_token=tka, input_amount=COMMITTED, output_token=tkb, output_amount=5 * TKB, duration=duration)
    if instrument == "swap":
        return domain.create_swap(SwapTerms(**offer))
    if instrument == "multiswap":
        return domain.create_multiswap(MultiSwapTerms(**offer))
    loan = dict(tenor=DAY, interest_rate=500, duration=duration)
    if instrument == "lending":  # lends 10 TKA against TKB
        return domain.create_loan(
            LoanTerms(
                principal_token=tka, principal_amount=COMMITTED, collateral_token=tkb, collateral_ratio=15_000, **loan
            )
        )
    # borrows 5 TKB against TKA at 200%: 5 TKB = 2.5 TKA, so the collateral committed is 5 TKA
    return domain.create_loan(
        LoanTerms(principal_token=tkb, principal_amount=5 * TKB, collateral_token=tka, collateral_ratio=20_000, **loan)
    )


@pytest.mark.parametrize("instrument", list(AFTER))
def test_cancel_and_close_at_due_from_positions(dapp, system, maker, instrument):
    domain = system.domain(maker, instrument)
    domain.deposit_token(system.tka.address, 2 * COMMITTED)
    open_offer(domain, system, instrument, DAY)
    open_offer(domain, system, instrument, HOUR)
    held = system.escrow_balance(maker, instrument, system.tka.address)
    (cancelled, cancelled_state), (closed, closed_state) = AFTER[instrument]
    app = dapp(maker).connect(f"#/{instrument}/positions")
    expect(app.by("state-1")).to_have_text("engageable")
    expect(app.by("close-2")).to_have_count(0)

    app.transact("cancel-1")

    expect(app.by("state-1")).to_have_text(cancelled)
    assert domain.issuance(1).state == cancelled_state
    refunded = system.escrow_balance(maker, instrument, system.tka.address) - held
    assert refunded > 0

    chain.sleep(HOUR)
    chain.mine()
    app.go(f"#/{instrument}/positions").transact("close-2")

    expect(app.by("state-2")).to_have_text(closed)
    assert domain.issuance(2).state == closed_state
    assert system.escrow_balance(maker, instrument, system.tka.address) == held + 2 * refunded
    expect(app.by("cancel-2")).to_have_count(0)
