// The real data the failure model meets is split by use, and the uses never share a machine or a file:
// training backgrounds (scripts/train/real.ts), the threshold calibration's validation backgrounds, and the
// held-out backgrounds whose false alarms and injected-failure recall are reported (scripts/eval-lnn-real.ts).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasShared, sharedDir } from '../helpers/env.ts';
import {
  heldOutBackgrounds,
  NAB_VALIDATION_FILES,
  nabTrainingFiles,
  SMD_DEV_MACHINES,
  SMD_HELD_OUT_MACHINES,
  SMD_TRAIN_MACHINES,
  trainingBackgrounds,
  validationBackgrounds,
} from '../../scripts/train/real.ts';
import { NAB_TEST_FILES, NAB_TUNING_FILES } from '../../scripts/nab-split.ts';

const overlap = (a: readonly string[], b: readonly string[]) => a.filter((x) => b.includes(x));

describe('real backgrounds by use', () => {
  it('no SMD machine or NAB file is in two of training, validation and held out', () => {
    expect(overlap(SMD_TRAIN_MACHINES, SMD_HELD_OUT_MACHINES)).toEqual([]);
    expect(overlap(SMD_TRAIN_MACHINES, SMD_DEV_MACHINES)).toEqual([]);
    expect(overlap(SMD_DEV_MACHINES, SMD_HELD_OUT_MACHINES)).toEqual([]);
    expect(overlap(NAB_TUNING_FILES, NAB_TEST_FILES)).toEqual([]);
  });

  describe.skipIf(!hasShared())('on the reference data', () => {
    const entities = (frames: { series: { labels: Record<string, string> }[] }[]) =>
      frames.map((f) => f.series[0].labels.instance);

    it('every SMD machine and NAB file in ../shared has exactly one use, and the loaded frames keep to it', () => {
      const manifest = JSON.parse(readFileSync(join(sharedDir, 'data', 'smd', 'manifest.json'), 'utf8'));
      const machines = Object.keys(manifest).filter((m) => m.startsWith('machine-'));
      const used = [...SMD_TRAIN_MACHINES, ...SMD_DEV_MACHINES, ...SMD_HELD_OUT_MACHINES];
      expect([...machines].sort()).toEqual([...used].sort());
      const nab = readdirSync(join(sharedDir, 'data', 'nab')).filter((f) => f.endsWith('.csv'));
      expect(overlap(nab, [...NAB_TUNING_FILES, ...NAB_TEST_FILES]).length).toBe(nab.length);

      const train = entities(trainingBackgrounds());
      const held = entities(heldOutBackgrounds());
      const validation = validationBackgrounds().map((b) => b.source);
      expect(overlap(train, held)).toEqual([]);
      for (const m of [...SMD_TRAIN_MACHINES, ...SMD_HELD_OUT_MACHINES])
        expect(validation.some((s) => s.includes(m))).toBe(false);
      for (const f of NAB_TEST_FILES) expect(validation.some((s) => s.includes(f))).toBe(false);
    });

    it('a --nab-split clean model is validated on the NAB tuning files it never trained on, labels left out', () => {
      const trained = nabTrainingFiles('clean');
      expect(overlap(trained, NAB_VALIDATION_FILES)).toEqual([]);
      expect([...trained, ...NAB_VALIDATION_FILES].sort()).toEqual([...NAB_TUNING_FILES].sort());
      const nab = validationBackgrounds(trained).filter((b) => b.source.startsWith('NAB '));
      expect(nab.map((b) => b.source.slice(4))).toEqual([...NAB_VALIDATION_FILES]);
      // NAB's labelled anomaly windows travel with the file (ec2_network_in_257a54 has one).
      expect(nab.find((b) => b.source.includes('257a54'))!.exclude!.length).toBeGreaterThan(0);
      expect(entities(trainingBackgrounds('clean')).filter((e) => NAB_VALIDATION_FILES.includes(`${e}.csv`))).toEqual(
        [],
      );
    });
  });
});
