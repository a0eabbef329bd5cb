import type { Command } from 'commander';
import { backupCommand } from './backup.ts';
import { usageExit } from './common.ts';
import { dataQualityCommand } from './data-quality.ts';
import { exportCommands } from './export.ts';
import { importAssetsCommand } from './import-assets.ts';
import { kpiRollupCommand } from './kpi-rollup.ts';
import { restoreCommand } from './restore.ts';
import { retentionCommand } from './retention.ts';

/** `mantis etl <job>`: each data-engineering job, run once from the command line (docs/operations.md). */
export function etlCommands(program: Command, withConfig: (c: Command) => Command) {
  const etl = program
    .command('etl')
    .description('data-engineering jobs run once from the command line')
    .exitOverride(usageExit);
  importAssetsCommand(etl, withConfig);
  backupCommand(etl, withConfig);
  restoreCommand(etl, withConfig);
  exportCommands(etl, withConfig);
  kpiRollupCommand(etl, withConfig);
  dataQualityCommand(etl, withConfig);
  retentionCommand(etl, withConfig);
}
