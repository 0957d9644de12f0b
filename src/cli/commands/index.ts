import type { CommandModule } from '../command.js';
import { collectorCommand } from './collector.js';
import { generateCommand } from './generate.js';
import { reportCommand } from './report.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly CommandModule[] = [generateCommand, collectorCommand, reportCommand, validateCommand];
