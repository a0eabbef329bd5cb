import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Authenticator } from '../api/auth.ts';
import { allows, type Principal } from '../domain/access.ts';

const SITE_OF_TOPIC = /^mantis\/([^/]+)\/[^/]+\/[^/]+$/;

/**
 * The embedded MQTT broker (aedes), so that a gateway can publish with no broker to install. Clients log in
 * with an API key as password: device tokens may publish to their own site's topics only; only admins (MANTIS's
 * own subscriber) may subscribe.
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
            this.principals.set(client, principal);
            done(null, true);
          },
          () => {
            const error = new Error('bad credentials') as AuthenticateError;
            error.returnCode = 4;
            done(error, false);
          },
        );
      },
      authorizePublish: (client, packet, done) => {
        const principal = client && this.principals.get(client);
        const site = SITE_OF_TOPIC.exec(packet.topic)?.[1];
        const ok =
          principal &&
          site !== undefined &&
          (principal.role === 'admin' || (principal.role === 'device' && principal.siteId === site));
        done(ok ? null : new Error(`not allowed to publish to ${packet.topic}`));
      },
      authorizeSubscribe: (client, subscription, done) => {
        const principal = this.principals.get(client);
        // Negated (SUBACK 0x80) rather than disconnected: the client learns it may not, and why is plain.
        done(null, principal && allows(principal, 'admin') ? subscription : null);
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
