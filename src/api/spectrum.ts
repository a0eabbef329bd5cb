import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import { configSchema } from '../config/schema.ts';
import { ConflictError } from '../domain/errors.ts';
import { hann } from '../lib/fft.ts';
import { dominantFrequency, powerSpectrum } from '../pipeline/spectrum.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { errorResponses } from './contract.ts';
import { latestBlock } from './latest-block.ts';
import { RETIRED_READ, retiredQuery } from './registry-schemas.ts';
import { secured, time, timeParam } from './routes.ts';
import { idParams } from './schemas.ts';

/** Fewer samples give no spectrum worth drawing: 8 samples make 5 bins. */
export const MIN_SPECTRUM_SAMPLES = 8;

/** The amplitude spectrum of one sample block. */
export interface AmplitudeSpectrum {
  /** Spacing of the bins, Hz: rateHz over the block length rounded up to a power of two. */
  resolutionHz: number;
  /** Peak amplitude per bin from 0 Hz, in the values' unit (a tone on a bin reads as its own amplitude). */
  amplitude: number[];
  /** Frequency of the strongest bin above 0 Hz, interpolated, as windows' `dominantHz`; null for a flat block. */
  dominantHz: number | null;
}

/**
 * The one-sided amplitude spectrum of `values` sampled at `rateHz` (Hz), up to `maxHz`: the pipeline's power
 * spectrum (mean removed, periodic Hann window, zero-padded to a power of two: src/pipeline/spectrum.ts) turned
 * back into amplitudes and divided by the window's coherent gain, so that a sine of amplitude A centred on a bin
 * reads A there (Harris 1978, "On the use of windows for harmonic analysis with the DFT", Proc. IEEE 66(1),
 * coherent gain of the Hann window ½). The power per bin is oneSided·|X|²/(N·Σw²), so |X| = √(p·N·Σw²/oneSided)
 * and the amplitude 2|X|/Σw (|X|/Σw at 0 Hz and at the Nyquist bin).
 * @throws RangeError naming `values` when fewer than MIN_SPECTRUM_SAMPLES samples or one is not finite, or
 * `rateHz` when it is not a positive number.
 */
