// The point-cloud CSV reader behind `aura ph` (the CLI itself is tested in test/integration/cli-ph.test.ts).
import { describe, expect, it } from 'vitest';
import { parsePointsCsv } from '../../src/lib/cloud/points-csv.ts';

describe('parsePointsCsv', () => {
  it('reads rows, skips a header and blank lines, and names bad lines', () => {
    expect(parsePointsCsv('a,b\n1,2\r\n\n 3 , -4.5e1 \n')).toEqual({
      points: Float64Array.from([1, 2, 3, -45]),
      n: 2,
      d: 2,
    });
    expect(parsePointsCsv('')).toEqual({ points: new Float64Array(0), n: 0, d: 0 });
    expect(() => parsePointsCsv('1,2\n3,x\n')).toThrow("line 2: field 2 'x' is not a number");
    expect(() => parsePointsCsv('1,2\n3,NaN\n')).toThrow("line 2: field 2 'NaN' is not a finite number");
    expect(() => parsePointsCsv('1,2\n3,\n')).toThrow('line 2: field 2 is empty');
    expect(() => parsePointsCsv('x,y,z\n1,2\n')).toThrow('line 2: expected 3 numbers, found 2');
    expect(() => parsePointsCsv('1,2\n0x10,2\n')).toThrow(/line 2/);
  });
});
