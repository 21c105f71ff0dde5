// The report's export forms: the JSON is exactly what `aura analyze --json` prints for the same input and
// settings; the CSV is the CLI's `--csv`.
import type { Report } from '../../lib/report/types.ts';
export { timelineCsv } from '../../lib/report/csv.ts';

export function reportJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