export function amplitudeSpectrum(
  values: ArrayLike<number>,
  rateHz: number,
  maxHz: number,
): AmplitudeSpectrum {
  const n = values.length;
  if (n < MIN_SPECTRUM_SAMPLES)
    throw new RangeError(`values: at least ${MIN_SPECTRUM_SAMPLES} samples are needed, got ${n}`);
  if (!(rateHz > 0) || !Number.isFinite(rateHz))
    throw new RangeError(`rateHz: expected a positive rate in Hz, got ${rateHz}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]))
      throw new RangeError(`values.${i}: expected a finite number, got ${values[i]}`);
  }
  const spectrum = powerSpectrum(values, rateHz);
  const size = 2 * (spectrum.power.length - 1);
  const window = hann(n);
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    sum += window[i];
    squares += window[i] * window[i];
  }
  const bins = Math.min(spectrum.power.length, Math.floor(maxHz / spectrum.resolutionHz) + 1);
  const amplitude = new Array<number>(bins);
  for (let k = 0; k < bins; k++) {
    const edge = k === 0 || k === size / 2;
    // Square roots first: p·N·Σw² may overflow where the amplitude does not.
    const magnitude = Math.sqrt(spectrum.power[k]) * Math.sqrt((size * squares) / (edge ? 1 : 2));
    amplitude[k] = ((edge ? 1 : 2) * magnitude) / sum;
  }
  return { resolutionHz: spectrum.resolutionHz, amplitude, dominantHz: dominantFrequency(spectrum) };
}

const spectrumResponse = {
  type: 'object',
  additionalProperties: false,
  required: [
    'sensorId',
    'unit',
    'ts',
    'rateHz',
    'samples',
    'resolutionHz',
    'amplitude',
    'dominantHz',
    'bandEdgesHz',
  ],
  properties: {
    sensorId: { type: 'string', description: 'the vibration sensor' },
    unit: { type: 'string', description: "the sensor's unit: the unit of every amplitude" },
    ts: { type: 'number', description: 'timestamp of the block (its first sample), epoch ms' },
    rateHz: { type: 'number', description: 'sample rate of the block, Hz' },
    samples: { type: 'integer', description: 'samples in the block' },
    resolutionHz: {
      type: 'number',
      description: 'spacing of the bins, Hz: rateHz over the block length rounded up to a power of two',
    },
    amplitude: {
      type: 'array',
      items: { type: 'number', minimum: 0 },
      description:
        'peak amplitude per bin from 0 Hz up to maxHz (or the Nyquist frequency), in `unit`: mean removed, ' +
        'Hann window, divided by its coherent gain so that a sine centred on a bin reads as its own amplitude',
    },
    dominantHz: {
      type: ['number', 'null'],
      description:
        'frequency of the strongest bin above 0 Hz, interpolated (as the windows’ `dominantHz`), Hz; null for a flat block',
    },
    bandEdgesHz: {
      type: 'array',
      items: { type: 'number', minimum: 0 },
      description:
        'the edges of the bands whose energies the windows carry (`bandEnergies[i]` is the energy in ' +
        '[bandEdgesHz[i], bandEdgesHz[i+1]) Hz; pipeline.bandEdgesHz), ascending',
    },
  },
} as const;

/**
 * GET /v1/sensors/{id}/spectrum: the amplitude spectrum of a vibration sensor's latest sample block (at or
 * before `at`, within a day), with the band edges the window features use (`bandEdgesHz`, the configured
 * pipeline.bandEdgesHz; the default when not given).
 */
export function spectrumRoutes(
  registry: AssetRegistry,
  raw: RawStore,
  bandEdgesHz: readonly number[] = configSchema.parse({}).pipeline.bandEdgesHz,
): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.withTypeProvider<JsonSchemaToTsProvider>().get(
      '/v1/sensors/:id/spectrum',
      {
        schema: {
          summary:
            "Amplitude spectrum of a vibration sensor's latest sample block (at or before `at`, within a day)",
          description:
            `${RETIRED_READ} 404: no such sensor, or no block in the day before \`at\`; 409: the sensor is not a vibration ` +
            `sensor, or its latest block is too short for a spectrum (fewer than ${MIN_SPECTRUM_SAMPLES} samples).`,
          tags: ['assets'],
          ...secured,
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              at: {
                ...time,
                description: 'the instant looked back from (default: now); ISO 8601 or epoch ms',
              },
              ...retiredQuery.properties,
              maxHz: {
                type: 'number',
                exclusiveMinimum: 0,
                maximum: 100_000,
                default: 5000,
                description: 'highest frequency returned, Hz (the Nyquist frequency when above it)',
              },
            },
          },
          response: {
            200: spectrumResponse,
            ...errorResponses(404, 409),
          },
        },
      },
      async (request) => {
        const at = timeParam('querystring.at', request.query.at, Date.now());
        const sensorId = request.params.id;
        const { sensor, block } = await latestBlock(registry, raw, sensorId, at, {
          retired: request.query.retired ?? false,
          what: 'a spectrum',
        });
        try {
          const spectrum = amplitudeSpectrum(block.values, block.rateHz, request.query.maxHz);
          return {
            sensorId,
            unit: sensor.unit,
            ts: block.ts,
            rateHz: block.rateHz,
            samples: block.values.length,
            ...spectrum,
            bandEdgesHz: [...bandEdgesHz],
          };
        } catch (error) {
          // The request is valid; the stored block is what cannot be analysed: a conflict with its state.
          if (!(error instanceof RangeError)) throw error;
          throw new ConflictError(
            `the latest block of sensor ${sensorId} (${block.values.length} samples at ${block.rateHz} Hz, ts ${block.ts}) has no spectrum: ${error.message}`,
          );
        }
      },
    );
  };
}
