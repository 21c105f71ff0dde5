// Colours are passed into every chart so an exported SVG is self-contained (no stylesheet needed) and the
// same function serves the dark and light themes. The view reads them from CSS custom properties.

export interface ChartTheme {
  background: string;
  text: string;
  muted: string;
  grid: string;
  axis: string;
  accent: string;
  anomaly: string;
  selection: string;
  /** One colour per homology dimension H0..H3 (Okabe–Ito: distinguishable with colour-blindness). */
  dims: string[];
  /** Line colours for multi-series charts. */
  lines: string[];
  font: string;
}

export const darkTheme: ChartTheme = {
  background: '#141a22',
  text: '#d8dee9',
  muted: '#8a94a6',
  grid: '#243040',
  axis: '#4a5668',
  accent: '#5fb3f9',
  anomaly: '#f0715f',
  selection: '#f5c451',
  dims: ['#56b4e9', '#e69f00', '#009e73', '#cc79a7'],
  lines: ['#56b4e9', '#e69f00', '#009e73', '#cc79a7', '#f0e442', '#d55e00'],
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

export const lightTheme: ChartTheme = {
  background: '#ffffff',
  text: '#1c2430',
  muted: '#5b6576',
  grid: '#e6eaf0',
  axis: '#9aa4b4',
  accent: '#1f6fd1',
  anomaly: '#d23f2b',
  selection: '#b07d00',
  dims: ['#0072b2', '#d55e00', '#009e73', '#cc79a7'],
  lines: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8c6d00', '#56b4e9'],
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};
