"""Why a gas target is missed is explained in docs/gas.md, beside the report that scripts/gas_report.py
writes: every operation the committed report marks as missing its target has a note there."""

import json

from scripts.gas_report import GAS_DIR, OPERATIONS, explained_labels


def test_every_missed_target_of_the_report_has_a_note_in_docs_gas():
    rows = json.loads((GAS_DIR / "report.json").read_text())
    missed = {row["label"] for row in rows if not row["met"]}

    assert missed, "the report marks no missed target: this test would prove nothing"
    assert missed <= explained_labels(), f"no note in docs/gas.md for: {missed - explained_labels()}"


def test_every_note_in_docs_gas_names_a_benchmarked_operation():
    labels = {operation.label for operation in OPERATIONS}

    assert explained_labels() <= labels, f"notes for unknown operations: {explained_labels() - labels}"
