// The second half of a large wide CSV file, read behind a copy of its header line while the ingest worker
// reads the first half (src/lib/ingest/halves.ts has the rules): two cores parse one file.
import { expose, transfer } from 'comlink';
import { Importer } from '../../lib/ingest/importer.ts';
import { halfChunkProblem, halfResult } from '../../lib/ingest/halves.ts';
import type { HalfApi } from './api.ts';

const api: HalfApi = {
  async importHalf(file, headerEnd, start, opts) {
    const im = new Importer({ ...opts, totalBytes: headerEnd + file.size - start });
    im.push(new Uint8Array(await file.slice(0, headerEnd).arrayBuffer()));
    const reader = file.slice(start).stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const why = halfChunkProblem(value);
      if (why) {
        void reader.cancel();
        return { ok: false, why };
      }
      im.push(value);
    }
    const r = halfResult(im.finishParts());
    if (!r.ok) return r;
    const buffers = new Set(r.parts.flatMap((p) => [p.timestamps.buffer, p.values.buffer]));
    return transfer(r, [...buffers] as ArrayBuffer[]);
  },
};

expose(api);
