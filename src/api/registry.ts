import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Staleness } from '../domain/sensor-staleness.ts';
import type { Asset, Sensor } from '../domain/types.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AssetRegistry, PlaceKind } from '../storage/ports/asset-registry.ts';
import type { FeatureReader } from '../storage/ports/feature-reader.ts';
import type { OnlineStore } from '../storage/ports/online-store.ts';
import type { SensorActivityRepository } from '../storage/ports/sensor-activity.ts';
import { errorResponses } from './contract.ts';
import { readLatestFeatures } from './latest-features.ts';
import { bearingRoutes } from './machine-model.ts';
import type { ServedModels } from './models.ts';
import {
  assetBody,
  assetCursor,
  assetDetailSchema,
  assetListSchema,
  assetPatchBody,
  assetSchema,
  decodeAssetCursor,
  encodeAssetCursor,
  lineBody,
  lineSchema,
  name,
  placeCursor,
  RETIRED_READ,
  readable,
  retiredQuery,
  sensorSchema,
  siteBody,
  siteSchema,
  status,
} from './registry-schemas.ts';
import { ifMatchHeader, ifMatchVersion, secured } from './routes.ts';
import { defaultRulSettings, type RulSettings, readRemainingUsefulLife } from './rul.ts';
import { id, idParams, limit } from './schemas.ts';
import { withStaleness } from './sensor-staleness.ts';

const withEtag = <T extends { version?: number }>(reply: FastifyReply, body: T) =>
  reply.header('etag', `"${body.version}"`).send(body);

/** Response headers of an answer that carries a resource's version. */
const etag = { etag: { type: 'string', description: 'the version answered (`"3"`), for If-Match' } } as const;

/** A domain type as the registry reads it back: every optional field set, null when empty (toAsset, toSensor). */
type Stored<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };
type StoredAsset = Omit<Stored<Asset>, 'sensors'> & { sensors: Stored<Sensor>[] };

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
  /** When sensors were registered and last sent a reading, for their staleness. */
  sensorActivity: Pick<SensorActivityRepository, 'activity'>;
  /** pipeline.sensorStaleSeconds; absent: its default. */
  sensorStaleSeconds?: number;
}

