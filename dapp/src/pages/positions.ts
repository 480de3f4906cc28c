// Positions: the user's issuances and engagements with their state and due times, and the actions
// their state allows now (cancel, close at due, repay, engagement due, margin call).
import { type Address, parseAbiItem } from "viem";
import { chainNow, connection } from "../chain";
import type { Instrument } from "../config";
import { accountOrAsk, onAction } from "../dom";
import {
  ENGAGEABLE, type Domain, type EventName, type Issuance, LOAN_ENGAGED, LOAN_ENGAGEMENT_ID, borrower, domain, heldCollateral,
  isLoan, issuances, lender, marginRequirement, processEvent, repayment,
} from "../domains";
import { dueText } from "../format";
import { amountOf, termsText, tokenBook } from "../terms";
import { send } from "../tx";

const ENGAGED_EVENT = parseAbiItem("event IssuanceEngaged(uint256 indexed issuanceId, uint256 indexed engagementId, address indexed taker)");

/** The ids of the domain's issuances `account` engaged (the manager's IssuanceEngaged events). */
export async function engagedBy(d: Domain, account: Address): Promise<Set<bigint>> {
  const logs = await connection.reads.getLogs({
    address: d.manager,
    event: ENGAGED_EVENT,
    args: { taker: account },
    fromBlock: BigInt(connection.record.blockNumber ?? 0),
  });
  return new Set(logs.map((log) => log.args.issuanceId as bigint));
}

interface Action {
  event: EventName;
  id: string;
  label: string;
  engagement?: bigint;
}

/** The actions `i`'s state allows `me` now. */
async function actions(d: Domain, i: Issuance, me: Address, now: bigint): Promise<Action[]> {
  const mine = i.maker.toLowerCase() === me.toLowerCase();
  const found: Action[] = [];
  if (i.state === ENGAGEABLE) {
    if (mine) found.push({ event: "cancel_issuance", id: "cancel", label: "Cancel" });
    if (now >= i.due) found.push({ event: "issuance_due", id: "close", label: "Close (due)" });
  }
  if (isLoan(d.instrument) && i.state === LOAN_ENGAGED) {
    const engagement = LOAN_ENGAGEMENT_ID;
    if (now < i.engagementDue && borrower(i)?.toLowerCase() === me.toLowerCase())
      found.push({ event: "repay_full", id: "repay", label: "Repay", engagement });
    if (now >= i.engagementDue) found.push({ event: "engagement_due", id: "engagement-due", label: "Engagement due", engagement });
    if (i.maintenanceRatio > 0n) {
      const [held, required] = await Promise.all([heldCollateral(d, i), marginRequirement(d, i)]);
      if (held < required) found.push({ event: "margin_call", id: "margin-call", label: "Margin call", engagement });
    }
  }
  return found;
}

function role(d: Domain, i: Issuance, me: Address): string {
  if (!isLoan(d.instrument)) return i.maker.toLowerCase() === me.toLowerCase() ? "maker" : "taker";
  return lender(i)?.toLowerCase() === me.toLowerCase() ? "lender" : "borrower";
}

export async function positionsPage(root: HTMLElement, instrument: Instrument): Promise<void> {
  const d = domain(instrument);
  const me = accountOrAsk(root, "Positions", "your positions");
  if (!me) return;
  const [all, engaged, now] = await Promise.all([issuances(d), engagedBy(d, me), chainNow()]);
  const mine = all.filter((i) => i.maker.toLowerCase() === me.toLowerCase() || engaged.has(i.id));
  const book = await tokenBook(mine);
  const allowed = await Promise.all(mine.map((i) => actions(d, i, me, now)));
  const owed = await Promise.all(mine.map((i) => (isLoan(instrument) && i.state === LOAN_ENGAGED ? repayment(d, i) : Promise.resolve(undefined))));
  const rows = mine.map((i, index) => {
    const due = isLoan(instrument) && i.state === LOAN_ENGAGED ? `repay by ${dueText(i.engagementDue, now)}` : dueText(i.due, now);
    const repay = owed[index] === undefined ? "" : `; repayment ${amountOf(book, i.principalToken, owed[index])}`;
    const buttons = allowed[index]
      .map((a) => `<button data-testid="${a.id}-${i.id}" data-action="${a.event}" data-id="${i.id}" data-engagement="${a.engagement ?? 0n}">${a.label}</button>`)
      .join(" ");
    return `<tr data-testid="issuance-${i.id}"><td>#${i.id}</td><td>${role(d, i, me)}</td><td>${termsText(book, i)}${repay}</td>
      <td data-testid="state-${i.id}">${i.stateName}</td><td>${due}</td><td>${buttons}</td></tr>`;
  });
  root.innerHTML = `
    <h2>Positions</h2>
    <p data-testid="notice" class="notice"></p>
    <table><thead><tr><th>Id</th><th>You are</th><th>Terms</th><th>State</th><th>Due</th><th>Actions</th></tr></thead>
    <tbody>${rows.join("") || '<tr><td colspan="6">No issuance or engagement of yours.</td></tr>'}</tbody></table>`;
  onAction(root, async (action, element) => {
    const id = BigInt(element.dataset.id ?? "0");
    await send(`${element.textContent} #${id}`, processEvent(d, id, action as EventName, BigInt(element.dataset.engagement ?? "0")));
  });
}
