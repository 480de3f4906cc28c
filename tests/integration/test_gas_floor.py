"""The gas floor of the benchmark (scripts/gas_floor.py) adds up what the EVM charges for the state a
transaction touches: checked on transactions whose charges are known exactly, and never above what
a transaction really used."""

from brownie import accounts

from scripts.gas_floor import COLD_ACCOUNT, CREATE, NEW_SLOT, UPDATED_SLOT, VALUE_CALL, floor_of
from scripts.gas_report import measure

TRANSFER_LOG = 375 + 3 * 375 + 8 * 32  # Transfer(address indexed, address indexed, uint256)


def calldata_gas(tx):
    data = bytes.fromhex(tx.input.removeprefix("0x"))
    return 21_000 + sum(16 if byte else 4 for byte in data)


def test_a_token_transfer_to_a_new_holder(token, maker, stranger):
    fresh = accounts.add()
    tx = token.transfer(fresh, 10**18, {"from": maker})

    floor = floor_of(tx)

    assert floor.intrinsic == calldata_gas(tx)
    assert floor.accounts == 0  # the token is the transaction's recipient: warm
    assert floor.storage == NEW_SLOT + UPDATED_SLOT  # the new holder's balance, the sender's
    assert floor.logs == TRANSFER_LOG
    assert floor.refund == floor.creation == floor.eth_calls == 0
    assert floor.total <= tx.gas_used


def test_an_eth_withdrawal_pays_one_value_call(domain_escrow, maker):
    domain_escrow.deposit({"from": maker, "value": 10**18})
    tx = domain_escrow.withdraw(10**17, {"from": maker})

    floor = floor_of(tx)

    assert floor.eth_calls == VALUE_CALL
    assert floor.accounts == COLD_ACCOUNT  # the implementation behind the escrow clone
    assert floor.storage == UPDATED_SLOT
    assert floor.total <= tx.gas_used


def test_an_escrow_creation_pays_create2_and_the_clone_code(factory, stranger):
    tx = factory.createIssuanceEscrow((7).to_bytes(32, "big"), {"from": stranger})

    floor = floor_of(tx)

    clone_code = 45 + 20  # EIP-1167 proxy and the admin as immutable argument
    assert floor.creation == CREATE + 200 * clone_code
    assert floor.total <= tx.gas_used


def test_emptying_a_slot_refunds(token, maker):
    tx = token.transfer(accounts[9], token.balanceOf(maker), {"from": maker})

    floor = floor_of(tx)

    assert floor.refund == 4_800
    assert floor.total <= tx.gas_used


def test_no_benchmarked_operation_uses_less_than_its_floor():
    floors = {}
    gas = measure(accounts[0], accounts[1], accounts[2], accounts[3], accounts[4], floors)

    assert set(floors) == set(gas)
    below = {key: (gas[key], floor.as_dict()) for key, floor in floors.items() if floor.total > gas[key]}
    assert not below
