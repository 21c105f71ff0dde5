// What the Connect form edits, and where it is kept. URL, queries and timing are kept in localStorage (they
// are not secret). Credentials stay in memory unless the user ticks "remember"; then they are stored in
// this browser's localStorage, unencrypted, under their own key, until "forget" removes them. Nothing of
// this ever goes into the page URL.
import type { Auth } from '../../lib/prometheus/index.ts';

export interface ConnectionSettings {
  /** Base URL including any path prefix, e.g. https://mimir.example/prometheus */
  baseUrl: string;
  /** `node` = the node_exporter presets; `custom` = the PromQL lines below. */
  queryMode: 'node' | 'custom';
  /** One PromQL expression per line (custom mode). */
  queries: string;
  /** How much history the first read covers, in minutes. */
  lookbackMinutes: number;
  /** The scrape interval in seconds: the smallest useful step. */
  minStepSeconds: number;
  /** Hours before the live window read at a coarser step as the baseline (normal operation); 0: none. */
  baselineHours: number;
}

export interface Credentials {
  auth: Auth | null;
  /** Extra headers, e.g. X-Scope-OrgID for Mimir/Cortex tenants. */
  headers: Record<string, string>;
}

const SETTINGS_KEY = 'aura.live.connection';
const CREDENTIALS_KEY = 'aura.live.credentials.remembered';

export const defaultSettings: ConnectionSettings = {
  baseUrl: 'http://localhost:9090',
  queryMode: 'node',
  queries: '',
  lookbackMinutes: 60,
  minStepSeconds: 15,
  baselineHours: 24,
};

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function loadSettings(): ConnectionSettings {
  return { ...defaultSettings, ...read<Partial<ConnectionSettings>>(SETTINGS_KEY) };
}

export function saveSettings(s: ConnectionSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
  } catch {
    /* storage full or disabled: the form still works for this session */
  }
}

export function loadRememberedCredentials(): Credentials | null {
  return read<Credentials>(CREDENTIALS_KEY);
}

export function rememberCredentials(c: Credentials): void {
  localStorage.setItem(CREDENTIALS_KEY, JSON.stringify(c));
}

export function forgetCredentials(): void {
  localStorage.removeItem(CREDENTIALS_KEY);
}

/** "Name: value" lines → headers; returns the first malformed line so the form can point at it. */
export function parseHeaderLines(text: string): { headers: Record<string, string>; bad: string | null } {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const colon = trimmed.indexOf(':');
    const name = colon > 0 ? trimmed.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { headers, bad: trimmed };
    headers[name] = trimmed.slice(colon + 1).trim();
  }
  return { headers, bad: null };
}

export function formatHeaderLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
