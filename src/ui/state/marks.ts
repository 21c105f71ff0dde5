/**
 * A performance mark `aura:<name>` (and a measure from `aura:<from>`), read by bench/budget.bench.ts and the
 * what-if browser test, and visible in a browser's performance panel. Cheap enough to leave in.
 */
export function mark(name: string, from?: string): void {
  performance.mark(`aura:${name}`);
  if (from && performance.getEntriesByName(`aura:${from}`, 'mark').length > 0) {
    performance.measure(`aura:${from}→${name}`, `aura:${from}`, `aura:${name}`);
  }
}
