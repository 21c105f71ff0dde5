// The settings the user edits, mirrored in the URL hash (see settings.ts for what may go there).
import { defaultSettings, parseHash, toHash, type Settings } from './settings.ts';

export class SettingsState {
  value = $state<Settings>({ ...defaultSettings });

  /** Reads the hash now and whenever the user edits it (back button, pasted link). */
  attachToLocation(): () => void {
    const read = () => {
      const next = parseHash(location.hash);
      if (toHash(next) !== toHash(this.value)) this.value = next;
    };
    read();
    addEventListener('hashchange', read);
    return () => removeEventListener('hashchange', read);
  }

  update(patch: Partial<Settings>): void {
    this.value = { ...this.value, ...patch };
    const hash = toHash(this.value);
    // replaceState: settings tweaks should not flood the back button.
    history.replaceState(null, '', hash || location.pathname + location.search);
  }
}

export const settings = new SettingsState();
