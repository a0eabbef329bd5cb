import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyPluginAsync } from 'fastify';
import {
  type BlockDiagnosis,
  type Diagnosis,
  diagnoseBlock,
  type MachineModel,
} from '../diagnostics/diagnosis.ts';
import { envelopeSpectrum } from '../diagnostics/envelope.ts';
import { BEARING_DEFECTS } from '../diagnostics/envelope-features.ts';
import type { AccelerationUnit } from '../diagnostics/severity.ts';
import { ConflictError } from '../domain/errors.ts';
import { rpmPerUnit } from '../domain/machine-model.ts';
import type { Asset, AssetMachine, Sensor } from '../domain/types.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { errorResponses } from './contract.ts';
import { latestBlock } from './latest-block.ts';
import { retiredQuery } from './registry-schemas.ts';
import { secured, timeParam } from './routes.ts';
import { idParams, time } from './schemas.ts';

/** How far back from `at` the speed sensor's latest value is looked for. */
const SPEED_LOOKBACK_MS = 600_000;
const UNITS: Record<string, AccelerationUnit> = { 'm/s²': 'm/s²', 'm/s2': 'm/s²', g: 'g' };
const LABELS = { bpfo: 'BPFO', bpfi: 'BPFI', rollingElement: '2×BSF', ftf: 'FTF' } as const;

/** A defect frequency to mark on the envelope spectrum, Hz. */
export interface EnvelopeMarker {
  bearing: string;
  defect: (typeof BEARING_DEFECTS)[number];
  label: string;
  harmonic: number;
  hz: number;
}

/** The envelope spectrum of one block, with the defect frequencies of the machine's bearings as markers. */
export interface EnvelopeView {
  ts: number;
  rateHz: number;
  speed: { source: string; hz: number | null; rpm: number | null; reason?: string } | null;
  /** The band demodulated, and whether the diagnosis's configuration or the kurtogram chose it. */
  band: { lowHz: number; highHz: number; chosenBy: 'configured' | 'kurtogram' };
  resolutionHz: number;
  /** Amplitude per bin from 0 Hz, in the sensor's unit, up to `maxHz`. */
  amplitude: number[];
  markers: EnvelopeMarker[];
  diagnoses: Pick<Diagnosis, 'fault' | 'bearing' | 'confidence' | 'message'>[];
  /** Why the block could not be diagnosed (no speed, markers or diagnoses then); absent when it was. */
  diagnosisSkipped?: string;
}

/**
 * The envelope view of a block `values` at `rateHz` (Hz): with a machine model, its diagnosis (see
 * `diagnoseBlock`) gives the speed, the band (reported as the diagnosis chose it) and each bearing's BPFO,
 * BPFI, 2×BSF and FTF and their harmonics as markers; without one, when no speed is known, or when the
 * diagnosis cannot run on the block (its reason in `diagnosisSkipped`), the kurtogram's band and no markers.
 * Bins up to `maxHz`.
 * @throws RangeError naming the field when the block cannot give an envelope spectrum at all (too short, a
 * sample not finite).
 */
export function envelopeView(
  block: { ts: number; rateHz: number; values: ArrayLike<number> },
  machine: MachineModel | null,
  maxHz: number,
  sensorRpm: number | null = null,
): EnvelopeView {
  let diagnosis: BlockDiagnosis | null = null;
  let diagnosisSkipped: string | undefined;
  try {
    diagnosis = machine ? diagnoseBlock(block.values, block.rateHz, machine, { sensorRpm }) : null;
  } catch (error) {
    // A stored block the diagnosis refuses still has an envelope spectrum; the view says why it has no markers.
    if (!(error instanceof RangeError)) throw error;
    diagnosisSkipped = error.message;
  }
  const chosen = diagnosis?.band ?? null;
  const spectrum = envelopeSpectrum(block.values, block.rateHz, {
    band: chosen ? { lowHz: chosen.lowHz, highHz: chosen.highHz } : undefined,
    minLowHz: Math.min(block.rateHz / 4, 1000),
  });
  const bins = Math.min(spectrum.amplitude.length, Math.floor(maxHz / spectrum.resolutionHz) + 1);
  const markers: EnvelopeMarker[] = [];
  for (const b of diagnosis?.bearings ?? []) {
    for (const defect of BEARING_DEFECTS) {
      const f = defect === 'rollingElement' ? 2 * b.frequencies.bsf : b.frequencies[defect];
      for (let h = 1; h <= 3 && h * f <= maxHz; h++) {
        markers.push({ bearing: b.bearing, defect, label: LABELS[defect], harmonic: h, hz: h * f });
      }
    }
  }
  const speed = diagnosis?.speed ?? null;
  // The diagnosis's band is passed back in to compute its spectrum: how it was chosen is the diagnosis's.
  const band = chosen ?? spectrum.band;
  return {
    ts: block.ts,
    rateHz: block.rateHz,
    speed: speed && { ...speed },
    band: { lowHz: band.lowHz, highHz: band.highHz, chosenBy: band.chosenBy },
    resolutionHz: spectrum.resolutionHz,
    amplitude: Array.from(spectrum.amplitude.subarray(0, bins)),
    markers,
    diagnoses: (diagnosis?.diagnoses ?? []).map(({ fault, bearing, confidence, message }) => ({
      fault,
      ...(bearing !== undefined && { bearing }),
      confidence,
      message,
    })),
    ...(diagnosisSkipped !== undefined && { diagnosisSkipped }),
  };
}

/**
 * A vibration sensor's machine model, from its asset's and its own registration; null when it has none. The
 * view shows no velocity, so the ISO class is left out: the diagnosis does not compute a severity for it.
 */
