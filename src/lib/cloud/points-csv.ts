// A point cloud from CSV text: one point per line, comma-separated numbers, an optional header line.
// Every row must have as many numbers as the first; errors name the line so the operator can fix it.

export interface PointCloud {
  /** Row-major coordinates, n × d. */
  points: Float64Array;
  n: number;
  d: number;
}

export class PointsCsvError extends Error {
  override name = 'PointsCsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function isNumber(field: string): boolean {
  return NUMBER.test(field);
}

export function parsePointsCsv(text: string): PointCloud {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  let d = -1;
  let n = 0;
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    if (!seenContent) {
      seenContent = true;
      // a first line with a field that is not a number is a header; its width fixes the row width
      if (fields.some((f) => !isNumber(f) && !NON_FINITE.test(f) && f !== '')) {
        d = fields.length;
        continue;
      }
    }
    if (d < 0) d = fields.length;
    if (fields.length !== d) {
      throw new PointsCsvError(lineNo, `expected ${d} number${d === 1 ? '' : 's'}, found ${fields.length}`);
    }
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f];
      if (field === '') throw new PointsCsvError(lineNo, `field ${f + 1} is empty`);
      if (!isNumber(field)) {
        const what = NON_FINITE.test(field) ? 'is not a finite number' : 'is not a number';
        throw new PointsCsvError(lineNo, `field ${f + 1} '${field.slice(0, 40)}' ${what}`);
      }
      const value = Number(field);
      if (!Number.isFinite(value)) throw new PointsCsvError(lineNo, `field ${f + 1} '${field}' is out of range`);
      values.push(value);
    }
    n++;
  }
  return { points: Float64Array.from(values), n, d: Math.max(d, 0) };
}
