// History: the account's deposits, withdrawals and moves in the domain's escrows, rebuilt from the
// escrows' Deposited, Withdrawn and Transferred events (as the Python client's balance_history).
import { type Address, type Hex, type Log, decodeEventLog, encodeEventTopics, numberToHex, pad } from "viem";
import { connection } from "../chain";
import type { Instrument } from "../config";
import { accountOrAsk } from "../dom";
import { domain, issuanceCount, issuanceEscrows } from "../domains";
import { escapeHtml, short } from "../format";
import { InstrumentEscrow } from "../generated/abis";
import { type TokenBook, amountOf } from "../terms";
import { tokens } from "../tokens";

const EVENT_NAMES = ["Deposited", "Withdrawn", "Transferred"] as const;
const topicOf = (eventName: (typeof EVENT_NAMES)[number]): Hex => encodeEventTopics({ abi: InstrumentEscrow, eventName })[0];

interface Change {
  block: bigint;
  index: number;
  place: string;
  event: string;
  token: Address;
  delta: bigint;
  counterparty?: Address;
}

function change(log: Log, place: string, me: Address): Change {
  const { eventName, args } = decodeEventLog({ abi: InstrumentEscrow, data: log.data, topics: log.topics });
  const a = args as { token: Address; amount: bigint; from?: Address; to?: Address; recipient?: Address };
  let delta = a.amount;
  let counterparty: Address | undefined;
  if (eventName === "Withdrawn") [delta, counterparty] = [-a.amount, a.recipient];
  if (eventName === "Transferred") {
    const from = a.from?.toLowerCase() === me.toLowerCase();
    const to = a.to?.toLowerCase() === me.toLowerCase();
    [delta, counterparty] = from && to ? [0n, me] : from ? [-a.amount, a.to] : [a.amount, a.from];
  }
  return { block: log.blockNumber ?? 0n, index: log.logIndex ?? 0, place, event: eventName, token: a.token, delta, counterparty };
}

export async function historyPage(root: HTMLElement, instrument: Instrument): Promise<void> {
  const d = domain(instrument);
  const me = accountOrAsk(root, "History", "your history");
  if (!me) return;
  const ids = Array.from({ length: Number(await issuanceCount(d)) }, (_, index) => BigInt(index + 1));
  const escrows = await issuanceEscrows(d, ids);
  const places = new Map<string, string>([[d.escrow.toLowerCase(), "Instrument Escrow"]]);
  escrows.forEach((escrow, index) => places.set(escrow.toLowerCase(), `issuance #${ids[index]}`));
  const topics = EVENT_NAMES.map(topicOf);
  const account = pad(me.toLowerCase() as Hex);
  const scope = { address: [...places.keys()] as Address[], fromBlock: numberToHex(connection.record.blockNumber), toBlock: "latest" as const };
  const [asAccount, asRecipient] = await Promise.all([
    connection.reads.request({ method: "eth_getLogs", params: [{ ...scope, topics: [topics, account] }] }),
    connection.reads.request({ method: "eth_getLogs", params: [{ ...scope, topics: [topics[2], null, account] }] }),
  ] as const);
  const unique = new Map<string, Log>();
  for (const log of [...(asAccount as Log[]), ...(asRecipient as Log[])]) unique.set(`${log.transactionHash}:${log.logIndex}`, log);
  const changes = [...unique.values()]
    .map((log) => change({ ...log, blockNumber: BigInt(log.blockNumber ?? 0), logIndex: Number(log.logIndex) }, places.get(log.address.toLowerCase()) ?? log.address, me))
    .sort((a, b) => (a.block === b.block ? a.index - b.index : a.block < b.block ? -1 : 1));
  const book: TokenBook = new Map((await tokens(changes.map((c) => c.token))).map((t) => [t.address.toLowerCase(), t]));
  const rows = changes.map(
    (c) => `<tr data-testid="history-row"><td>${c.block}</td><td>${c.event}</td><td>${escapeHtml(c.place)}</td>
      <td>${c.delta >= 0n ? "+" : "−"}${amountOf(book, c.token, c.delta < 0n ? -c.delta : c.delta)}</td><td>${c.counterparty ? short(c.counterparty) : ""}</td></tr>`,
  );
  root.innerHTML = `
    <h2>History</h2>
    <table><thead><tr><th>Block</th><th>Event</th><th>Where</th><th>Change</th><th>Counterparty</th></tr></thead>
    <tbody>${rows.reverse().join("") || '<tr><td colspan="5">Nothing yet.</td></tr>'}</tbody></table>`;
}
