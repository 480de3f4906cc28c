"""The gas of every benchmarked operation stays within 1% of the committed snapshot.

`scripts/gas_report.py` measures each operation from real receipts on this chain; the figures must
not grow by more than 1% over `gas/snapshot.json`. An intended change updates the snapshot in the
same commit: `./run gas update-snapshot`.
"""

import json

from brownie import accounts

from scripts.gas_report import OPERATIONS, SNAPSHOT_FILE, measure

ALLOWED_GROWTH = 0.01


def test_every_operation_stays_within_one_percent_of_the_snapshot():
    snapshot = json.loads(SNAPSHOT_FILE.read_text())
    measured = measure(accounts[0], accounts[1], accounts[2], accounts[3], accounts[4])

    assert set(snapshot) == {operation.key for operation in OPERATIONS}, "snapshot and benchmark list differ"
    grown = {
        key: f"{snapshot[key]:,} -> {gas:,} gas (+{(gas - snapshot[key]) / snapshot[key]:.1%})"
        for key, gas in measured.items()
        if gas > snapshot[key] * (1 + ALLOWED_GROWTH)
    }
    assert not grown, f"gas grew by more than 1% (update gas/snapshot.json if intended): {grown}"