function machineOf(sensor: Sensor, machine: AssetMachine | null | undefined): MachineModel | null {
  const unit = UNITS[sensor.unit];
  if (!machine || !unit) return null;
  return { speed: machine.speed, bearings: sensor.bearings ?? [], unit };
}

/** The latest value of the machine's speed sensor before `at`, in rpm (its unit converted); null when none. */
async function speedSensorRpm(
  raw: RawStore,
  asset: Asset,
  sensorId: string,
  at: number,
): Promise<number | null> {
  const rpmPer = rpmPerUnit(asset.sensors.find((s) => s.id === sensorId)?.unit ?? '');
  if (rpmPer === undefined) return null;
  const speed = await raw.readSignal(sensorId, at - SPEED_LOOKBACK_MS, at + 1, 1);
  const value = speed.readings.at(-1)?.value;
  return value === undefined ? null : value * rpmPer;
}

/** The envelope view as GET /v1/sensors/{id}/envelope answers it (EnvelopeView and the sensor id). */
const envelopeResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'sensorId',
    'ts',
    'rateHz',
    'speed',
    'band',
    'resolutionHz',
    'amplitude',
    'markers',
    'diagnoses',
  ],
  properties: {
    sensorId: { type: 'string' },
    ts: { type: 'number', description: 'first sample of the block, epoch ms' },
    rateHz: { type: 'number', description: 'sample rate of the block, Hz' },
    speed: {
      type: ['object', 'null'],
      description: 'running speed used and its source; null without a machine model',
      additionalProperties: false,
      required: ['source', 'hz', 'rpm'],
      properties: {
        source: { type: 'string', description: '`fixed`, `sensor` or `estimated`' },
        hz: { type: ['number', 'null'], description: 'shaft speed, Hz; null when none could be had' },
        rpm: { type: ['number', 'null'], description: 'shaft speed, rpm' },
        reason: { type: 'string', description: 'why there is no speed' },
      },
    },
    band: {
      type: 'object',
      description: 'the band demodulated, Hz, and who chose it',
      additionalProperties: false,
      required: ['lowHz', 'highHz', 'chosenBy'],
      properties: {
        lowHz: { type: 'number' },
        highHz: { type: 'number' },
        chosenBy: { type: 'string', enum: ['configured', 'kurtogram'] },
      },
    },
    resolutionHz: { type: 'number', description: 'frequency step between amplitude bins, Hz' },
    amplitude: {
      type: 'array',
      items: { type: 'number' },
      description:
        'envelope amplitude spectrum from 0 Hz up to maxHz, one value per resolutionHz, sensor unit',
    },
    markers: {
      type: 'array',
      description: "the bearings' defect frequencies and their harmonics at the speed used",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['bearing', 'defect', 'label', 'harmonic', 'hz'],
        properties: {
          bearing: { type: 'string' },
          defect: { type: 'string', enum: [...BEARING_DEFECTS] },
          label: { type: 'string', description: 'BPFO, BPFI, 2×BSF or FTF' },
          harmonic: { type: 'integer', minimum: 1 },
          hz: { type: 'number' },
        },
      },
    },
    diagnoses: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['fault', 'confidence', 'message'],
        properties: {
          fault: { type: 'string' },
          bearing: { type: 'string' },
          confidence: { type: 'number', minimum: 0, maximum: 1 },
          message: { type: 'string' },
        },
      },
    },
    diagnosisSkipped: { type: 'string', description: 'why the block could not be diagnosed' },
  },
} as const;

/** GET /v1/sensors/{id}/envelope: the envelope spectrum of a sensor's latest block (at or before `at`). */
export function envelopeRoutes(registry: AssetRegistry, raw: RawStore): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.withTypeProvider<JsonSchemaToTsProvider>().get(
      '/v1/sensors/:id/envelope',
      {
        schema: {
          summary:
            "Envelope spectrum of a vibration sensor's latest sample block (at or before `at`, within a day), with the bearings' defect frequencies as markers",
          description:
            '`band` is the band demodulated and `band.chosenBy` who chose it (`kurtogram` or `configured`). ' +
            'A block the diagnosis cannot run on still gets its spectrum, without speed or markers, and ' +
            '`diagnosisSkipped` says why. 404: no such sensor, or no block in the day before `at`; 409: the ' +
            'sensor is not a vibration sensor, or its latest block cannot give an envelope spectrum (too short).',
          tags: ['assets'],
          ...secured,
          params: idParams,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              at: time,
              ...retiredQuery.properties,
              maxHz: {
                type: 'number',
                exclusiveMinimum: 0,
                maximum: 100_000,
                default: 1000,
                description: 'highest frequency of the spectrum, Hz',
              },
            },
          },
          response: { 200: envelopeResponseSchema, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const at = timeParam('querystring.at', request.query.at, Date.now());
        const sensorId = request.params.id;
        const { sensor, block } = await latestBlock(registry, raw, sensorId, at, {
          retired: request.query.retired ?? false,
          what: 'an envelope spectrum',
        });
        const asset = await registry.getAsset(sensor.assetId);
        const machine = machineOf(sensor, asset?.machine);
        const sensorRpm =
          asset && machine?.speed.source === 'sensor'
            ? await speedSensorRpm(raw, asset, machine.speed.sensorId, at)
            : null;
        try {
          return { sensorId, ...envelopeView(block, machine, request.query.maxHz ?? 1000, sensorRpm) };
        } catch (error) {
          // The request is valid; the stored block is what cannot be analysed: a conflict with its state.
          if (!(error instanceof RangeError)) throw error;
          throw new ConflictError(
            `the latest block of sensor ${sensorId} (${block.values.length} samples at ${block.rateHz} Hz, ts ${block.ts}) has no envelope spectrum: ${error.message}`,
          );
        }
      },
    );
  };
}
