"""Plain data the client returns: enums of the contracts and records of issuances and balances."""

from dataclasses import dataclass
from enum import IntEnum

#: The address under which the escrows book native ETH (`escrow.ETH()`).
NATIVE_ETH = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"


class SwapState(IntEnum):
    """`SwapState` of interfaces/ISwap.sol."""

    NONE = 0
    ENGAGEABLE = 1
    CANCELLED = 2
    COMPLETE_ENGAGED = 3
    COMPLETE_NOT_ENGAGED = 4


class TransferKind(IntEnum):
    """`TransferKind` of interfaces/IInstrument.sol."""

    INBOUND = 0
    OUTBOUND = 1
    INTRA_INSTRUMENT = 2
    INTRA_ISSUANCE = 3


#: Solidity enum types (as in an ABI's `internalType`) and their Python counterparts.
ENUMS: dict[str, type[IntEnum]] = {"enum SwapState": SwapState, "enum TransferKind": TransferKind}


@dataclass(frozen=True)
class SwapIssuance:
    """One swap of a domain: its terms, state and the Issuance Escrow that holds its input."""

    issuance_id: int
    issuance_escrow: str
    maker: str
    due_time: int
    state: SwapState
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int

    @property
    def is_open(self) -> bool:
        """Whether a taker may still engage it (before the due time)."""
        return self.state is SwapState.ENGAGEABLE


@dataclass(frozen=True)
class Balances:
    """An account's balances in a domain's escrows, all read in one JSON-RPC batch.

    `instrument_escrow[token]` is what the account may withdraw; `issuance_escrows[id][token]` is
    what it has committed to issuance `id`.
    """

    account: str
    block_number: int
    instrument_escrow: dict[str, int]
    issuance_escrows: dict[int, dict[str, int]]

    def total(self, token: str) -> int:
        """The account's balance of `token` over every escrow of the domain."""
        return self.instrument_escrow.get(token, 0) + sum(b.get(token, 0) for b in self.issuance_escrows.values())


@dataclass(frozen=True)
class BalanceChange:
    """One change of an account's balance in an escrow, rebuilt from an escrow event.

    `escrow_label` is "instrument" or "issuance <id>"; `delta` is signed; `balance` is the
    account's balance of `token` in that escrow after this event (counting from `from_block`).
    """

    block_number: int
    transaction_hash: str
    log_index: int
    escrow: str
    escrow_label: str
    event: str
    token: str
    delta: int
    balance: int
    counterparty: str | None = None
