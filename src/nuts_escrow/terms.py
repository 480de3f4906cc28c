"""What the instruments take as data: maker and taker data encoders and the event names."""

from eth_abi import encode
from eth_utils import to_checksum_address

SWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256"]
MULTISWAP_TERMS_TYPES = ["uint256", "address", "address", "uint256", "uint256", "uint256", "uint256"]
LOAN_TERMS_TYPES = ["uint256", "address", "uint256", "address", "uint256", "uint256", "uint256"]


def event_name(name: str) -> bytes:
    """An event name as the bytes32 the manager takes: short ASCII, right-padded with zeros."""
    return name.encode("ascii").ljust(32, b"\x00")


CANCEL_ISSUANCE = event_name("cancel_issuance")
ISSUANCE_DUE = event_name("issuance_due")
ENGAGEMENT_DUE = event_name("engagement_due")
REPAY_FULL = event_name("repay_full")


def swap_terms(duration: int, input_token: str, output_token: str, input_amount: int, output_amount: int) -> bytes:
    """The Swap maker data: abi.encode(duration, inputToken, outputToken, inputAmount, outputAmount)."""
    return encode(
        SWAP_TERMS_TYPES,
        [duration, to_checksum_address(input_token), to_checksum_address(output_token), input_amount, output_amount],
    )


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


def multiswap_fill(fill_output: int) -> bytes:
    """The MultiSwap taker data: abi.encode(fillOutput), the output the taker pays."""
    return encode(["uint256"], [fill_output])


def loan_terms(
    duration: int,
    principal_token: str,
    principal_amount: int,
    collateral_token: str,
    collateral_ratio: int,
    tenor: int,
    interest_rate: int,
) -> bytes:
    """The Lending and Borrowing maker data: abi.encode(duration, principalToken, principalAmount,
    collateralToken, collateralRatio, tenor, interestRate); ratio and rate in basis points."""
    return encode(
        LOAN_TERMS_TYPES,
        [
            duration,
            to_checksum_address(principal_token),
            principal_amount,
            to_checksum_address(collateral_token),
            collateral_ratio,
            tenor,
            interest_rate,
        ],
    )
