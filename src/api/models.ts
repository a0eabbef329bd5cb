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
  properties: { name: { type: 'string' }, version: { type: 'string' } },
  required: ['name', 'version'],
} as const;

/** GET /v1/models: for each asset type in the registry, the learned model that scores it (null: baseline). */
export function modelRoutes(
  registry: Pick<AssetRegistry, 'assetTypes'>,
  served: ServedModels,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.get(
      '/v1/models',
      {
        schema: {
          summary:
            'The health model of each asset type: its champion (name and version), or null for the baseline scorer',
          tags: ['models'],
          ...secured,
          response: {
            200: {
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { assetType: { type: 'string' }, model: modelRef },
                    required: ['assetType', 'model'],
                  },
                },
              },
              required: ['items'],
            },
          },
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
