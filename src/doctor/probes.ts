import { Socket } from 'node:net';
import { AwsClient } from 'aws4fetch';
import mqtt from 'mqtt';
import type { Probe } from '../lib/probe.ts';
import { redisProbe } from '../storage/redis/probe.ts';

/**
 * One probe per kind of dependency, each speaking the dependency's own protocol (not a bare TCP connect).
 * A probe resolves with a one-line detail when the dependency is ready and throws, saying why, when not.
 */
export type { Probe };
export { redisProbe };

/** An MQTT broker: a clean connection accepted (CONNACK) and closed. */
export function mqttProbe(
  url: string,
  username: string | undefined,
  password: string | undefined,
  timeoutMs: number,
): Probe {
  return () =>
    new Promise((resolve, reject) => {
      const client = mqtt.connect(url, {
        username,
        password,
        clientId: `mantis-doctor-${process.pid}`,
        connectTimeout: timeoutMs,
        reconnectPeriod: 0,
        clean: true,
      });
      client.once('connect', () => {
        resolve('CONNACK received');
        client.end(true);
      });
      // After a CONNACK these no longer matter: a settled promise ignores them.
      client.once('error', (err) => {
        reject(err);
        client.end(true);
      });
      client.once('close', () => reject(new Error('connection closed before CONNACK')));
    });
}

async function get(url: string, signal: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, signal, redirect: 'manual' });
  if (!response.ok && response.status !== 204) {
    throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}`);
  }
  return response;
}

/** InfluxDB 1.x and 2.x: GET /ping answers 204 with the version in a header. */
export function influxdbProbe(url: string): Probe {
  return async (signal) => {
    const response = await get(new URL('/ping', url).href, signal);
    return `InfluxDB ${response.headers.get('x-influxdb-version') ?? 'version unknown'}`;
  };
}

/** An S3 bucket (MinIO or any S3): a signed HEAD on the bucket. */
export function s3Probe(url: string, accessKeyId = '', secretAccessKey = ''): Probe {
  return async (signal) => {
    const parsed = new URL(url);
    const bucket = parsed.hostname;
    const endpoint = parsed.searchParams.get('endpoint') ?? 'https://s3.amazonaws.com';
    const region = parsed.searchParams.get('region') ?? 'us-east-1';
    const aws = new AwsClient({ accessKeyId, secretAccessKey, service: 's3', region });
    const response = await aws.fetch(`${endpoint.replace(/\/$/, '')}/${bucket}`, { method: 'HEAD', signal });
    if (response.status === 404) throw new Error(`bucket ${bucket} does not exist`);
    if (response.status === 403) throw new Error(`access to bucket ${bucket} denied (check the keys)`);
    if (!response.ok) throw new Error(`HEAD /${bucket} answered ${response.status}`);
    return `bucket ${bucket} reachable`;
  };
}

/** A service whose readiness endpoint answers 2xx (Prometheus and Alertmanager /-/ready, MLflow /health). */
export function readyProbe(url: string, path: string): Probe {
  return async (signal) => {
    const response = await get(new URL(path, url).href, signal);
    return `${path} ${response.status} ${(await response.text()).trim().slice(0, 60)}`.trim();
  };
}

/** Grafana: /api/health reports its database and version. */
export function grafanaProbe(url: string): Probe {
  return async (signal) => {
    const body = (await (await get(new URL('/api/health', url).href, signal)).json()) as {
      database?: string;
      version?: string;
    };
    if (body.database !== 'ok') throw new Error(`Grafana database ${body.database ?? 'unknown'}`);
    return `Grafana ${body.version ?? ''}, database ok`.replace('  ', ' ');
  };
}

/** Jaeger: the query API lists the services that sent traces. */
export function jaegerProbe(url: string): Probe {
  return async (signal) => {
    const body = (await (await get(new URL('/api/services', url).href, signal)).json()) as {
      data?: string[] | null;
    };
    const services = body.data ?? [];
    return `query API up, ${services.length} service(s) traced`;
  };
}

/**
 * ZooKeeper: the `srvr` four-letter command on each server (allowed by default, unlike `ruok`). Written
 * by hand: a request and a text answer over TCP, too small for a client library.
 */
export function zookeeperProbe(servers: string, timeoutMs: number): Probe {
  const ask = (host: string, port: number) =>
    new Promise<string>((resolve, reject) => {
      const socket = new Socket();
      let answer = '';
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer from ${host}:${port}`)));
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const mode = /Mode: (\w+)/.exec(answer)?.[1];
        if (mode) resolve(`${host}:${port} ${mode}`);
        else reject(new Error(`${host}:${port} answered "${answer.trim().slice(0, 80)}" to srvr`));
      });
      socket.connect(port, host, () => socket.end('srvr'));
    });
  return async () => {
    const answers = await Promise.all(
      servers.split(',').map((server) => {
        const [host, port] = server.split(':');
        return ask(host, Number(port));
      }),
    );
    return answers.join(', ');
  };
}
