// Column roles: parsing the `m5=memory,…` form, the automatic mapping as shown to the user, edited roles
// reaching the features, and the real model reading a file whose names say nothing once it is mapped.
import { beforeAll, describe, expect, it } from 'vitest';
import { importText } from '../../src/lib/ingest/index.ts';
import {
  channelsRead,
  checkColumnRoles,
  ColumnRolesError,
  describeColumnRoles,
  formatColumnRoles,
  parseColumnRoles,
  suggestColumnRoles,
} from '../../src/lib/lnn/column-roles.ts';
import { extractFeatures } from '../../src/lib/lnn/features.ts';
import { createNodePredictor, predictFrame, type Predictor } from '../../src/lib/lnn/index.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../src/lib/lnn/spec.ts';

/** A wide CSV like SMD's: anonymous columns, one row a minute for `hours`; m1 is a share used that ramps to full. */
function anonymousCsv(hours: number, leak = false): string {
  const rows = ['timestamp,m0,m1,m2'];
  const t0 = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < hours * 60; i++) {
    const f = i / (hours * 60);
    const cpu = 0.3 + 0.05 * Math.sin(i / 17);
    const used = leak ? 0.35 + 0.57 * f ** 1.5 : 0.4 + 0.02 * Math.sin(i / 40);
    rows.push(`${new Date(t0 + i * 60e3).toISOString()},${cpu.toFixed(4)},${used.toFixed(4)},${(i % 7) / 7}`);
  }
  return rows.join('\n') + '\n';
}

const col = (name: string) => FEATURE_NAMES.indexOf(name);

describe('parseColumnRoles', () => {
  it('reads channels, capacity senses and ignore, and formats back to the same text', () => {
    const roles = parseColumnRoles(' m5=memory:used, m12=disk ,m0=CPU,m3=ignore');
    expect(roles).toEqual({
      m5: { channel: 'memory', sense: 'used' },
      m12: { channel: 'disk' },
      m0: { channel: 'cpu' },
      m3: 'ignore',
    });
    expect(formatColumnRoles(roles)).toBe('m5=memory:used,m12=disk,m0=cpu,m3=ignore');
    expect(parseColumnRoles(formatColumnRoles(roles))).toEqual(roles);
    // A column name may itself hold '=' (a Grafana legend); the last '=' separates.
    expect(parseColumnRoles('a=b=latency')).toEqual({ 'a=b': { channel: 'latency' } });
  });

  it.each([
    ['', /empty column mapping/],
    ['m5', /"m5" is not COLUMN=CHANNEL/],
    ['m5=', /is not COLUMN=CHANNEL/],
    ['m5=ram', /unknown channel "ram" for column "m5": use one of cpu, load, memory/],
    ['m5=cpu:used', /:used applies to memory, swap, disk only; write m5=cpu/],
    ['m5=memory:half', /only :used or :free may follow/],
    ['m5=memory,m5=disk', /column "m5" is mapped twice/],
  ])('refuses %j with what to write instead', (text, message) => {
    expect(() => parseColumnRoles(text)).toThrow(ColumnRolesError);
    expect(() => parseColumnRoles(text)).toThrow(message);
  });
});

