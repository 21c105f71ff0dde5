// Which zone times are shown in: UTC unless the user picks local time; remembered on this device. The
// views wrap themselves in {#key timePref.mode} so every chart and label is redrawn after a switch.
import { setTimeZoneMode, type TimeZoneMode } from './charts/time.ts';

const KEY = 'aura.time-zone';

class TimePref {
  mode = $state<TimeZoneMode>('utc');

  load(): void {
    try {
      if (localStorage.getItem(KEY) === 'local') this.set('local');
    } catch {
      // storage blocked: UTC stands
    }
  }

  set(m: TimeZoneMode): void {
    setTimeZoneMode(m);
    this.mode = m;
    try {
      localStorage.setItem(KEY, m);
    } catch {
      // not remembered; still applied
    }
  }
}

export const timePref = new TimePref();
