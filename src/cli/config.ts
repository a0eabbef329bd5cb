import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

export interface ConfigFlags {
  config?: string;
  host?: string;
  port?: string;
  dataDir?: string;
  logLevel?: string;
}

/** Loads the configuration for a command; a bad setting ends the process with exit code 2. */
export function configFromFlags(flags: ConfigFlags, defaults: Record<string, unknown> = {}): Config {
  try {
    const explicit = {
      'http.host': flags.host,
      'http.port': flags.port,
      dataDir: flags.dataDir,
      'log.level': flags.logLevel,
    };
    const env = process.env;
    const userSetLogLevel = Boolean(flags.logLevel ?? env.MANTIS_LOG_LEVEL);
    const overrides = Object.fromEntries(
      Object.entries({ ...explicit, ...(userSetLogLevel ? {} : defaults) }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    return loadConfig({
      env,
      yamlFile: flags.config ?? env.MANTIS_CONFIG ?? 'mantis.yaml',
      dotenvFile: '.env',
      overrides,
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mantis: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
