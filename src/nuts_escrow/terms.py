"""What the instruments take as data: the maker and taker terms (one frozen dataclass per Solidity
struct of the interfaces, its fields in the struct's order, each with `encode()`), the event names,
and the tolerance arithmetic of the takers' minimums."""

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import to_checksum_address

SWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256"]
MULTISWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256", "uint256", "uint256"]
#: The original seven loan fields (224 bytes): what `LoanTerms.encode` gives when both optional fields are 0.
LOAN_TERMS_TYPES = ["uint256", "address", "uint256", "address", "uint256", "uint256", "uint256"]
#: The nine loan fields (288 bytes): the seven, then minCollateralPerPrincipal and maintenanceRatio.
LOAN_TERMS_FULL_TYPES = [*LOAN_TERMS_TYPES, "uint256", "uint256"]

#: Basis points: 10,000 = 100%.
BASIS_POINTS = 10_000
#: The scale of a loan's `minCollateralPerPrincipal` (collateral units per principal unit).
PRICE_BOUND_SCALE = 10**18


def event_name(name: str) -> bytes:
    """An event name as the bytes32 the manager takes: short ASCII, right-padded with zeros."""
    return name.encode("ascii").ljust(32, b"\x00")


CANCEL_ISSUANCE = event_name("cancel_issuance")
ISSUANCE_DUE = event_name("issuance_due")
ENGAGEMENT_DUE = event_name("engagement_due")
REPAY_FULL = event_name("repay_full")
MARGIN_CALL = event_name("margin_call")


def _check_tolerance(tolerance_bps: int) -> None:
    if not 0 <= tolerance_bps <= BASIS_POINTS:
        raise ValueError(f"tolerance_bps must be within 0-{BASIS_POINTS} basis points, not {tolerance_bps}")