/** Sites, lines, assets and sensors: create, read, update (If-Match), retire. Writes need an admin. */
export function registryRoutes(deps: RegistryRoutesDeps): FastifyPluginAsync {
  const { registry, features, online } = deps;
  return async (plain) => {
    const app = plain.withTypeProvider<JsonSchemaToTsProvider>();
    app.addHook('onRequest', app.authenticate);
    await app.register(bearingRoutes);

    for (const kind of ['site', 'line'] as PlaceKind[]) {
      const plural = `/v1/${kind}s`;
      const tags = [`${kind}s`];
      const place = kind === 'site' ? siteSchema : lineSchema;
      const answer = { ...place, description: `The ${kind} as stored now`, headers: etag };

      app.post(
        plural,
        {
          schema: {
            summary: `Create a ${kind}`,
            description:
              kind === 'line'
                ? '404 naming body.siteId when the site does not exist; 409 when it is retired or the id is taken.'
                : '409 when the id is taken (by an active or a retired site).',
            tags,
            ...secured,
            body: kind === 'site' ? siteBody : lineBody,
            response: {
              201: {
                ...place,
                description: `The ${kind} created`,
                headers: {
                  location: { type: 'string', description: `its URL, ${plural}/{id}` },
                  ...etag,
                },
              },
              ...errorResponses(...(kind === 'line' ? [404, 409] : [409])),
            },
          },
        },
        async (request, reply) => {
          const created = await registry.createPlace(kind, request.body);
          reply.status(201).header('location', `${plural}/${created.id}`);
          return withEtag(reply, created);
        },
      );

      app.get(
        plural,
        {
          schema: {
            summary: `${kind === 'site' ? 'Sites' : 'Lines'} by id, a page at a time`,
            description: 'Pass a page’s `next` back as `cursor` for the next page.',
            tags,
            ...secured,
            querystring: {
              type: 'object',
              additionalProperties: false,
              properties: {
                ...(kind === 'line' && { site: { ...id, description: 'only the lines of this site' } }),
                status,
                limit: limit(1000, 100),
                cursor: placeCursor,
              },
            },
            response: {
              200: {
                type: 'object',
                additionalProperties: false,
                required: ['items', 'next'],
                properties: {
                  items: { type: 'array', items: place, description: 'by id' },
                  next: {
                    type: ['string', 'null'],
                    description: 'cursor of the next page (the last id listed); null on the last',
                  },
                },
              },
            },
          },
        },
        async (request) => {
          const { status, limit, cursor } = request.query;
          const site = 'site' in request.query ? (request.query.site as string | undefined) : undefined;
          return registry.listPlaces(kind, { siteId: site, status, limit, after: cursor });
        },
      );

      app.get(
        `${plural}/:id`,
        {
          schema: {
            summary: `One ${kind}; ETag is its version`,
            description: RETIRED_READ,
            tags,
            ...secured,
            params: idParams,
            querystring: retiredQuery,
            response: { 200: answer, ...errorResponses(404) },
          },
        },
        async (request, reply) => {
          const found = await registry.getPlace(kind, request.params.id);
          return withEtag(reply, readable(`${kind} ${request.params.id}`, found, request.query.retired));
        },
      );

      app.patch(
        `${plural}/:id`,
        {
          schema: {
            summary: `Rename a ${kind} (with If-Match, only from that version)`,
            description: '412 when If-Match names another version than the stored one.',
            tags,
            ...secured,
            params: idParams,
            headers: ifMatchHeader,
            body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name } },
            response: { 200: answer, ...errorResponses(404, 412) },
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

      app.delete(
        `${plural}/:id`,
        {
          schema: {
            summary: `Retire a ${kind} with nothing active left in it (409 otherwise); its history stays`,
            description:
              `409 when it is retired already or still has active ${kind === 'site' ? 'lines or assets' : 'assets'}; ` +
              `412 when If-Match names another version. Reads of it then answer 404 unless asked with retired=true.`,
            tags,
            ...secured,
            params: idParams,
            headers: ifMatchHeader,
            response: {
              200: { ...answer, description: `The ${kind}, retired` },
              ...errorResponses(404, 409, 412),
            },
          },
        },
        async (request, reply) =>
          withEtag(
            reply,
            await registry.retirePlace(kind, request.params.id, ifMatchVersion(request.headers['if-match'])),
          ),
      );
    }

    app.get(
      '/v1/assets',
      {
        schema: {
          summary: 'Assets with their sensors and health, filtered and sorted, a page at a time',
          description:
            'Pass a page’s `next` back as `cursor`, with the same filters and sort. Refused: a cursor of the ' +
            'form of another sort (422: sort=id takes an id, sort=name or health `<listing>~<offset>[~<lastId>]`); ' +
            'a listing cursor given with other filters or sort than its first page (422); a listing that does not ' +
            `exist or has expired (404, kept for ${registry.assetSnapshotTtl}): start again without a cursor.`,
          tags: ['assets'],
          ...secured,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              site: { ...id, description: 'only assets of this site' },
              line: { ...id, description: 'only assets of this line' },
              kind: { type: 'string', minLength: 1, maxLength: 64, description: 'only assets of this type' },
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
                  'since come after the ranked ones, by id. Items show current values.',
              },
              limit: limit(1000, 100),
              cursor: assetCursor,
            },
          },
          response: { 200: assetListSchema, ...errorResponses(404, 422) },
        },
      },
      async (request) => {
        const { site, line, kind, status, sort, limit, cursor } = request.query;
        const page = await registry.listAssets({
          siteId: site,
          lineId: line,
          kind,
          status,
          sort,
          limit,
          cursor: decodeAssetCursor(cursor, sort),
        });
        const listed = page.items as StoredAsset[];
        const severities = await features.latestSeverities(listed.map((a) => a.id));
        const assets = await withStaleness(deps.sensorActivity, listed, deps.sensorStaleSeconds);
        const items = assets.map((a) => ({
          ...a,
          sensors: a.sensors as (Stored<Sensor> & Staleness)[],
          severity: severities.get(a.id) ?? null,
        }));
        return { items, next: page.next && encodeAssetCursor(page.next) };
      },
    );

    app.get(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'One asset with its latest features per sensor and its remaining useful life; ETag is its version',
          description: RETIRED_READ,
          tags: ['assets'],
          ...secured,
          params: idParams,
          querystring: retiredQuery,
          response: {
            200: { ...assetDetailSchema, headers: etag, examples: [assetExample] },
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const asset = readable(
          `asset ${request.params.id}`,
          await registry.getAsset(request.params.id),
          request.query.retired,
        );
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
        const rul = deps.rul ?? defaultRulSettings();
        const remainingUsefulLife = await readRemainingUsefulLife(features, asset, latest, rul);
        // The learned model that scores this asset's windows (null: the baseline scorer).
        const healthModel = deps.models?.models().get(asset.kind) ?? null;
        const [staleness] = await withStaleness(deps.sensorActivity, [asset], deps.sensorStaleSeconds);
        return withEtag(reply, {
          ...staleness,
          latestFeatures: latest,
          remainingUsefulLife,
          healthModel,
          alertBelow: rul.alertBelow,
        });
      },
    );

    app.put(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'Register or replace an asset, its machine model and its sensors (its site and line are created on first use)',
          description:
            'Listed sensors are added, replaced, or registered again if retired; others stay as they are. ' +
            'Refused with 422 naming the field: a sensor id listed twice; validMin not below validMax; a line ' +
            'of another site (409 when it is retired); a machine model or bearings that do not fit the sensors (see the ' +
            'machine schema: a bearing designation outside GET /v1/bearings without geometry, ' +
            'ballDiameterMm not below pitchDiameterMm, estimated speed minHz not below maxHz, severity ' +
            'boundaries not increasing, bearings or axis on a sensor that is not a vibration sensor in m/s² ' +
            'or g, a speed sensor of another kind or unit). 404 naming body.machine.speed.sensorId when the ' +
            'speed sensor is not an active sensor of this asset; 409 when the asset is retired or a sensor ' +
            'id belongs to another asset; 412 when If-Match names another version (or the asset does not ' +
            'exist yet).',
          tags: ['assets'],
          ...secured,
          params: idParams,
          headers: ifMatchHeader,
          body: assetBody,
          response: {
            200: { ...assetSchema, description: 'The asset as stored now', headers: etag },
            ...errorResponses(404, 409, 412, 422),
          },
        },
      },
      async (request, reply) => {
        const asset = { ...request.body, id: request.params.id } as Asset;
        const firstIndex = new Map<string, number>();
        asset.sensors.forEach((s, i) => {
          // One document names each sensor once: a repeated id is a mistake, not a resend.
          const first = firstIndex.get(s.id);
          if (first !== undefined) {
            throw new RuleViolationError(
              `body.sensors.${i}.id`,
              `repeats body.sensors.${first}.id (${s.id})`,
            );
          }
          firstIndex.set(s.id, i);
          if (s.validMin >= s.validMax) {
            throw new RuleViolationError(`body.sensors.${i}.validMax`, 'must be greater than validMin');
          }
        });
        const version = ifMatchVersion(request.headers['if-match']);
        await registry.registerAsset(
          { ...asset, sensors: asset.sensors.map((s) => ({ ...s, assetId: asset.id })) },
          version,
        );
        const stored = await registry.getAsset(asset.id);
        if (!stored) throw new Error(`asset ${asset.id} registered but not found`);
        deps.onAssetRegistered?.(stored);
        return withEtag(reply, stored);
      },
    );

    app.patch(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            "Change an asset's name, kind, line, ideal cycle time or machine model (with If-Match, only from that version)",
          description:
            '404 when the asset does not exist, naming body.lineId when the line does not exist, or ' +
            'body.machine.speed.sensorId when the speed sensor is not an active sensor of the asset; 422 ' +
            'naming body.lineId when the line is of another site (409 when it is retired), and a machine model that does not ' +
            'fit its active sensors as for PUT; 409 when the asset is retired; 412 when If-Match names another ' +
            'version.',
          tags: ['assets'],
          ...secured,
          params: idParams,
          headers: ifMatchHeader,
          body: assetPatchBody,
          response: {
            200: { ...assetSchema, description: 'The asset as stored now', headers: etag },
            ...errorResponses(404, 409, 412, 422),
          },
        },
      },
      async (request, reply) => {
        const { id: assetId } = request.params;
        await registry.updateAsset(
          assetId,
          request.body as Parameters<AssetRegistry['updateAsset']>[1],
          ifMatchVersion(request.headers['if-match']),
        );
        const stored = await registry.getAsset(assetId);
        if (!stored) throw new NotFoundError(`asset ${assetId} not found`);
        return withEtag(reply, stored);
      },
    );

    app.delete(
      '/v1/assets/:id',
      {
        schema: {
          summary:
            'Retire an asset and its sensors: their readings are refused from now on, their history stays',
          description:
            '409 when it is retired already; 412 when If-Match names another version. Reads of it and of its ' +
            'sensors then answer 404 unless asked with retired=true.',
          tags: ['assets'],
          ...secured,
          params: idParams,
          headers: ifMatchHeader,
          response: {
            200: { ...assetSchema, description: 'The asset, retired', headers: etag },
            ...errorResponses(404, 409, 412),
          },
        },
      },
      async (request, reply) => {
        const assetId = request.params.id;
        await registry.retireAsset(assetId, ifMatchVersion(request.headers['if-match']));
        const stored = await registry.getAsset(assetId);
        if (!stored) throw new NotFoundError(`asset ${assetId} not found`);
        deps.onSensorsRetired?.(stored.sensors.map((s) => s.id));
        return withEtag(reply, stored);
      },
    );

    app.get(
      '/v1/sensors/:id',
      {
        schema: {
          summary: 'One sensor, with its asset and whether it is retired',
          description: `${RETIRED_READ} A sensor of a retired asset is retired with it.`,
          tags: ['assets'],
          ...secured,
          params: idParams,
          querystring: retiredQuery,
          response: { 200: sensorSchema, ...errorResponses(404) },
        },
      },
      async (request) =>
        readable(
          `sensor ${request.params.id}`,
          (await registry.getSensor(request.params.id)) as Stored<Sensor> | null,
          request.query.retired,
        ),
    );

    app.delete(
      '/v1/sensors/:id',
      {
        schema: {
          summary: 'Retire a sensor: its readings are refused from now on, its history stays',
          description:
            '409 when it is retired already, or while its asset’s machine model reads the running speed from ' +
            'it (change the speed setting first). Reads of it then answer 404 unless asked with retired=true.',
          tags: ['assets'],
          ...secured,
          params: idParams,
          response: {
            204: { type: 'null', description: 'Retired' },
            ...errorResponses(404, 409),
          },
        },
      },
      async (request, reply) => {
        await registry.retireSensor(request.params.id);
        deps.onSensorsRetired?.([request.params.id]);
        return reply.status(204).send(null);
      },
    );
  };
}

