// Live history in IndexedDB: the anomaly score of every window and every alert raised, kept for a limited
// time and count, browsable by time range. Also keeps the last analysis so the app reopens offline with it.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MetricFrame } from '../lib/frame/types.ts';
import type { Report } from '../lib/report/types.ts';
import type { Alert } from '../lib/live/alerts.ts';
import { unshared } from './shared-frame.ts';

export interface ScoreRecord {
  source: string;
  /** Window end, epoch ms. */
  t: number;
  score: number;
  anomalous: boolean;
  /** Highest failure risk over entities and horizons at that time, when predictions were available. */
  maxRisk: number | null;
}

export interface AlertRecord extends Alert {
  id?: number;
}

export interface LastAnalysis {
  savedAt: number;
  origin: string;
  report: Report;
  frame: MetricFrame;
}

export interface Retention {
  /** Records older than this (relative to the newest write) are deleted. */
  maxAgeMs: number;
  /** At most this many score records and this many alert records are kept; the oldest go first. */
  maxRecords: number;
}

export const defaultRetention: Retention = { maxAgeMs: 7 * 24 * 3600 * 1000, maxRecords: 100_000 };

interface LiveDB extends DBSchema {
  scores: { key: [string, number]; value: ScoreRecord; indexes: { t: number } };
  alerts: { key: number; value: AlertRecord; indexes: { t: number } };
  last: { key: string; value: LastAnalysis };
}

export const DB_NAME = 'aura-live';

export class LiveHistory {
  readonly #db: Promise<IDBPDatabase<LiveDB>>;
  readonly #retention: Retention;

  constructor(options: { name?: string; retention?: Retention } = {}) {
    this.#retention = options.retention ?? defaultRetention;
    this.#db = openDB<LiveDB>(options.name ?? DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore('scores', { keyPath: ['source', 't'] }).createIndex('t', 't');
        db.createObjectStore('alerts', { keyPath: 'id', autoIncrement: true }).createIndex('t', 't');
        db.createObjectStore('last');
      },
    });
  }

  /** Stores scores (a window seen again overwrites its record) and applies the retention limits. */
  async addScores(records: readonly ScoreRecord[]): Promise<void> {
    if (records.length === 0) return;
    const db = await this.#db;
    const tx = db.transaction('scores', 'readwrite');
    for (const r of records) void tx.store.put(r);
    await tx.done;
    await this.#prune('scores', Math.max(...records.map((r) => r.t)));
  }

  async addAlerts(alerts: readonly Alert[]): Promise<AlertRecord[]> {
    if (alerts.length === 0) return [];
    const db = await this.#db;
    const tx = db.transaction('alerts', 'readwrite');
    const ids = await Promise.all(alerts.map((a) => tx.store.add({ ...a })));
    await tx.done;
    await this.#prune('alerts', Math.max(...alerts.map((a) => a.t)));
    return alerts.map((a, i) => ({ ...a, id: ids[i] }));
  }

  /** Scores with from ≤ t ≤ to, oldest first; all sources unless one is named. */
  async scores(from: number, to: number, source?: string): Promise<ScoreRecord[]> {
    const db = await this.#db;
    const all = await db.getAllFromIndex('scores', 't', IDBKeyRange.bound(from, to));
    return source === undefined ? all : all.filter((r) => r.source === source);
  }

  /** Alerts with from ≤ t ≤ to, newest first. */
  async alerts(from: number, to: number): Promise<AlertRecord[]> {
    const db = await this.#db;
    return (await db.getAllFromIndex('alerts', 't', IDBKeyRange.bound(from, to))).reverse();
  }

  /** Earliest and latest time stored, for the history filter's defaults; null when empty. */
  async extent(): Promise<{ from: number; to: number } | null> {
    const db = await this.#db;
    let from = Infinity;
    let to = -Infinity;
    for (const store of ['scores', 'alerts'] as const) {
      const first = await db.transaction(store).store.index('t').openCursor(null, 'next');
      const last = await db.transaction(store).store.index('t').openCursor(null, 'prev');
      if (first) from = Math.min(from, first.value.t);
      if (last) to = Math.max(to, last.value.t);
    }
    return Number.isFinite(from) ? { from, to } : null;
  }

  async count(): Promise<{ scores: number; alerts: number }> {
    const db = await this.#db;
    return { scores: await db.count('scores'), alerts: await db.count('alerts') };
  }

  async clear(): Promise<void> {
    const db = await this.#db;
    await Promise.all([db.clear('scores'), db.clear('alerts')]);
  }

  /** Keeps the report and the frame it came from, so a reload (also offline) shows them again. */
  async saveLast(origin: string, report: Report, frame: MetricFrame): Promise<void> {
    const db = await this.#db;
    // IndexedDB refuses shared memory (an imported file's columns are shared between the page and workers).
    await db.put('last', { savedAt: Date.now(), origin, report, frame: unshared(frame) }, 'last');
  }

  async restoreLast(): Promise<LastAnalysis | null> {
    const db = await this.#db;
    return (await db.get('last', 'last')) ?? null;
  }

  async close(): Promise<void> {
    (await this.#db).close();
  }

  async #prune(store: 'scores' | 'alerts', newest: number): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(store, 'readwrite');
    const index = tx.store.index('t');
    let cursor = await index.openCursor(IDBKeyRange.upperBound(newest - this.#retention.maxAgeMs, true));
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    let excess = (await tx.store.count()) - this.#retention.maxRecords;
    cursor = excess > 0 ? await index.openCursor() : null;
    while (cursor && excess > 0) {
      await cursor.delete();
      excess--;
      cursor = await cursor.continue();
    }
    await tx.done;
  }
}
