import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { type Asset, sensorKinds } from '../domain/types.ts';
import { MAX_RATE_HZ, RATE_TOLERANCE } from '../domain/validate.ts';
import type { Metrics } from '../observability/metrics.ts';
import type {
  AssetCursor,
  AssetPatch,
  AssetRegistry,
  AssetSort,
  Lifecycle,
  PlaceKind,
} from '../storage/ports/asset-registry.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import { readLatestFeatures } from './latest-features.ts';
import { bearingRoutes, machineSchema, sensorModelProperties } from './machine-model.ts';
import { modelRef, type ServedModels } from './models.ts';
import { id, ifMatchHeader, ifMatchVersion, limit, secured } from './routes.ts';
import { defaultRulSettings, type RulSettings, readRemainingUsefulLife, rulResponseSchema } from './rul.ts';

const name = { type: 'string', minLength: 1, maxLength: 200 } as const;
const status = {
  type: 'string',
  enum: ['active', 'retired', 'all'],
  default: 'active',
  description: 'retired: only retired ones; all: both',
} as const;
const cursor = { type: 'string', maxLength: 400, description: 'the `next` of the previous page' } as const;
const params = { type: 'object', properties: { id } } as const;

const sensorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'unit', 'sampleRateHz', 'validMin', 'validMax'],
  properties: {
    id,
    kind: { type: 'string', enum: sensorKinds },
    unit: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description:
        'unit of its values. Vibration sensors with bearings or on a machine with an ISO class: m/s², m/s2 or g. ' +
        "A speed sensor a machine model reads: rpm, RPM, r/min, 1/min, min⁻¹, min-1, or Hz or r/s (the shaft's revolutions per second)",
    },
    sampleRateHz: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RATE_HZ },
    rateVaries: {
      type: 'boolean',
      default: false,
      description: `true: sample blocks may come at any rate up to ${MAX_RATE_HZ} Hz; false: within ±${RATE_TOLERANCE * 100} % of sampleRateHz`,
    },
    validMin: { type: 'number' },
    validMax: { type: 'number' },
    ...sensorModelProperties,
  },
} as const;

const idealCycleSeconds = {
  type: ['number', 'null'],
  exclusiveMinimum: 0,
  description: 'ISO 22400 planned run time per item in seconds, for OEE; null: the asset produces no items',
} as const;

const assetBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['siteId', 'lineId', 'name', 'kind', 'sensors'],
  properties: {
    siteId: id,
    lineId: id,
    name,
    kind: { type: 'string', minLength: 1, maxLength: 64 },
    idealCycleSeconds,
    machine: machineSchema,
    sensors: { type: 'array', maxItems: 1000, items: sensorSchema },
  },
} as const;

/** The listing's items are assets as registered (see PUT), plus their current vibration severity. */
const assetListSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          severity: {
            type: ['object', 'null'],
            description:
              'the worst ISO 20816-3 zone among the latest windows of its vibration sensors that have one; ' +
              'null when none has (no vibration sensor, no machine class, or no window yet)',
            required: ['zone', 'velocityRms', 'sensorId', 'windowStart'],
            properties: {
              zone: {
                type: 'string',
                enum: ['A', 'B', 'C', 'D'],
                description: 'A newly commissioned, B long-term operation, C restricted, D damage likely',
              },
              velocityRms: { type: 'number', description: 'r.m.s. velocity over 10–1000 Hz, mm/s' },
              sensorId: { type: 'string', description: 'the vibration sensor of that window' },
              windowStart: { type: 'number', description: 'start of that window, epoch ms' },
            },
          },
        },
      },
    },
    next: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
  },
} as const;

/** Cursors are opaque to clients: base64url of the keyset position. */
const encodeCursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');

function decodeCursor<T>(raw: string | undefined, valid: (value: unknown) => boolean): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    // U+0000 cannot reach the database: JSON.stringify writes it as \u0000.
    if (valid(value) && !JSON.stringify(value).includes('\\u0000')) return value as T;
  } catch {}
  throw new ValidationError('querystring.cursor', 'is not a cursor from this API');
}

const withEtag = <T extends { version?: number }>(reply: FastifyReply, body: T | null) =>
  reply.header('etag', `"${body?.version}"`).send(body);

export interface RegistryRoutesDeps {
  registry: AssetRegistry;
  /** The database's latest windows, when the online store holds none for an asset. */
  features: FeatureReader;
  online: OnlineStore;
  metrics?: Metrics;
  /** Called after an asset is registered, so that ingest in this process sees its sensors at once. */
  onAssetRegistered?: (asset: Asset) => void;
  /** Called after sensors are retired, so that ingest in this process refuses them at once. */
  onSensorsRetired?: (sensorIds: string[]) => void;
  /** Remaining-useful-life settings (ml.rulLookbackHours, scoring.alertBelow); the defaults when absent. */
  rul?: RulSettings;
  /** The champion model of each asset type; absent: every type is scored by the baseline. */
  models?: ServedModels;
}

