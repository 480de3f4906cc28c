"""What the instruments take as data: maker and taker data encoders, the event names, and the
tolerance arithmetic of the takers' minimums."""

from eth_abi import encode
from eth_utils import to_checksum_address

SWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256"]
MULTISWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256", "uint256", "uint256"]
#: The original seven loan fields (224 bytes): what `loan_terms` encodes when both optional fields are 0.
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


def swap_terms(duration: int, input_token: str, output_token: str, input_amount: int, output_amount: int) -> bytes:
    """The Swap maker data: abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount)."""
    return encode(
        SWAP_TERMS_TYPES,
        [duration, to_checksum_address(input_token), to_checksum_address(output_token), input_amount, output_amount],
    )


def swap_take(min_input_received: int) -> bytes:
    """The Swap taker data: abi.encode(minInputReceived), the least input the taker accepts to be
    credited with (the contract asks at least 1 anyway)."""
    return encode(["uint256"], [min_input_received])


def multiswap_terms(
    duration: int,
    input_token: str,
    output_token: str,
    input_amount: int,
    output_amount: int,
    min_fill_output: int,
    max_fill_output: int,
) -> bytes:
    """The MultiSwap maker data: abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount,
    minFillOutput, maxFillOutput)."""
    return encode(
        MULTISWAP_TERMS_TYPES,
        [
            duration,
            to_checksum_address(input_token),
            to_checksum_address(output_token),
            input_amount,
            output_amount,
            min_fill_output,
            max_fill_output,
        ],
    )


def multiswap_fill(fill_output: int, min_input_received: int | None = None) -> bytes:
    """The MultiSwap taker data: abi.encode(fillOutput, minInputReceived), the output the taker pays
    and the least input it accepts to be credited with; without a minimum, the original
    abi.encode(fillOutput)."""
    if min_input_received is None:
        return encode(["uint256"], [fill_output])
    return encode(["uint256", "uint256"], [fill_output, min_input_received])


def loan_terms(
    duration: int,
    principal_token: str,
    principal_amount: int,
    collateral_token: str,
    collateral_ratio: int,
    tenor: int,
    interest_rate: int,
    min_collateral_per_principal: int = 0,
    maintenance_ratio: int = 0,
) -> bytes:
    """The Lending and Borrowing maker data: abi.encode(duration, principalToken, principalAmount,
    collateralToken, collateralRatio, tenor, interestRate, minCollateralPerPrincipal,
    maintenanceRatio); ratios and rate in basis points.

    `min_collateral_per_principal` (Lending only) is the least collateral per principal unit the
    lender accepts, scaled by 1e18 (`PRICE_BOUND_SCALE`); `maintenance_ratio` (below
    `collateral_ratio`) lets anyone margin call an engaged loan whose collateral falls below it.
    When both are 0 this is the original seven-field encoding (224 bytes)."""
    fields = [
        duration,
        to_checksum_address(principal_token),
        principal_amount,
        to_checksum_address(collateral_token),
        collateral_ratio,
        tenor,
        interest_rate,
    ]
    if min_collateral_per_principal == 0 and maintenance_ratio == 0:
        return encode(LOAN_TERMS_TYPES, fields)
    return encode(LOAN_TERMS_FULL_TYPES, [*fields, min_collateral_per_principal, maintenance_ratio])


def lending_take(min_principal_received: int, max_collateral: int) -> bytes:
    """The Lending taker data (the taker borrows): abi.encode(minPrincipalReceived, maxCollateral),
    the least principal it accepts and the most collateral it agrees to post (0 = no bound)."""
    return encode(["uint256", "uint256"], [min_principal_received, max_collateral])


def borrowing_take(min_collateral_held: int) -> bytes:
    """The Borrowing taker data (the taker lends): abi.encode(minCollateralHeld), the least
    collateral the issuance escrow must hold for it to fund the loan."""
    return encode(["uint256"], [min_collateral_held])


def collateral_bound(principal_amount: int, min_collateral_per_principal: int) -> int:
    """The least collateral a price bound allows for `principal_amount`: ceil(principal * bound / 1e18),
    as the contract computes it."""
    return -(-principal_amount * min_collateral_per_principal // PRICE_BOUND_SCALE)
