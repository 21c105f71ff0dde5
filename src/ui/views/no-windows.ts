// When an analysis finished without a single window, the views say why (the report's own reason) instead
// of drawing an empty timeline or waiting for a diagram that will never be computed.
import type { Report } from '../../lib/report/types.ts';

/** The reason a finished report has no windows, or null when it has some (or is not finished). */
export function noWindowsReason(report: Report | null, pending: string | null): string | null {
  if (!report || report.timeline.length > 0) return null;
  const reason = pending ?? report.analysis?.notes[0] ?? null;
  return reason ? `no windows: ${reason}` : 'no windows: the data is too short for one window';
}
