// Account: wallet and Instrument Escrow balances of the listed and pasted tokens; deposits (with
// the approval only when the allowance is short) and withdrawals of ETH and tokens.
import type { Address } from "viem";
import { connection } from "../chain";
import type { Instrument } from "../config";
import { onAction, value } from "../dom";
import { domain, escrowBalance } from "../domains";
import { escapeHtml, parseAmount, units } from "../format";
import { ERC20, InstrumentEscrow } from "../generated/abis";
import { addToken, isEth, listedAddresses, token, tokenOptions, tokens, walletBalance } from "../tokens";
import { send } from "../tx";
import { wallet } from "../wallet";

export async function accountPage(root: HTMLElement, instrument: Instrument): Promise<void> {
  const d = domain(instrument);
  const account = wallet.account;
  const all = await tokens(listedAddresses());
  const rows = account
    ? await Promise.all(all.map(async (t) => [t, await walletBalance(account, t.address), await escrowBalance(d.escrow, account, t.address)] as const))
    : [];
  root.innerHTML = `
    <h2>Account</h2>
    ${account ? "" : "<p>Connect a wallet to see your balances.</p>"}
    <table><thead><tr><th>Token</th><th>Wallet</th><th>Instrument Escrow</th></tr></thead><tbody>
    ${rows
      .map(
        ([t, inWallet, inEscrow]) => `<tr data-testid="balance-${t.symbol}"><td title="${t.address}">${escapeHtml(t.symbol)}</td>
        <td data-testid="wallet-${t.symbol}">${units(inWallet, t.decimals)}</td>
        <td data-testid="escrow-${t.symbol}">${units(inEscrow, t.decimals)}</td></tr>`,
      )
      .join("")}
    </tbody></table>
    <form class="row">
      <label>Token <select data-testid="field-token">${tokenOptions(all)}</select></label>
      <label>Amount <input data-testid="field-amount" inputmode="decimal" placeholder="0.0"></label>
      <button data-testid="deposit" data-action="deposit">Deposit</button>
      <button data-testid="withdraw" data-action="withdraw">Withdraw</button>
    </form>
    <form class="row">
      <label>Token address <input data-testid="field-token-address" placeholder="0x…" size="44"></label>
      <button data-testid="add-token" data-action="add-token">Add token</button>
    </form>
    <p data-testid="notice" class="notice"></p>`;
  onAction(root, async (action) => {
    if (action === "add-token") {
      const added = await addToken(value("field-token-address", root));
      return accountPage(root, instrument).then(() => showAdded(root, added.symbol));
    }
    const address = value("field-token", root) as Address;
    const t = await token(address);
    const amount = parseAmount(value("field-amount", root), t.decimals);
    if (!amount) throw new Error(`Enter a positive amount of ${t.symbol} with at most ${t.decimals} decimals.`);
    if (action === "deposit") await deposit(d.escrow, address, amount, t.symbol);
    else await withdraw(d.escrow, address, amount, t.symbol);
  });
}

function showAdded(root: HTMLElement, symbol: string): void {
  const notice = root.querySelector('[data-testid="notice"]');
  if (notice) notice.textContent = `Added ${symbol}.`;
}

async function deposit(escrow: Address, address: Address, amount: bigint, symbol: string): Promise<boolean> {
  const label = `Deposit ${units(amount, (await token(address)).decimals)} ${symbol}`;
  if (isEth(address)) return send(label, { address: escrow, abi: InstrumentEscrow, functionName: "deposit", value: amount });
  const owner = wallet.account as Address;
  const allowance = await connection.reads.readContract({ address, abi: ERC20, functionName: "allowance", args: [owner, escrow] });
  if (allowance < amount && !(await send(`Approve ${symbol}`, { address, abi: ERC20, functionName: "approve", args: [escrow, amount] })))
    return false;
  return send(label, { address: escrow, abi: InstrumentEscrow, functionName: "depositToken", args: [address, amount] });
}

async function withdraw(escrow: Address, address: Address, amount: bigint, symbol: string): Promise<boolean> {
  const label = `Withdraw ${units(amount, (await token(address)).decimals)} ${symbol}`;
  if (isEth(address)) return send(label, { address: escrow, abi: InstrumentEscrow, functionName: "withdraw", args: [amount] });
  return send(label, { address: escrow, abi: InstrumentEscrow, functionName: "withdrawToken", args: [address, amount] });
}
