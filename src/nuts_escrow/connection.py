"""The lowest layer of the client: one web3 connection and the account it sends from.

`Connection` calls view functions, sends transactions and waits for their receipts, and turns
every revert into the contract's custom error (`nuts_escrow.errors`). Domains and price oracles
hold a `Connection`; `EscrowClient` builds one and the objects above it.
"""

from collections.abc import Sequence
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract.contract import Contract, ContractFunction
from web3.exceptions import ContractLogicError
from web3.types import BlockIdentifier, TxParams, TxReceipt, Wei

from nuts_escrow.abi import load_abi
from nuts_escrow.errors import NutsEscrowError, TransactionFailed, decode_revert

DEFAULT_RECEIPT_TIMEOUT = 120


class Connection:
    """A web3 connection, the account transactions are sent from, and where event scans start.

    `account` is an eth-account `LocalAccount` (signed locally, sent raw), the address of an
    account the node holds (sent with eth_sendTransaction), or None (read only).
    """

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount | str | None = None,
        *,
        from_block: int = 0,
        timeout: float = DEFAULT_RECEIPT_TIMEOUT,
    ):
        self.w3 = w3
        self.from_block = from_block
        self.timeout = timeout
        self.local: LocalAccount | None = None
        self.address: ChecksumAddress | None = None
        if isinstance(account, str):
            self.address = to_checksum_address(account)
        elif account is not None:
            self.local = account
            self.address = account.address

    def require_address(self) -> ChecksumAddress:
        """The sending address; raises when the client was made without an account."""
        if self.address is None:
            raise NutsEscrowError("this client has no account: pass account= to send transactions")
        return self.address

    def contract(self, address: str, abi_name: str) -> Contract:
        """The contract at `address` with the shipped ABI `abi_name`."""
        return self.w3.eth.contract(to_checksum_address(address), abi=load_abi(abi_name))

    def token(self, address: str) -> Contract:
        """An ERC20 token contract (minimal ABI: IERC20Metadata and OpenZeppelin's errors)."""
        return self.contract(address, "ERC20")

    def call(self, function: ContractFunction, block: BlockIdentifier = "latest") -> Any:
        """Calls a view function (as the account, if any); a revert raises its custom error."""
        params: TxParams = {"from": self.address} if self.address else {}
        try:
            return function.call(params, block_identifier=block)
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error

    def batch_call(self, functions: Sequence[ContractFunction], block: BlockIdentifier = "latest") -> list[Any]:
        """Calls every view function in `functions` in one JSON-RPC batch, at one block.

        Falls back to one call each when the node refuses batches.
        """
        if not functions:
            return []
        try:
            with self.w3.batch_requests() as batch:
                for function in functions:
                    batch.add(function.call(block_identifier=block))
                return list(batch.execute())
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error
        except Exception:  # a node or provider without batch support: call one by one
            return [self.call(function, block) for function in functions]

    def transact(self, function: ContractFunction, value: int = 0) -> TxReceipt:
        """Sends `function` with `value` wei and waits for the receipt.

        The gas estimate runs the call first, so most reverts raise (as the contract's custom
        error) before anything is sent. A mined transaction that failed anyway is replayed to find
        its error; `TransactionFailed` if none comes back.
        """
        sender = self.require_address()
        params: TxParams = {"from": sender, "value": Wei(value)}
        try:
            if self.local is not None:
                params["nonce"] = self.w3.eth.get_transaction_count(sender, "pending")
                transaction: dict[str, Any] = dict(function.build_transaction(params))
                signed = self.local.sign_transaction(transaction)
                tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
            else:
                tx_hash = function.transact(params)
        except ContractLogicError as error:
            raise decode_revert(error.data, error.message) from error
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self.timeout)
        if receipt["status"] != 1:
            data = function._encode_transaction_data()
            replay: TxParams = {"from": sender, "to": function.address, "data": data, "value": Wei(value)}
            try:
                self.w3.eth.call(replay, block_identifier=receipt["blockNumber"] - 1)
            except ContractLogicError as error:
                raise decode_revert(error.data, error.message) from error
            raise TransactionFailed(receipt)
        return receipt
