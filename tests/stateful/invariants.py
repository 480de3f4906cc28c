"""The six invariants the stateful tier checks after every step, over every domain, whatever its
instrument. A mixin of escrow_machine.EscrowMachine: it reads the machine's `snapshot()` (after the
step), `before` (after the previous step), `step`, `expected()` and its keys (`domains`,
`user_keys`, `token_keys`, `fee_tokens`: the 1% one and the adjustable one)."""

from chain_reads import WITHDRAW, WITHDRAW_TOKEN, eth_call, low, rpc_batch
from eth_abi import encode

from support import ETH


class Invariants:
    def check_now(self):
        """Runs every invariant now, for a step hypothesis does not check after (an initialize
        rule: hypothesis checks invariants only once all of them have run)."""
        for name in dir(self):
            if name.startswith("invariant_"):
                getattr(self, name)()

    def invariant_solvency(self):
        """Every escrow holds what its ledger books: exactly, or at least for the fee tokens."""
        snap = self.snapshot()
        for domain_index, escrows in snap.escrows.items():
            for escrow in escrows:
                for token in self.token_keys:
                    booked = snap.ledger_total(domain_index, token, escrow)
                    held = snap.values[("held", domain_index, escrow, token)]
                    if token in self.fee_tokens:
                        assert booked <= held, f"escrow {escrow} books {booked} of fee token {token}, holds {held}"
                    else:
                        assert booked == held, f"escrow {escrow} books {booked} of {token}, holds {held}"

    def invariant_isolation(self):
        """A step in one domain (or in none) changes nothing of any other domain."""
        before, after = self.before, self.snapshot()
        for domain_index in range(len(self.domains)):
            if domain_index == self.step.domain or domain_index not in before.escrows:
                continue
            old, new = before.domain_values(domain_index), after.domain_values(domain_index)
            changed = sorted(str(k) for k in set(old) | set(new) if old.get(k) != new.get(k))
            assert not changed, f"{self.step} changed domain {domain_index}: {changed[:5]}"

    def invariant_no_loss_without_consent(self):
        """A user's Instrument Escrow balance falls only in a step that user made in that domain."""
        before, after = self.before, self.snapshot()
        for domain_index, dom in enumerate(self.domains):
            escrow = low(dom.escrow)
            for account in self.user_keys:
                for token in self.token_keys:
                    key = ("ledger", domain_index, escrow, account, token)
                    if after.values[key] < before.values.get(key, 0):
                        assert self.step.actor == account and self.step.domain == domain_index, (
                            f"{account} lost {token} in domain {domain_index} in {self.step}"
                        )

    def invariant_always_exit(self):
        """Every user can withdraw its whole Instrument Escrow balance, in every domain, now.

        Asked of the step's domain only, or of all after a step in none: isolation shows that no
        other domain changed, so what held for it after the previous step still holds."""
        snap = self.snapshot()
        calls, what = [], []
        checked = range(len(self.domains)) if self.step.domain is None else [self.step.domain]
        for domain_index in checked:
            escrow = low(self.domains[domain_index].escrow)
            for account in self.user_keys:
                for token in self.token_keys:
                    balance = snap.values[("ledger", domain_index, escrow, account, token)]
                    if balance == 0:
                        continue
                    amount = balance + self.exit_extra
                    if token == low(ETH):
                        data = WITHDRAW + encode(["uint256"], [amount])
                    else:
                        data = WITHDRAW_TOKEN + encode(["address", "uint256"], [token, amount])
                    calls.append(eth_call(escrow, data, sender=account))
                    what.append((domain_index, account, token, amount))
        for item, answer in zip(what, rpc_batch(calls), strict=True):
            assert "error" not in answer, f"withdrawing everything {item} fails: {answer['error']}"

    def invariant_conservation(self):
        """A manager move keeps the domain's total per token; a fee token loses only its burn."""
        if not self.step.manager_move or not self.step.ok:
            return
        before, after = self.before, self.snapshot()
        domain_index = self.step.domain
        for token in self.token_keys:
            supply = ("supply", token)
            expected_drop = before.values[supply] - after.values[supply] if token in self.fee_tokens else 0
            booked_drop = before.ledger_total(domain_index, token) - after.ledger_total(domain_index, token)
            held_drop = before.held_total(domain_index, token) - after.held_total(domain_index, token)
            assert booked_drop == expected_drop, f"{self.step}: booked {token} fell by {booked_drop}"
            assert held_drop == expected_drop, f"{self.step}: held {token} fell by {held_drop}"

    def invariant_model_matches_chain(self):
        """Every ledger, holding, issuance record, issuance count, activity flag, oracle rate and
        the adjustable token's fee equals the model's."""
        actual, expected = self.snapshot().values, self.expected()
        wrong = [(k, actual.get(k), v) for k, v in expected.items() if actual.get(k) != v]
        assert not wrong, f"after {self.step}, chain != model (key, chain, model): {wrong[:5]}"
