"""Plain data the client returns: enums of the contracts and records of issuances and balances."""

from dataclasses import dataclass
from enum import Enum, IntEnum

#: The address under which the escrows book native ETH (`escrow.ETH()`).
NATIVE_ETH = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"


class SwapState(IntEnum):
    """`SwapState` of interfaces/ISwap.sol."""

    NONE = 0
    ENGAGEABLE = 1
    CANCELLED = 2
    COMPLETE_ENGAGED = 3
    COMPLETE_NOT_ENGAGED = 4


class MultiSwapState(IntEnum):
    """`MultiSwapState` of interfaces/IMultiSwap.sol."""

    NONE = 0
    ENGAGEABLE = 1
    CANCELLED = 2
    COMPLETE = 3
    EXPIRED = 4


class LoanState(IntEnum):
    """`LoanState` of interfaces/ILoan.sol."""

    NONE = 0
    ENGAGEABLE = 1
    CANCELLED = 2
    EXPIRED = 3
    ENGAGED = 4
    REPAID = 5
    DEFAULTED = 6


class InstrumentKind(Enum):
    """The instruments the client has helpers for; each has its own `Domain` subclass."""

    SWAP = "swap"
    MULTISWAP = "multiswap"
    LENDING = "lending"
    BORROWING = "borrowing"


class TransferKind(IntEnum):
    """`TransferKind` of interfaces/IInstrument.sol."""

    INBOUND = 0
    OUTBOUND = 1
    INTRA_INSTRUMENT = 2
    INTRA_ISSUANCE = 3


#: Solidity enum types (as in an ABI's `internalType`) and their Python counterparts.
ENUMS: dict[str, type[IntEnum]] = {
    "enum SwapState": SwapState,
    "enum MultiSwapState": MultiSwapState,
    "enum LoanState": LoanState,
    "enum TransferKind": TransferKind,
}


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
        """Whether it is still engageable (its state; past the due time engaging reverts, until
        anyone closes it with `issuance_due`)."""
        return self.state is SwapState.ENGAGEABLE


@dataclass(frozen=True)
class MultiSwapIssuance:
    """One multi-swap of a domain: its terms, how far it is filled, and its Issuance Escrow.

    `input_basis` is what the fills are priced against (what the escrow held of the input at the
    first fill; zero before it); fill `n` is engagement `n`.
    """

    issuance_id: int
    issuance_escrow: str
    maker: str
    due_time: int
    state: MultiSwapState
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int
    min_fill_output: int
    max_fill_output: int
    remaining_output: int
    input_basis: int
    fill_count: int

    @property
    def is_open(self) -> bool:
        """Whether it is still engageable (its state; past the due time fills revert, until anyone
        closes it with `issuance_due`)."""
        return self.state is MultiSwapState.ENGAGEABLE

    @property
    def filled_output(self) -> int:
        """The output the takers paid so far."""
        return self.output_amount - self.remaining_output


@dataclass(frozen=True)
class MultiSwapFill:
    """One fill of a multi-swap: the taker paid `fill_output` and received `input_paid` of the input
    (before any fee the token takes on the way)."""

    issuance_id: int
    engagement_id: int
    taker: str
    fill_output: int
    input_paid: int


@dataclass(frozen=True)
class LoanIssuance:
    """One loan of a Lending or Borrowing domain: its terms, parties, state and Issuance Escrow.

    `collateral_ratio`, `interest_rate` and `maintenance_ratio` are in basis points; `taker` is
    None until engaged. In Lending (`maker_is_lender`) the maker lends; in Borrowing it borrows.
    `maintenance_ratio` (0 = none) is the ratio of principal plus interest below which anyone may
    margin call the engaged loan; `min_collateral_per_principal` (Lending; 0 = none) is the least
    collateral per principal unit, scaled by 1e18, the lender accepts at engage.
    """

    issuance_id: int
    issuance_escrow: str
    maker_is_lender: bool
    maker: str
    taker: str | None
    state: LoanState
    issuance_due_time: int
    engagement_due_time: int
    principal_token: str
    principal_amount: int
    collateral_token: str
    collateral_ratio: int
    tenor: int
    interest_rate: int
    maintenance_ratio: int = 0
    min_collateral_per_principal: int = 0

    @property
    def is_open(self) -> bool:
        """Whether it is still engageable (its state; past the issuance due time engaging reverts,
        until anyone closes it with `issuance_due`)."""
        return self.state is LoanState.ENGAGEABLE

    @property
    def lender(self) -> str | None:
        """Who lends the principal (None while nobody engaged a Borrowing loan)."""
        return self.maker if self.maker_is_lender else self.taker

    @property
    def borrower(self) -> str | None:
        """Who borrows the principal (None while nobody engaged a Lending loan)."""
        return self.taker if self.maker_is_lender else self.maker


@dataclass(frozen=True)
class LoanBounds:
    """`LoanBounds` of interfaces/ILoan.sol: what a domain's provider allows for its loans
    (durations and tenors in seconds, ratios and rates in basis points)."""

    min_duration: int
    max_duration: int
    min_tenor: int
    max_tenor: int
    min_collateral_ratio: int
    max_collateral_ratio: int
    min_interest_rate: int
    max_interest_rate: int


@dataclass(frozen=True)
class DurationBounds:
    """The shortest and longest duration (seconds) a domain's issuances may have."""

    min_duration: int
    max_duration: int


@dataclass(frozen=True)
class Rate:
    """A price oracle's rate: `quote_amount = base_amount * numerator / denominator`, in the tokens'
    smallest units."""

    numerator: int
    denominator: int

    def convert(self, base_amount: int) -> int:
        """`base_amount` of the base token in the quote token, rounded down."""
        return base_amount * self.numerator // self.denominator


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
