// Dashboard: the account's Instrument Escrow balances across the four domains, and what it is owed
// and owes in open (engaged) loans.
import { accountOrAsk } from "../dom";
import { type Instrument, INSTRUMENTS } from "../config";
import { LOAN_ENGAGED, TITLES, borrower, domain, escrowBalance, issuances, lender, repayment } from "../domains";
import { escapeHtml, units } from "../format";
import { amountOf, tokenBook } from "../terms";
import { listedAddresses, tokens } from "../tokens";

export async function dashboardPage(root: HTMLElement): Promise<void> {
  const me = accountOrAsk(root, "Dashboard", "your balances across the instruments");
  if (!me) return;
  const all = await tokens(listedAddresses());
  const domains = INSTRUMENTS.map(domain);
  const balances = await Promise.all(domains.map((d) => Promise.all(all.map((t) => escrowBalance(d.escrow, me, t.address)))));
  const loans = (await Promise.all((["lending", "borrowing"] as Instrument[]).map(async (instrument) => {
    const d = domain(instrument);
    const open = (await issuances(d)).filter((i) => i.state === LOAN_ENGAGED);
    const owed = await Promise.all(open.map((i) => repayment(d, i)));
    return open.map((i, index) => ({ d, i, owed: owed[index] }));
  }))).flat();
  const book = await tokenBook(loans.map((l) => l.i));
  const same = (a?: string): boolean => a?.toLowerCase() === me.toLowerCase();
  const loanRows = (side: "owed" | "owes") =>
    loans
      .filter(({ i }) => (side === "owed" ? same(lender(i)) : same(borrower(i))))
      .map(({ d, i, owed }) => `<li data-testid="${side}-${d.instrument}-${i.id}">${TITLES[d.instrument]} #${i.id}: ${amountOf(book, i.principalToken, owed)}</li>`)
      .join("") || "<li>nothing</li>";
  root.innerHTML = `
    <h2>Dashboard</h2>
    <table><thead><tr><th>Instrument Escrow</th>${all.map((t) => `<th>${escapeHtml(t.symbol)}</th>`).join("")}</tr></thead><tbody>
    ${domains
      .map((d, row) => `<tr><td><a href="#/${d.instrument}/account">${TITLES[d.instrument]}</a></td>${all
        .map((t, column) => `<td data-testid="dashboard-${d.instrument}-${t.symbol}">${units(balances[row][column], t.decimals)}</td>`)
        .join("")}</tr>`)
      .join("")}
    </tbody></table>
    <div class="columns"><div><h3>You are owed (open loans, principal plus interest)</h3><ul data-testid="owed">${loanRows("owed")}</ul></div>
    <div><h3>You owe</h3><ul data-testid="owes">${loanRows("owes")}</ul></div></div>`;
}
