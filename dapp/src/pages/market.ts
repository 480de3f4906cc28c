// Marketplace: every engageable issuance with its terms in whole units, what engaging costs and
// pays now, and the engage button with the minimum from that quote and the user's tolerance.
import { chainNow } from "../chain";
import { type Instrument, settings, toleranceBps } from "../config";
import { onAction, value } from "../dom";
import {
  ENGAGEABLE, type Domain, type Issuance, collateralNow, domain, engageIssuance, heldCollateral, issuanceEscrows, issuances,
  quoteFill, repayment, takerData,
} from "../domains";
import { dueText, parseAmount, parsePercent, percent } from "../format";
import { type TokenBook, amountOf, termsText, tokenBook } from "../terms";
import { explain } from "../errors";
import { failed, send } from "../tx";
import { wallet } from "../wallet";

/** What engaging `i` costs the taker and pays it now, as text (one batch for the whole list). */
async function quotes(d: Domain, list: Issuance[], book: TokenBook): Promise<[string, string][]> {
  if (d.instrument === "borrowing") await issuanceEscrows(d, list.map((i) => i.id));
  return Promise.all(
    list.map(async (i): Promise<[string, string]> => {
      switch (d.instrument) {
        case "swap":
          return [amountOf(book, i.outputToken, i.outputAmount), amountOf(book, i.inputToken, i.inputAmount)];
        case "multiswap": {
          const fill = i.remainingOutput < i.maxFillOutput ? i.remainingOutput : i.maxFillOutput;
          const paid = await quoteFill(d, i.id, fill).catch(() => undefined);
          return [amountOf(book, i.outputToken, fill), paid === undefined ? "not fillable now" : amountOf(book, i.inputToken, paid)];
        }
        case "lending":
          return [`${amountOf(book, i.collateralToken, await collateralNow(d, i))} collateral`, amountOf(book, i.principalToken, i.principalAmount)];
        case "borrowing": {
          const [owed, held] = await Promise.all([repayment(d, i), heldCollateral(d, i)]);
          return [amountOf(book, i.principalToken, i.principalAmount), `${amountOf(book, i.principalToken, owed)} at due; ${amountOf(book, i.collateralToken, held)} collateral held`];
        }
      }
    }),
  );
}

export async function marketPage(root: HTMLElement, instrument: Instrument): Promise<void> {
  const d = domain(instrument);
  const [all, now] = await Promise.all([issuances(d), chainNow()]);
  const open = all.filter((i) => i.state === ENGAGEABLE && i.due > now);
  const book = await tokenBook(open);
  const quoted = await quotes(d, open, book);
  const me = wallet.account?.toLowerCase();
  const fillInput = (i: Issuance): string =>
    instrument === "multiswap" ? `<input data-testid="field-fill-${i.id}" size="8" placeholder="fill" inputmode="decimal">` : "";
  const rows = open.map((i, index) => {
    const action = i.maker.toLowerCase() === me ? "yours" : `${fillInput(i)}<button data-testid="engage-${i.id}" data-action="engage" data-id="${i.id}">Engage</button>`;
    return `<tr data-testid="issuance-${i.id}"><td>#${i.id}</td><td>${termsText(book, i)}</td><td data-testid="cost-${i.id}">${quoted[index][0]}</td>
      <td data-testid="quote-${i.id}">${quoted[index][1]}</td><td>${dueText(i.due, now)}</td><td>${action}</td></tr>`;
  });
  root.innerHTML = `
    <h2>Marketplace</h2>
    <p class="row"><label>Tolerance (%) <input data-testid="field-tolerance" size="6" value="${percent(toleranceBps()).replace("%", "")}"></label>
    <span>How far the quote may move against you before the engagement reverts instead.</span></p>
    <p data-testid="notice" class="notice"></p>
    <table><thead><tr><th>Id</th><th>Terms</th><th>Engaging costs</th><th>Pays now</th><th>Open until</th><th></th></tr></thead>
    <tbody data-testid="market-rows">${rows.join("") || '<tr><td colspan="6">No engageable issuance.</td></tr>'}</tbody></table>`;
  root.querySelector('[data-testid="field-tolerance"]')?.addEventListener("change", (event) => {
    const bps = parsePercent((event.target as HTMLInputElement).value);
    if (bps !== undefined && bps <= 10_000n) settings.set("tolerance-bps", bps.toString());
  });
  // A multi-swap's quote follows the fill the user types.
  root.addEventListener("change", (event) => {
    const input = event.target as HTMLInputElement;
    const id = /^field-fill-(\d+)$/.exec(input.dataset.testid ?? "")?.[1];
    const i = open.find((item) => id && item.id === BigInt(id));
    if (!i) return;
    const fill = parseAmount(input.value, book.get(i.outputToken.toLowerCase())?.decimals ?? 18);
    const show = (cell: string, text: string) => void (root.querySelector(`[data-testid="${cell}-${i.id}"]`)!.innerHTML = text);
    if (!fill) return show("quote", "enter a fill");
    show("cost", amountOf(book, i.outputToken, fill));
    quoteFill(d, i.id, fill).then(
      (paid) => show("quote", amountOf(book, i.inputToken, paid)),
      (error: unknown) => {
        const { name, sentence } = explain(error);
        show("quote", `not fillable: ${name ?? sentence}`);
      },
    );
  });
  onAction(root, async (_action, element) => {
    const id = BigInt(element.dataset.id ?? "0");
    const i = open.find((item) => item.id === id) as Issuance;
    const tolerance = parsePercent(value("field-tolerance", root));
    if (tolerance === undefined || tolerance > 10_000n) throw new Error("The tolerance is a percentage from 0 to 100.");
    let fill = 0n;
    if (instrument === "multiswap") {
      const typed = value(`field-fill-${id}`, root);
      const decimals = book.get(i.outputToken.toLowerCase())?.decimals ?? 18;
      fill = typed ? (parseAmount(typed, decimals) ?? 0n) : i.remainingOutput < i.maxFillOutput ? i.remainingOutput : i.maxFillOutput;
      if (fill === 0n) throw new Error("Enter the amount to fill.");
    }
    const label = `Engage #${id}`;
    // A quote that reverts (a fill below the minimum, a loan past due) fails like the engagement would.
    const data = await takerData(d, i, tolerance, fill).catch((error: unknown) => failed(label, error));
    if (data) await send(label, engageIssuance(d, id, data));
  });
}