/** Sites, lines, assets and sensors: create, read, update (If-Match), retire. Writes need an admin. */
export function registryRoutes(deps: RegistryRoutesDeps): FastifyPluginAsync {
  const { registry, features, online } = deps;
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    await app.register(bearingRoutes);

    for (const kind of ['site', 'line'] as PlaceKind[]) {
      const plural = `/v1/${kind}s`;
      const tags = [`${kind}s`];
      app.post<{ Body: { id: string; name: string; siteId?: string } }>(
        plural,
        {
          schema: {
            summary: `Create a ${kind}`,
            tags,
            ...secured,
            body: {
              type: 'object',
              additionalProperties: false,
              required: kind === 'line' ? ['id', 'name', 'siteId'] : ['id', 'name'],
              properties: { id, name, ...(kind === 'line' && { siteId: id }) },
            },
          },
        },
        async (request, reply) => {
          const place = await registry.createPlace(kind, request.body);
          reply.status(201).header('location', `${plural}/${place.id}`);
          return withEtag(reply, place);
        },
      );

      app.get<{ Querystring: { site?: string; status: Lifecycle; limit: number; cursor?: string } }>(
        plural,
        {
          schema: {
            summary: `${kind === 'site' ? 'Sites' : 'Lines'} by id, a page at a time`,
            tags,
            ...secured,
            querystring: {
              type: 'object',
              properties: { ...(kind === 'line' && { site: id }), status, limit: limit(1000, 100), cursor },
            },
          },
        },
        async (request) => {
          const { site, status, limit, cursor } = request.query;
          const after = decodeCursor<string>(cursor, (v) => typeof v === 'string');
          const page = await registry.listPlaces(kind, { siteId: site, status, limit, after });
          return { items: page.items, next: page.next === null ? null : encodeCursor(page.next) };
        },
      );

      app.get<{ Params: { id: string } }>(
        `${plural}/:id`,
        { schema: { summary: `One ${kind}; ETag is its version`, tags, ...secured, params } },
        async (request, reply) => {
          const place = await registry.getPlace(kind, request.params.id);
          if (!place) throw new NotFoundError(`${kind} ${request.params.id} not found`);
          return withEtag(reply, place);
        },
      );

      app.patch<{ Params: { id: string }; Body: { name: string }; Headers: { 'if-match'?: string } }>(
        `${plural}/:id`,
        {
          schema: {
            summary: `Rename a ${kind} (with If-Match, only from that version)`,
            tags,
            ...secured,
            params,
            headers: ifMatchHeader,
            body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name } },
          },
        },
        async (request, reply) => {
          const version = ifMatchVersion(request.headers['if-match']);
          return withEtag(
            reply,
            await registry.renamePlace(kind, request.params.id, request.body.name, version),
          );
        },
      );

      app.delete<{ Params: { id: string }; Headers: { 'if-match'?: string } }>(
        `${plural}/:id`,
        {
          schema: {
            summary: `Retire a ${kind} with nothing active left in it (409 otherwise); its history stays`,
            tags,
            ...secured,
            params,
            headers: ifMatchHeader,
          },
        },
        async (request, reply) =>
          withEtag(
            reply,
            await registry.retirePlace(kind, request.params.id, ifMatchVersion(request.headers['if-match'])),
          ),
      );
    }

    app.get<{
      Querystring: {
        site?: string;
        line?: string;
        kind?: string;
        status: Lifecycle;
        sort: AssetSort;
        limit: number;
        cursor?: string;
      };
    }>(
      '/v1/assets',
      {
        schema: {
          summary: 'Assets with their sensors and health, filtered and sorted, a page at a time',
          tags: ['assets'],
          ...secured,
          querystring: {
            type: 'object',
            properties: {
              site: id,
              line: id,
              kind: { type: 'string', maxLength: 64 },
              status,
              sort: {
                type: 'string',
                enum: ['id', 'name', 'health'],
                default: 'id',
                description:
                  'health: worst first, assets not yet scored last. id pages by id, which never changes. ' +
                  'name and health change while a client pages, so their pages follow the order taken ' +
                  `when the first page was served (kept for ${registry.assetSnapshotTtl}): every asset is listed once, ` +
                  'an asset that gets worse meanwhile is listed where it stood, and assets registered ' +
                  'since come after the ranked ones, by id. Items show current values. A cursor that has ' +
                  'expired gets 400: start again without one.',
              },
              limit: limit(1000, 100),
              cursor,
            },
          },
          response: { 200: assetListSchema },
        },
      },
      async (request) => {
        const { site, line, kind, status, sort, limit, cursor } = request.query;
        const position = decodeCursor<AssetCursor>(cursor, (v) => {
          const c = v as Record<string, unknown>;
          const after = c?.after === undefined || typeof c.after === 'string';
          if (sort === 'id') return typeof c?.after === 'string' && c.snapshot === undefined;
          return (
            typeof c?.snapshot === 'string' && Number.isInteger(c.offset) && Number(c.offset) >= 0 && after
          );
        });
        const page = await registry.listAssets({
          siteId: site,
          lineId: line,
          kind,
          status,
          sort,
          limit,
          cursor: position,
        });
        const severities = await features.latestSeverities(page.items.map((a) => a.id));
        const items = page.items.map((a) => ({ ...a, severity: severities.get(a.id) ?? null }));
        return { items, next: page.next && encodeCursor(page.next) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'One asset with its latest features per sensor and its remaining useful life; ETag is its version',
          tags: ['assets'],
          ...secured,
          params,
          response: {
            200: {
              type: 'object',
              additionalProperties: true,
              properties: { remainingUsefulLife: rulResponseSchema, healthModel: modelRef },
            },
          },
        },
      },
      async (request, reply) => {
        const asset = await registry.getAsset(request.params.id);
        if (!asset) throw new NotFoundError(`asset ${request.params.id} not found`);
        // From the online store, or the database when it holds nothing (a separate api target's memory
        // store) or cannot answer (Redis down or slow).
        const latest = await readLatestFeatures(
          {
            online,
            features,
            metrics: deps.metrics,
            onError: (err) => request.log.debug({ err }, 'online store read failed'),
          },
          asset.id,
        );
        const remainingUsefulLife = await readRemainingUsefulLife(
          features,
          asset,
          latest,
          deps.rul ?? defaultRulSettings(),
        );
        // The learned model that scores this asset's windows (null: the baseline scorer).
        const healthModel = deps.models?.models().get(asset.kind) ?? null;
        return withEtag(reply, { ...asset, latestFeatures: latest, remainingUsefulLife, healthModel });
      },
    );

    app.put<{ Params: { id: string }; Body: Omit<Asset, 'id'>; Headers: { 'if-match'?: string } }>(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'Register or replace an asset, its machine model and its sensors (its site and line are created on first use)',
          tags: ['assets'],
          ...secured,
          params,
          headers: ifMatchHeader,
          body: assetBodySchema,
        },
      },
      async (request, reply) => {
        const asset: Asset = { ...request.body, id: request.params.id };
        const firstIndex = new Map<string, number>();
        asset.sensors.forEach((s, i) => {
          // One document names each sensor once: a repeated id is a mistake, not a resend.
          const first = firstIndex.get(s.id);
          if (first !== undefined) {
            throw new ValidationError(`body.sensors.${i}.id`, `repeats body.sensors.${first}.id (${s.id})`);
          }
          firstIndex.set(s.id, i);
          if (s.validMin >= s.validMax) {
            throw new ValidationError(`body.sensors.${i}.validMax`, 'must be greater than validMin');
          }
        });
        const version = ifMatchVersion(request.headers['if-match']);
        await registry.registerAsset(
          { ...asset, sensors: asset.sensors.map((s) => ({ ...s, assetId: asset.id })) },
          version,
        );
        const stored = await registry.getAsset(asset.id);
        if (stored) deps.onAssetRegistered?.(stored);
        return withEtag(reply, stored ?? asset);
      },
    );

    app.patch<{ Params: { id: string }; Body: AssetPatch; Headers: { 'if-match'?: string } }>(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            "Change an asset's name, kind, line, ideal cycle time or machine model (with If-Match, only from that version)",
          tags: ['assets'],
          ...secured,
          params,
          headers: ifMatchHeader,
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              name,
              kind: { type: 'string', minLength: 1, maxLength: 64 },
              lineId: id,
              idealCycleSeconds,
              machine: machineSchema,
            },
          },
        },
      },
      async (request, reply) => {
        await registry.updateAsset(
          request.params.id,
          request.body,
          ifMatchVersion(request.headers['if-match']),
        );
        return withEtag(reply, await registry.getAsset(request.params.id));
      },
    );

    app.delete<{ Params: { id: string }; Headers: { 'if-match'?: string } }>(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'Retire an asset and its sensors: their readings are refused from now on, their history stays',
          tags: ['assets'],
          ...secured,
          params,
          headers: ifMatchHeader,
        },
      },
      async (request, reply) => {
        const assetId = request.params.id;
        await registry.retireAsset(assetId, ifMatchVersion(request.headers['if-match']));
        const stored = await registry.getAsset(assetId);
        deps.onSensorsRetired?.(stored?.sensors.map((s) => s.id) ?? []);
        return withEtag(reply, stored);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/v1/sensors/:id',
      {
        schema: {
          summary: 'One sensor, with its asset and whether it is retired',
          tags: ['assets'],
          ...secured,
          params,
        },
      },
      async (request) => {
        const sensor = await registry.getSensor(request.params.id);
        if (!sensor) throw new NotFoundError(`sensor ${request.params.id} not found`);
        return sensor;
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/v1/sensors/:id',
      {
        schema: {
          summary: 'Retire a sensor: its readings are refused from now on, its history stays',
          tags: ['assets'],
          ...secured,
          params,
        },
      },
      async (request, reply) => {
        await registry.retireSensor(request.params.id);
        deps.onSensorsRetired?.([request.params.id]);
        return reply.status(204).send();
      },
    );
  };
}
