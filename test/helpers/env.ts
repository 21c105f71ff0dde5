// Gates for tests that need something outside npm: Debian's chromium or prometheus, or ../shared.
// Locally a missing dependency prints a SKIPPED line; under CI=true it fails the suite instead.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const isCI = process.env.CI === 'true';

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Returns true when the requirement is present. Otherwise prints SKIPPED (or throws under CI). */
function require(what: string, present: boolean, hint: string): boolean {
  if (present) return true;
  const msg = `SKIPPED: ${what} is missing (${hint})`;
  if (isCI) throw new Error(`${msg}; it is mandatory when CI=true`);
  console.warn(msg);
  return false;
}

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = () => require('chromium', existsSync(chromiumPath), 'install Debian package `chromium`');
export const hasPrometheus = () =>
  require('prometheus', !!which('prometheus') && !!which('promtool'), 'install Debian package `prometheus`');
export const hasNginx = () =>
  require('nginx', !!which('nginx') || existsSync('/usr/sbin/nginx'), 'install Debian package `nginx`');
export const hasShared = () =>
  require('../shared', existsSync(sharedDir), 'the reference data folder beside the checkout');
