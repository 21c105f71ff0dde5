// Entry: theme and settings first (no flash of the wrong theme), then the app.
import { mount } from 'svelte';
import App from './App.svelte';
import './ui/app.css';
import { theme } from './ui/state/theme.svelte.ts';
import { settings } from './ui/state/settings.svelte.ts';

theme.load();
settings.attachToLocation();

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
export default mount(App, { target });
