import type { CommandModule } from '../command.js';
import { collectorCommand } from './collector.js';
import { generateCommand } from './generate.js';
import { registerRun } from './run.js';
import { registerReplay } from './replay.js';
import { registerCompare } from './compare.js';
import { registerSweep } from './sweep.js';
import { reportCommand } from './report.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly CommandModule[] = [registerRun, registerReplay, registerCompare, registerSweep, generateCommand, collectorCommand, reportCommand, validateCommand];
