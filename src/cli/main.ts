#!/usr/bin/env node
import { processContext } from './context.js';
import { runCli } from './program.js';

// The only place in tracesim that ends the process.
const code = await runCli(processContext());
process.exit(code);
