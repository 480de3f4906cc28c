"""Random sequences over five domains - two Swap, Lending, Borrowing, MultiSwap - keep every wei:
see escrow_machine.EscrowMachine.

Invariants checked after every step: solvency, isolation of domains, no loss without consent,
always exit, conservation in manager moves, and chain == model. The profile (examples x steps)
comes from STATEFUL_PROFILE (see conftest.py). `state_machine` is brownie's, loaded from its
Python source (see escrow_machine._pure_python_state_machine).
"""

from escrow_machine import EscrowMachine, state_machine


def test_escrows_keep_every_wei(registry, domains, users, providers, assets, funding, oracle, stateful_settings):
    EscrowMachine.stats.clear()
    state_machine(
        EscrowMachine, registry, domains, users, providers, assets, funding, oracle, settings=stateful_settings
    )
    # Shown with -s: which steps ran, how many succeeded and how many reverted with which error.
    print(
        "\nsteps run:", ", ".join(f"{kind} {outcome} {n}" for (kind, outcome), n in sorted(EscrowMachine.stats.items()))
    )
