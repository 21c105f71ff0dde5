// Series identities written as Prometheus selectors: `name{label="value",…}` and `{__name__="name",…}`.

export interface SeriesId {
  name: string;
  labels: Record<string, string>;
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/**
 * Reads a selector starting at `from`; returns the id and the index just after it, or null when the text
 * is not a well-formed selector. Label values use Prometheus escapes (`\\`, `\"`, `\n`).
 */
export function readSelector(text: string, from = 0): { id: SeriesId; end: number } | null {
  let i = from;
  const n = text.length;
  let name = '';
  if (i < n && NAME_START.test(text[i])) {
    const start = i;
    while (i < n && NAME_CHAR.test(text[i])) i++;
    name = text.slice(start, i);
  }
  const labels: Record<string, string> = {};
  if (i < n && text[i] === '{') {
    i++;
    for (;;) {
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i >= n) return null;
      if (text[i] === '}') {
        i++;
        break;
      }
      const start = i;
      if (!NAME_START.test(text[i]) || text[i] === ':') return null;
      while (i < n && LABEL_CHAR.test(text[i])) i++;
      const label = text.slice(start, i);
      while (i < n && text[i] === ' ') i++;
      if (text[i] !== '=') return null;
      i++;
      while (i < n && text[i] === ' ') i++;
      if (text[i] !== '"') return null;
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const ch = text[i];
        if (ch === '\\' && i + 1 < n) {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next;
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) return null;
      if (label === '__name__') {
        if (name !== '' && name !== value) return null;
        name = value;
      } else {
        if (Object.prototype.hasOwnProperty.call(labels, label)) return null;
        setLabel(labels, label, value);
      }
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] === ',') i++;
      else if (text[i] !== '}') return null;
    }
  } else if (name === '') {
    return null;
  }
  return { id: { name, labels }, end: i };
}

/**
 * Sets a label as an own property, so that a label named `__proto__` is kept like any other
 * (plain assignment would change the object's prototype instead).
 */
export function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
}

/** Parses a whole string as a selector; null when it is not exactly one. */
export function parseSelector(text: string): SeriesId | null {
  const t = text.trim();
  const r = readSelector(t);
  return r && r.end === t.length ? r.id : null;
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Writes `name{a="1",b="2"}` with labels in sorted order (Prometheus' own escaping). */
export function formatSelector(id: SeriesId, nameAsLabel = false): string {
  const keys = Object.keys(id.labels).sort();
  const parts = keys.map((k) => `${k}="${escapeLabelValue(id.labels[k])}"`);
  if (nameAsLabel) return `{${[`__name__="${escapeLabelValue(id.name)}"`, ...parts].join(', ')}}`;
  return parts.length === 0 ? id.name : `${id.name}{${parts.join(',')}}`;
}

/** `name{labels}` as a map key (the same key seriesKey gives). */
function idKey(id: SeriesId): string {
  return formatSelector(id);
}

/**
 * Two different sources (columns of one header, results of different queries) can carry the same name and
 * labels. Each keeps its own series: the second and later become `name #2`, `name #3`, … (labels kept),
 * skipping any name another source already has. Ids are returned in order; unique ones unchanged.
 */
export function distinctIds<T extends SeriesId>(ids: T[], taken: Set<string> = new Set()): T[] {
  const original = new Set(ids.map(idKey));
  return ids.map((id) => {
    const key = idKey(id);
    if (!taken.has(key)) {
      taken.add(key);
      return id;
    }
    for (let k = 2; ; k++) {
      const renamed = { ...id, name: id.name ? `${id.name} #${k}` : `#${k}` };
      const rk = idKey(renamed);
      if (!taken.has(rk) && !original.has(rk)) {
        taken.add(rk);
        return renamed;
      }
    }
  });
}

/** Header cells made distinct the same way: `host`, `host #2`, … */
export function distinctNames(names: string[]): string[] {
  return distinctIds(names.map((name) => ({ name, labels: {} }))).map((id) => id.name);
}

/**
 * Series names per source (an InfluxDB measurement + field): a name another source already produced
 * becomes `name #2`, … so that different fields never merge into one series.
 */
export class SourceNames {
  private readonly owner = new Map<string, string>();
  private readonly bySource = new Map<string, string>();
  name(source: string, wanted: string): string {
    const had = this.bySource.get(source);
    if (had !== undefined) return had;
    let name = wanted;
    for (let k = 2; this.owner.has(name); k++) name = `${wanted} #${k}`;
    this.owner.set(name, source);
    this.bySource.set(source, name);
    return name;
  }
}
