// Dark by default, light when the system prefers it; the choice is remembered on this device (it is a
// preference, not part of an analysis).
import { darkTheme, lightTheme, type ChartTheme } from '../charts/theme.ts';

export type ThemeName = 'dark' | 'light';
const KEY = 'aura.theme';

export class ThemeState {
  name = $state<ThemeName>('dark');
  chart: ChartTheme = $derived(this.name === 'dark' ? darkTheme : lightTheme);

  load(): void {
    try {
      const saved = localStorage.getItem(KEY);
      if (saved === 'light' || saved === 'dark') this.name = saved;
      // First visit: follow the system's choice until the user picks one here.
      else if (matchMedia('(prefers-color-scheme: light)').matches) this.name = 'light';
    } catch {
      // storage can be blocked (private mode); the default stands
    }
    this.apply();
  }

  toggle(): void {
    this.name = this.name === 'dark' ? 'light' : 'dark';
    try {
      localStorage.setItem(KEY, this.name);
    } catch {
      // not persisted; still applied
    }
    this.apply();
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.name;
  }
}

export const theme = new ThemeState();