/** An asset as GET /v1/assets/{id} answers it, for the document. */
const assetExample = {
  id: 'pump-1',
  siteId: 'plant-a',
  lineId: 'line-1',
  name: 'Feed pump 1',
  kind: 'pump',
  health: 100,
  healthUpdatedAt: '2026-11-27T12:00:10.000Z',
  idealCycleSeconds: null,
  retiredAt: null,
  machine: { speed: { source: 'fixed', rpm: 1797 } },
  version: 3,
  lastReadingAt: '2026-11-27T12:00:09.000Z',
  stale: false,
  sensors: [
    {
      id: 'pump-1.temp',
      assetId: 'pump-1',
      kind: 'temperature',
      unit: 'degC',
      sampleRateHz: 1,
      rateVaries: false,
      validMin: -40,
      validMax: 150,
      retiredAt: null,
      bearings: null,
      axis: null,
      lastReadingAt: '2026-11-27T12:00:09.000Z',
      stale: false,
    },
  ],
  latestFeatures: {
    'pump-1.temp': {
      assetId: 'pump-1',
      sensorId: 'pump-1.temp',
      windowStart: 1795780800000,
      windowEnd: 1795780810000,
      count: 10,
      mean: 52.4,
      min: 52.1,
      max: 52.8,
      std: 0.2,
      rms: 52.4,
      peakToPeak: 0.7,
      crestFactor: 1.008,
      skewness: 0.1,
      kurtosis: 2.9,
      dominantHz: null,
      bandEnergies: null,
      anomalyScore: 0.2,
      health: 100,
    },
  },
  remainingUsefulLife: {
    status: 'not-degrading',
    reason: 'health is at 100: no deviation from the baseline',
    model: 'exponential',
    confidence: 0.9,
    asOf: 1795780800000,
    health: 100,
    fittedOn: null,
    sensorId: 'pump-1.temp',
    sensors: [{ sensorId: 'pump-1.temp', status: 'not-degrading', failureHoursLeft: null }],
    points: [],
    trend: [],
    lookbackHours: 24,
    source: 'windows',
    windowsFrom: 1795766400000,
  },
  healthModel: null,
  alertBelow: 40,
} as const;
