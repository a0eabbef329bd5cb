import type { Command } from 'commander';
import { usageExit } from './common.ts';
import { importAssetsCommand } from './import-assets.ts';

/** `mantis etl <job>`: each data-engineering job, run once from the command line (docs/operations.md). */
export function etlCommands(program: Command, withConfig: (c: Command) => Command) {
  const etl = program
    .command('etl')
    .description('data-engineering jobs run once from the command line')
    .exitOverride(usageExit);
  importAssetsCommand(etl, withConfig);
}
