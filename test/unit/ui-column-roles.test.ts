// The app's column-roles step without a browser: the select's values round-trip through the mapping's text,
// the preview names the channels per host, a link's mapping keeps only this data's columns, and the URL hash
// carries the mapping (validated) next to the settings.
import { describe, expect, test } from 'vitest';
import {
  ROLE_CHOICES,
  appliedRoles,
  draftFromText,
  hostChannels,
  roleValue,
  textFromDraft,
} from '../../src/ui/state/column-roles.ts';
import { defaultSettings, parseHash, toHash } from '../../src/ui/state/settings.ts';
import { parseColumnRoles } from '../../src/lib/lnn/column-roles.ts';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';

const ts = Float64Array.from([0, 60e3, 120e3]);
const series = (name: string, instance?: string): Series => ({
  name,
  labels: instance ? { instance } : {},
  timestamps: ts,
  values: Float64Array.from([1, 2, 3]),
});
const frame = (...s: Series[]): MetricFrame => ({
  series: s,
  meta: { origin: 'machine.csv', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
});

describe('column-roles step', () => {
  test('every choice the select offers is a role the mapping reads back as the same choice', () => {
    for (const c of ROLE_CHOICES) {
      const roles = parseColumnRoles(`m5=${c.value}`);
      expect(roleValue(roles.m5)).toBe(c.value);
    }
    expect(ROLE_CHOICES.map((c) => c.value)).toEqual(expect.arrayContaining(['memory:used', 'memory', 'ignore']));
  });

  test('a draft becomes the text form in column order, and the text the same draft; automatic columns are left out', () => {
    const columns = ['m0', 'm5', 'm12'];
    const text = textFromDraft({ m12: 'disk', m0: '', m5: 'memory:used' }, columns);
    expect(text).toBe('m5=memory:used,m12=disk');
    expect(draftFromText(text, columns)).toEqual({ m5: 'memory:used', m12: 'disk' });
    expect(textFromDraft({}, columns)).toBe('');
    expect(draftFromText('not a mapping', columns)).toEqual({});
  });

  test("a link's mapping keeps only the columns this data has, and says which it lacks", () => {
    const f = frame(series('m0'), series('m5'));
    expect(appliedRoles('m5=memory:used,m9=disk', f)).toEqual({
      roles: { m5: { channel: 'memory', sense: 'used' } },
      missing: ['m9'],
    });
    expect(appliedRoles(undefined, f)).toEqual({ roles: undefined, missing: [] });
    expect(appliedRoles('m9=disk', f).roles).toBeUndefined();
  });

  test('the preview lists, per host, the channels read: names first, the mapping over them', () => {
    const f = frame(
      series('node_load1', 'a'),
      series('m5', 'a'),
      series('node_load1', 'b'),
      series('m5', 'b'),
      series('m7', 'c'),
    );
    expect(hostChannels(f, undefined)).toEqual([
      { host: 'a', channels: ['load'] },
      { host: 'b', channels: ['load'] },
      { host: 'c', channels: [] },
    ]);
    const roles = parseColumnRoles('m5=memory:used,node_load1=ignore');
    expect(hostChannels(f, roles)).toEqual([
      { host: 'a', channels: ['memory'] },
      { host: 'b', channels: ['memory'] },
      { host: 'c', channels: [] },
    ]);
  });
});

describe('the mapping in the URL hash', () => {
  test('is written escaped, reads back, and leaves the other settings as they are', () => {
    const s = { ...defaultSettings, window: 90, map: 'm5=memory:used,m12=disk' };
    const hash = toHash(s);
    expect(hash).toContain('map=m5%3Dmemory%3Aused%2Cm12%3Ddisk');
    expect(parseHash(hash)).toEqual(s);
    expect(toHash({ ...defaultSettings, map: 'm5=memory:used' })).toBe('#map=m5%3Dmemory%3Aused');
  });

  test('is written in its canonical form, and a hash with a bad mapping drops the mapping alone', () => {
    expect(parseHash('#map=m5%3DMEMORY%3Aused%2C').map).toBe('m5=memory:used');
    for (const bad of ['m5%3Dram', 'm5', '%3Dcpu', 'm5%3Dcpu%3Aused', 'm5%3Dcpu%2Cm5%3Ddisk']) {
      const s = parseHash(`#window=90&map=${bad}`);
      expect(s.map).toBeUndefined();
      expect(s.window).toBe(90);
    }
    expect(toHash({ ...defaultSettings, map: 'junk' })).toBe('');
  });
});
