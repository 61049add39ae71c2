#!/usr/bin/env node
// `payments`, the merchant's command line (packages/server/src/cli/), from the package's built files: plain Node.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