describe('describeColumnRoles', () => {
  it('shows the automatic mapping: node_exporter names, keywords, a generic column by its file name', () => {
    const text = 'timestamp,node_load1,mem_used_percent,m7\n2024-01-01T00:00:00Z,1,50,3\n2024-01-01T00:01:00Z,1,51,3\n';
    const frame = importText(text, { origin: 'host.csv' });
    expect(describeColumnRoles(frame)).toEqual([
      { column: 'node_load1', auto: 'load', channel: 'load', edited: false },
      { column: 'mem_used_percent', auto: 'memory', channel: 'memory', edited: false },
      { column: 'm7', auto: null, channel: null, edited: false },
    ]);
    const nab = importText('timestamp,value\n2024-01-01 00:00:00,3\n2024-01-01 00:05:00,4\n', {
      origin: 'ec2_cpu_utilization_24ae8d.csv',
    });
    expect(describeColumnRoles(nab)).toEqual([{ column: 'value', auto: 'cpu', channel: 'cpu', edited: false }]);
  });

  it('shows an edit next to what the names said, and ignore removes a column the names mapped', () => {
    const frame = importText(anonymousCsv(1), { origin: 'machine.csv' });
    const rows = describeColumnRoles(frame, parseColumnRoles('m1=memory:used,m2=ignore'));
    expect(rows).toEqual([
      { column: 'm0', auto: null, channel: null, edited: false },
      { column: 'm1', auto: null, channel: 'memory', sense: 'used', edited: true },
      { column: 'm2', auto: null, channel: null, edited: true },
    ]);
    expect(channelsRead(rows)).toEqual(['memory']);
    const named = importText('timestamp,cpu_busy\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,1\n');
    expect(channelsRead(describeColumnRoles(named, { cpu_busy: 'ignore' }))).toEqual([]);
  });

  it('refuses a mapping that names a column the data does not have, listing the ones it has', () => {
    const frame = importText(anonymousCsv(1), { origin: 'machine.csv' });
    expect(() => checkColumnRoles(frame, parseColumnRoles('m9=disk'))).toThrow(
      'no column named "m9" in this data; its columns are m0, m1, m2',
    );
    expect(() => checkColumnRoles(frame, parseColumnRoles('m1=disk'))).not.toThrow();
  });

  it('says what mapping would enable predictions when no column maps, and nothing once one does', () => {
    const frame = importText(anonymousCsv(1), { origin: 'machine.csv' });
    const hint = suggestColumnRoles(frame)!;
    expect(hint).toMatch(/none of the columns \(m0, m1, m2\) is named like a metric the model knows/);
    expect(hint).toContain('--map m0=cpu,m1=memory:used');
    expect(suggestColumnRoles(frame, { m0: { channel: 'cpu' } })).toBeNull();
  });
});

describe('roles reach the features', () => {
  it('a rising used-share column is read as a gauge, not as a counter', () => {
    const frame = importText(anonymousCsv(3, true), { origin: 'machine.csv' });
    const [h] = extractFeatures(frame, { roles: parseColumnRoles('m1=memory:used') });
    const k = h.times.length - 1;
    expect(h.features[k * FEATURE_COUNT + col('memory_level')]).toBeLessThan(0.2);
    expect(h.features[k * FEATURE_COUNT + col('memory_eta_short')]).toBeGreaterThan(0.1);
  });

  it('a used-share column mapped to memory becomes the memory level (the share left), read the other way as free', () => {
    const frame = importText(anonymousCsv(3), { origin: 'machine.csv' });
    expect(extractFeatures(frame)).toEqual([]); // nothing the names say
    const [used] = extractFeatures(frame, { roles: parseColumnRoles('m1=memory:used,m0=cpu') });
    const [free] = extractFeatures(frame, { roles: parseColumnRoles('m1=memory:free') });
    const k = used.times.length - 1;
    expect(used.features[k * FEATURE_COUNT + col('memory_present')]).toBe(1);
    expect(used.features[k * FEATURE_COUNT + col('cpu_present')]).toBe(1);
    expect(free.features[k * FEATURE_COUNT + col('cpu_present')]).toBe(0);
    expect(used.channels).toEqual({ memory: ['m1'], cpu: ['m0'] });
    // ~0.4 used: 0.6 left under :used; as free bytes it is a fraction of its own peak (~0.42), so ~0.95.
    expect(used.features[k * FEATURE_COUNT + col('memory_level')]).toBeCloseTo(0.6, 1);
    expect(free.features[k * FEATURE_COUNT + col('memory_level')]).toBeGreaterThan(0.9);
  });
});

describe('predictFrame with a mapping (the committed model)', () => {
  let predictor: Predictor;
  beforeAll(async () => {
    predictor = await createNodePredictor();
  });

  it('predicts nothing for anonymous columns, and sees a leak once the used-memory column is mapped', async () => {
    const leaking = importText(anonymousCsv(8, true), { origin: 'machine.csv' });
    const steady = importText(anonymousCsv(8, false), { origin: 'machine.csv' });
    expect(await predictFrame(predictor, leaking)).toEqual([]);
    const roles = parseColumnRoles('m0=cpu,m1=memory:used');
    const [leak] = await predictFrame(predictor, leaking, { roles });
    const [calm] = await predictFrame(predictor, steady, { roles });
    expect(leak.entity).toBe('all');
    expect(leak.scenario).toBe('memory_leak');
    expect(leak.risk['1h']).toBeGreaterThan(calm.risk['1h']);
    expect(leak.ttfMinutes).not.toBeNull();
    expect(calm.ttfMinutes).toBeNull();
  });
});
