import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Authenticator } from '../api/auth.ts';
import { allows, type Principal } from '../domain/access.ts';
import { TooManyRequestsError, UnauthorizedError } from '../domain/errors.ts';
import { REJECTED_PREFIX } from './mqtt-rejections.ts';

const SITE_OF_TOPIC = /^mantis\/([^/]+)\/[^/]+\/[^/]+$/;

/**
 * Whether a principal may publish to a topic: a device to mantis/{its site}/{asset}/{sensor}; an admin (MANTIS's
 * own client) there for any site, and its rejection notices to mantis-rejected/….
 */
export function mayPublish(principal: Principal | undefined, topic: string): boolean {
  if (!principal) return false;
  const site = SITE_OF_TOPIC.exec(topic)?.[1];
  if (principal.role === 'admin') return site !== undefined || topic.startsWith(`${REJECTED_PREFIX}/`);
  return principal.role === 'device' && site !== undefined && principal.siteId === site;
}

/**
 * Whether a principal may subscribe to a topic filter: an admin to any; a device only to its own site's
 * rejection notices, mantis-rejected/{its site}/… (wildcards allowed below the site level).
 */
export function maySubscribe(principal: Principal | undefined, filter: string): boolean {
  if (!principal) return false;
  if (allows(principal, 'admin')) return true;
  return (
    principal.role === 'device' &&
    principal.siteId !== null &&
    filter.startsWith(`${REJECTED_PREFIX}/${principal.siteId}/`)
  );
}

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3. */
export const connackCodes = { serverUnavailable: 3, badUserNameOrPassword: 4, notAuthorized: 5 } as const;

/** Marks an empty retained publication on its way through the broker (user properties are not sent in 3.1.1). */
const CLEARS_RETAINED = 'mantis-clears-retained';

/**
 * The CONNACK return code for a failed authentication: 4 for credentials that are not valid (rate-limited
 * ones too: they are no more valid for it), 3 when they could not be checked (the database is unreachable).
 */
export function connackCodeOf(err: unknown): 3 | 4 {
  return err instanceof UnauthorizedError || err instanceof TooManyRequestsError
    ? connackCodes.badUserNameOrPassword
    : connackCodes.serverUnavailable;
}

function refusal(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1 only), so that a gateway can publish with no broker to install.
 * Clients log in with an API key as password: device tokens may publish to their own site's topics and
 * subscribe to their own site's rejection notices only; admins (MANTIS's own client) may do both for every
 * site; other roles are refused at CONNECT (code 5). A publication a client may not make closes its
 * connection (MQTT-3.3.5-2: 3.1.1 has no negative PUBACK, and a positive one would claim MANTIS has it).
 */
export class MqttListener {
  private readonly principals = new WeakMap<Client, Principal>();
  private broker: Aedes | null = null;
  private server: Server | null = null;
  private readonly auth: Authenticator;

  constructor(auth: Authenticator) {
    this.auth = auth;
  }

  async listen(host: string, port: number): Promise<number> {
    const broker = await Aedes.createBroker({
      authenticate: (client, _username, password, done) => {
        const address = (client.conn as { remoteAddress?: string }).remoteAddress ?? 'mqtt';
        this.auth.authenticate(`Bearer ${password?.toString('utf8') ?? ''}`, address).then(
          (principal) => {
            if (principal.role !== 'device' && principal.role !== 'admin') {
              const message = `role ${principal.role} may not use MQTT; it needs device or admin`;
              done(refusal(message, connackCodes.notAuthorized), false);
              return;
            }
            this.principals.set(client, principal);
            done(null, true);
          },
          (err) => done(refusal((err as Error).message, connackCodeOf(err)), false),
        );
      },
      authorizePublish: (client, packet, done) => {
        const ok = mayPublish(client ? this.principals.get(client) : undefined, packet.topic);
        if (ok && packet.retain && packet.payload.length === 0) {
          packet.properties = {
            ...packet.properties,
            userProperties: { ...packet.properties?.userProperties, [CLEARS_RETAINED]: '1' },
          };
        }
        done(ok ? null : new Error(`not allowed to publish to ${packet.topic}`));
      },
      // MQTT 3.1.1 clears the retain flag on delivery; MANTIS's subscriber gets it back on a retained-message
      // clear (as MQTT 5's Retain As Published would), so that it ignores the clear instead of rejecting it.
      authorizeForward: (client, packet) => {
        if (
          packet.properties?.userProperties?.[CLEARS_RETAINED] &&
          this.principals.get(client)?.role === 'admin'
        ) {
          packet.retain = true;
        }
        return packet;
      },
      authorizeSubscribe: (client, subscription, done) => {
        const principal = this.principals.get(client);
        // Negated (SUBACK 0x80) rather than disconnected: the client learns it may not, and why is plain.
        done(null, maySubscribe(principal, subscription.topic) ? subscription : null);
      },
    });
    const server = createServer(broker.handle);
    server.listen(port, host);
    await once(server, 'listening');
    this.broker = broker;
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.broker ? this.broker.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
