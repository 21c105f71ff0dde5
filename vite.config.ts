import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// AURA_BASE sets the public base path for hosts that serve the app below the root (e.g. GitHub Pages).
export default defineConfig({
  base: process.env.AURA_BASE ?? './',
  plugins: [svelte()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