def lowered(amount: int, tolerance_bps: int) -> int:
    """`amount` less `tolerance_bps` basis points of it, rounded up (the least a taker accepts)."""
    _check_tolerance(tolerance_bps)
    return -(-amount * (BASIS_POINTS - tolerance_bps) // BASIS_POINTS)


def raised(amount: int, tolerance_bps: int) -> int:
    """`amount` plus `tolerance_bps` basis points of it, rounded down (the most a taker gives)."""
    _check_tolerance(tolerance_bps)
    return amount * (BASIS_POINTS + tolerance_bps) // BASIS_POINTS


@dataclass(frozen=True)
class SwapTerms:
    """The Swap maker data (`SwapTerms` of interfaces/ISwap.sol): offer `input_amount` of
    `input_token` for `output_amount` of `output_token` for `duration` seconds."""

    duration: int
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int

    def encode(self) -> bytes:
        """abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount)."""
        return encode(
            SWAP_TERMS_TYPES,
            [
                self.duration,
                to_checksum_address(self.input_token),
                to_checksum_address(self.output_token),
                self.input_amount,
                self.output_amount,
            ],
        )


@dataclass(frozen=True)
class SwapTakerTerms:
    """The Swap taker data (`SwapTakerTerms` of interfaces/ISwap.sol): the least input the taker
    accepts to be credited with (the contract asks at least 1 anyway)."""

    min_input_received: int

    def encode(self) -> bytes:
        """abi.encode(minInputReceived)."""
        return encode(["uint256"], [self.min_input_received])


@dataclass(frozen=True)
class MultiSwapTerms:
    """The MultiSwap maker data (`MultiSwapTerms` of interfaces/IMultiSwap.sol): offer
    `input_amount` of `input_token` for `output_amount` of `output_token` for `duration` seconds,
    in fills of `min_fill_output` (default: 1 unit) to `max_fill_output` (default None: the whole
    output) of the output; the exact rest is always accepted."""

    duration: int
    input_token: str
    output_token: str
    input_amount: int
    output_amount: int
    min_fill_output: int = 1
    max_fill_output: int | None = None

    def encode(self) -> bytes:
        """abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount, minFillOutput,
        maxFillOutput)."""
        max_fill_output = self.output_amount if self.max_fill_output is None else self.max_fill_output
        return encode(
            MULTISWAP_TERMS_TYPES,
            [
                self.duration,
                to_checksum_address(self.input_token),
                to_checksum_address(self.output_token),
                self.input_amount,
                self.output_amount,
                self.min_fill_output,
                max_fill_output,
            ],
        )


@dataclass(frozen=True)
class MultiSwapFillTerms:
    """The MultiSwap taker data (`MultiSwapFillTerms` of interfaces/IMultiSwap.sol): the output the
    taker pays and the least input it accepts to be credited with (None: no minimum)."""

    fill_output: int
    min_input_received: int | None = None

    def encode(self) -> bytes:
        """abi.encode(fillOutput, minInputReceived); without a minimum, the original
        abi.encode(fillOutput)."""
        if self.min_input_received is None:
            return encode(["uint256"], [self.fill_output])
        return encode(["uint256", "uint256"], [self.fill_output, self.min_input_received])


@dataclass(frozen=True)
class LoanTerms:
    """The Lending and Borrowing maker data (`LoanTerms` of interfaces/ILoan.sol): lend or borrow
    `principal_amount` of `principal_token` against `collateral_token` at `collateral_ratio` basis
    points, for `tenor` seconds at a flat `interest_rate` basis points, open to takers for
    `duration` seconds.

    `min_collateral_per_principal` (Lending only) is the least collateral per principal unit the
    lender accepts, scaled by 1e18 (`PRICE_BOUND_SCALE`); `maintenance_ratio` (below
    `collateral_ratio`) lets anyone margin call an engaged loan whose collateral falls below it."""

    duration: int
    principal_token: str
    principal_amount: int
    collateral_token: str
    collateral_ratio: int
    tenor: int
    interest_rate: int
    min_collateral_per_principal: int = 0
    maintenance_ratio: int = 0

    def encode(self) -> bytes:
        """abi.encode(duration, principalToken, principalAmount, collateralToken, collateralRatio,
        tenor, interestRate, minCollateralPerPrincipal, maintenanceRatio); when both of the last
        two are 0, the original seven-field encoding (224 bytes)."""
        fields = [
            self.duration,
            to_checksum_address(self.principal_token),
            self.principal_amount,
            to_checksum_address(self.collateral_token),
            self.collateral_ratio,
            self.tenor,
            self.interest_rate,
        ]
        if self.min_collateral_per_principal == 0 and self.maintenance_ratio == 0:
            return encode(LOAN_TERMS_TYPES, fields)
        return encode(LOAN_TERMS_FULL_TYPES, [*fields, self.min_collateral_per_principal, self.maintenance_ratio])


@dataclass(frozen=True)
class LendingTakerTerms:
    """The Lending taker data (`LendingTakerTerms` of interfaces/ILoan.sol; the taker borrows): the
    least principal it accepts and the most collateral it agrees to post (0 = no bound)."""

    min_principal_received: int
    max_collateral: int

    def encode(self) -> bytes:
        """abi.encode(minPrincipalReceived, maxCollateral)."""
        return encode(["uint256", "uint256"], [self.min_principal_received, self.max_collateral])


@dataclass(frozen=True)
class BorrowingTakerTerms:
    """The Borrowing taker data (`BorrowingTakerTerms` of interfaces/ILoan.sol; the taker lends):
    the least collateral the issuance escrow must hold for it to fund the loan."""

    min_collateral_held: int

    def encode(self) -> bytes:
        """abi.encode(minCollateralHeld)."""
        return encode(["uint256"], [self.min_collateral_held])


def collateral_bound(principal_amount: int, min_collateral_per_principal: int) -> int:
    """The least collateral a price bound allows for `principal_amount`: ceil(principal * bound / 1e18),
    as the contract computes it."""
    return -(-principal_amount * min_collateral_per_principal // PRICE_BOUND_SCALE)
