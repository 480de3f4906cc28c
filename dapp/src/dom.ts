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

type ActionHandler = (action: string, element: HTMLElement) => Promise<void>;
const actionHandlers = new WeakMap<HTMLElement, ActionHandler>();

/** Runs `handler` on clicks of elements with a `data-action`; errors are shown, never thrown.
 * One handler per root: a page that renders itself again into the same root replaces its handler
 * rather than adding a second one (which would run every action twice). */
export function onAction(root: HTMLElement, handler: ActionHandler): void {
  if (!actionHandlers.has(root)) {
    root.addEventListener("click", (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>("[data-action]");
      const current = actionHandlers.get(root);
      if (!target || !current) return;
      event.preventDefault();
      current(target.dataset.action ?? "", target).catch((error: unknown) => showNotice(root, error instanceof Error ? error.message : String(error)));
    });
  }
  actionHandlers.set(root, handler);
}

export function showNotice(root: HTMLElement, text: string): void {
  const notice = root.querySelector<HTMLElement>('[data-testid="notice"]');
  if (notice) notice.textContent = text;
}
