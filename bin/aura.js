#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript in src/cli, run through tsx so no separate build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
