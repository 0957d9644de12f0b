#!/usr/bin/env node
import { processContext } from './context.js';

// Signals are listened to before the commands load (a second or so), so a Ctrl-C that early still
// reaches the command; hence the dynamic import.
const ctx = processContext();
const { runCli } = await import('./program.js');
// The only place in tracesim that ends the process (and the signal relay in context.ts).
const code = await runCli(ctx);
process.exit(code);
