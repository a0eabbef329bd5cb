import type { MantisApp } from '../app/app.ts';
import { databaseUrl, redactUrl } from '../config/load.ts';
import type { Config } from '../config/schema.ts';

/**
 * Where gateways publish readings over MQTT: the embedded listener's address (the HTTP server's host, the
 * listener's own port), or the broker MANTIS subscribes to (credentials redacted); null when neither runs.
 */
export function mqttAddress(app: MantisApp, config: Config): { url: string; embedded: boolean } | null {
  const port = app.services.mqttPort;
  if (port) return { url: `mqtt://${new URL(app.url).hostname}:${port}`, embedded: true };
  if (config.mqtt.url) return { url: redactUrl(config.mqtt.url), embedded: false };
  return null;
}

/** The lines `mantis start` prints once it listens: every address a user needs, and the token. */
export function startBanner(app: MantisApp, config: Config, version: string): string[] {
  const url = app.url;
  const mqtt = mqttAddress(app, config);
  // URLs may carry credentials (a Redis password, a database user's): never print them.
  const stores = [
    `bus ${redactUrl(config.bus.url)}`,
    `database ${redactUrl(databaseUrl(config))}`,
    `online store ${redactUrl(config.onlineStore.url)}`,
  ].join(', ');
  return [
    `MANTIS ${version} — target all (${stores})`,
    `  Console   ${url}/`,
    `  API       ${url}/v1/assets   ·   work orders ${url}/v1/work-orders`,
    `  OpenAPI   ${url}/openapi.json`,
    `  Health    ${url}/health/ready   ·   metrics ${url}/metrics`,
    ...(mqtt
      ? [
          mqtt.embedded
            ? `  MQTT      ${mqtt.url}   (embedded listener: topic mantis/{site}/{asset}/{sensor}, a device token as password)`
            : `  MQTT      subscribed to ${mqtt.url}`,
        ]
      : []),
    `  Token     ${app.token}${app.tokenGenerated ? '   (new; kept in ' : '   ('}${config.dataDir}/ingest-token)`,
    `  Try       curl -H "Authorization: Bearer ${app.token}" ${url}/v1/alerts`,
  ];
}
