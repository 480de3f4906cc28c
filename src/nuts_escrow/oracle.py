"""Reading a price oracle (`IPriceOracle`: AdminPriceOracle, ChainlinkPriceOracle)."""

from typing import Any

from eth_utils import to_checksum_address
from web3.contract.contract import Contract

from nuts_escrow.abi import load_abi
from nuts_escrow.connection import Connection
from nuts_escrow.types import Rate


def _get_rate_abi() -> list[dict[str, Any]]:
    """`IPriceOracle.getRate`, the one function every oracle shares (taken from AdminPriceOracle's ABI)."""
    return [entry for entry in load_abi("AdminPriceOracle") if entry.get("name") == "getRate"]


class PriceOracle:
    """A price oracle, read only: the rate of a pair of tokens, in either direction.

    A revert raises the oracle's custom error (`PriceOracleUnknownPair` for a pair it does not
    know, `ChainlinkOracleStaleAnswer` for a stale feed, ...).
    """

    def __init__(self, connection: Connection, address: str):
        self.connection = connection
        self.contract: Contract = connection.w3.eth.contract(to_checksum_address(address), abi=_get_rate_abi())

    @property
    def address(self) -> str:
        return self.contract.address

    def __repr__(self) -> str:
        return f"<PriceOracle {self.address}>"

    def rate(self, base_token: str, quote_token: str) -> Rate:
        """The rate from `base_token` to `quote_token` (ETH as `NATIVE_ETH`)."""
        function = self.contract.functions.getRate(to_checksum_address(base_token), to_checksum_address(quote_token))
        numerator, denominator = self.connection.call(function)
        return Rate(numerator, denominator)

    def convert(self, base_token: str, quote_token: str, base_amount: int) -> int:
        """`base_amount` of `base_token` in `quote_token` at the current rate, rounded down."""
        return self.rate(base_token, quote_token).convert(base_amount)
