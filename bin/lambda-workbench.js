#!/usr/bin/env node
// Entry point of the lambda-workbench command: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli/index.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('lambda-workbench is not built yet: run `npm run build` in its folder.\n');
  process.exit(1);
}
await import(cli);
