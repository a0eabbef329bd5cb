import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ModelRef } from '../domain/types.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import { secured } from './routes.ts';

/** What the api reads of the served models: the champion of each asset type (see ml/champions.ts). */
export interface ServedModels {
  models(): Map<string, ModelRef>;
}

/** A served model's reference in responses; null: the baseline scorer. */
export const modelRef = {
  type: ['object', 'null'],
  description:
    'The champion model of the asset type (registered name and version): it scores the vibration windows that carry its features (sensors with a machine model); the baseline scorer scores the others, and every window when null',
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'the registered model name in the ML tracking server' },
    version: {
      type: 'string',
      description: "the registered model's version, as the tracking server numbers it",
    },
  },
  required: ['name', 'version'],
} as const;

const modelsResponse = {
  description: 'Every asset type of the registry, by name, with its model.',
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      description: 'one item per asset type (the `kind` of the assets in service), sorted by name',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['assetType', 'model'],
        properties: {
          assetType: { type: 'string', description: 'an asset type: the `kind` of its assets' },
          model: modelRef,
        },
      },
    },
  },
  examples: [
    {
      items: [
        { assetType: 'fan', model: null },
        { assetType: 'pump', model: { name: 'health-pump', version: '3' } },
      ],
    },
  ],
} as const;

/** GET /v1/models: for each asset type in the registry, the learned model that scores it (null: baseline). */
export function modelRoutes(
  registry: Pick<AssetRegistry, 'assetTypes'>,
  served: ServedModels,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    const r = app.withTypeProvider<JsonSchemaToTsProvider>();
    r.get(
      '/v1/models',
      {
        schema: {
          summary:
            'The health model of each asset type: its champion (name and version), or null for the baseline scorer',
          tags: ['models'],
          ...secured,
          querystring: { type: 'object', additionalProperties: false, properties: {} },
          response: { 200: modelsResponse },
        },
      },
      async () => {
        const models = served.models();
        const types = [...new Set((await registry.assetTypes()).values())].sort();
        return { items: types.map((assetType) => ({ assetType, model: models.get(assetType) ?? null })) };
      },
    );
  };
}
