// A MetricFrame's column buffers, so a frame moves between threads instead of being copied.
import type { AlignedFrame, MetricFrame } from '../lib/frame/types.ts';

export function frameBuffers(frame: MetricFrame): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const s of frame.series) {
    out.add(s.timestamps.buffer as ArrayBuffer);
    out.add(s.values.buffer as ArrayBuffer);
  }
  return [...out];
}

export function alignedBuffers(frame: AlignedFrame): ArrayBuffer[] {
  return [...new Set([frame.timestamps, ...frame.columns].map((a) => a.buffer as ArrayBuffer))];
}
