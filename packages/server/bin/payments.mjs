#!/usr/bin/env node
// `payments`, the merchant's command line (packages/server/src/cli/). The package has no build yet, so this
// loads the TypeScript entry through tsx; the built package will point this bin at the compiled JS instead.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
