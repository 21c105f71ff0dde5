// Adapts the scenario generator's demo preset to messages.
import { expose, transfer } from 'comlink';
import { demoScenario } from '../../lib/synth/index.ts';
import { frameBuffers } from '../frame-transfer.ts';
import type { SynthApi } from './api.ts';

const api: SynthApi = {
  async demo() {
    const { frame, labels } = demoScenario();
    return transfer({ frame, labels }, frameBuffers(frame));
  },
};

expose(api);
