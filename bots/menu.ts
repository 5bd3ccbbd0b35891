import type { IntentName } from './nlu/intents.js';
import type { TurnSession } from './session.js';

/** The main menu, in the order its numbers are shown. Each label is recognized as its intent. */
export const MENU = ['balance', 'pay', 'promise', 'plan', 'dispute', 'human'] as const satisfies readonly IntentName[];
/** One main-menu option. */
export type MenuItem = (typeof MENU)[number];

/** The option a menu number picks. */
export function menuItem(n: number): MenuItem | undefined {
  return MENU[n - 1];
}

/** Sends `menu:<heading>` with the numbered main menu. */
export async function showMenu(session: TurnSession, heading: 'prompt' | 'anything-else' | 'not-understood' = 'prompt'): Promise<void> {
  const options = MENU.map((item) => {
    const label = session.t(`menu:${item}`);
    return { label, value: label };
  });
  await session.offer(session.t(`menu:${heading}`), options);
}
