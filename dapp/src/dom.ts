// The few DOM helpers the pages share.
import type { Address } from "viem";
import { wallet } from "./wallet";

/** The connected account, or undefined after asking, in `root`, to connect for `what`. */
export function accountOrAsk(root: HTMLElement, title: string, what: string): Address | undefined {
  if (!wallet.account) root.innerHTML = `<h2>${title}</h2><p>Connect a wallet to see ${what}.</p>`;
  return wallet.account;
}
export function $(selector: string, root: ParentNode = document): HTMLElement {
  const found = root.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`missing element ${selector}`);
  return found;
}

export function value(testId: string, root: ParentNode = document): string {
  return ($(`[data-testid="${testId}"]`, root) as HTMLInputElement).value;
}

/** Runs `handler` on clicks of elements with a `data-action`; errors are shown, never thrown. */
export function onAction(root: HTMLElement, handler: (action: string, element: HTMLElement) => Promise<void>): void {
  root.addEventListener("click", (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (!target) return;
    event.preventDefault();
    handler(target.dataset.action ?? "", target).catch((error: unknown) => showNotice(root, error instanceof Error ? error.message : String(error)));
  });
}

export function showNotice(root: HTMLElement, text: string): void {
  const notice = root.querySelector<HTMLElement>('[data-testid="notice"]');
  if (notice) notice.textContent = text;
}
