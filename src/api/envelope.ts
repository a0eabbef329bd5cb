import type { FastifyPluginAsync } from 'fastify';
import { type Diagnosis, diagnoseBlock, type MachineModel } from '../diagnostics/diagnosis.ts';
import { envelopeSpectrum } from '../diagnostics/envelope.ts';
import { BEARING_DEFECTS } from '../diagnostics/envelope-features.ts';
import type { AccelerationUnit } from '../diagnostics/severity.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AssetMachine, Sensor } from '../domain/types.ts';
import type { AssetRegistry } from '../storage/ports/asset-registry.ts';
import type { RawStore } from '../storage/ports/raw-store.ts';
import { id, secured, time, timeParam } from './routes.ts';

/** How far back from `at` the latest block is looked for, and the speed sensor's latest value. */
const BLOCK_LOOKBACK_MS = 86_400_000;
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
  band: { lowHz: number; highHz: number; chosenBy: string };
  resolutionHz: number;
  /** Amplitude per bin from 0 Hz, in the sensor's unit, up to `maxHz`. */
  amplitude: number[];
  markers: EnvelopeMarker[];
  diagnoses: Pick<Diagnosis, 'fault' | 'bearing' | 'confidence' | 'message'>[];
}

/**
 * The envelope view of a block `values` at `rateHz` (Hz): with a machine model, its diagnosis (see
 * `diagnoseBlock`) gives the speed, the band and each bearing's BPFO, BPFI, 2×BSF and FTF and their harmonics
 * as markers; without, or when no speed is known, the kurtogram's band and no markers. Bins up to `maxHz`.
 * @throws RangeError naming the field when the block or the machine model does not check.
 */
export function envelopeView(
  block: { ts: number; rateHz: number; values: ArrayLike<number> },
  machine: MachineModel | null,
  maxHz: number,
  sensorRpm: number | null = null,
): EnvelopeView {
  const diagnosis = machine ? diagnoseBlock(block.values, block.rateHz, machine, { sensorRpm }) : null;
  const band = diagnosis?.band ?? undefined;
  const spectrum = envelopeSpectrum(block.values, block.rateHz, {
    band,
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
  return {
    ts: block.ts,
    rateHz: block.rateHz,
    speed: speed && { ...speed },
    band: { lowHz: spectrum.band.lowHz, highHz: spectrum.band.highHz, chosenBy: spectrum.band.chosenBy },
    resolutionHz: spectrum.resolutionHz,
    amplitude: Array.from(spectrum.amplitude.subarray(0, bins)),
    markers,
    diagnoses: (diagnosis?.diagnoses ?? []).map(({ fault, bearing, confidence, message }) => ({
      fault,
      ...(bearing !== undefined && { bearing }),
      confidence,
      message,
    })),
  };
}

/** A vibration sensor's machine model, from its asset's and its own registration; null when it has none. */
function machineOf(sensor: Sensor, machine: AssetMachine | null | undefined): MachineModel | null {
  const unit = UNITS[sensor.unit];
  if (!machine || !unit) return null;
  return {
    speed: machine.speed,
    bearings: sensor.bearings ?? [],
    unit,
    ...(machine.severity && { severity: machine.severity }),
  };
}

/** GET /v1/sensors/{id}/envelope: the envelope spectrum of a sensor's latest block (at or before `at`). */
export function envelopeRoutes(registry: AssetRegistry, raw: RawStore): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', app.authenticate);
    app.get<{ Params: { id: string }; Querystring: { at?: string; maxHz: number } }>(
      '/v1/sensors/:id/envelope',
      {
        schema: {
          summary:
            "Envelope spectrum of a vibration sensor's latest sample block (at or before `at`, within a day), with the bearings' defect frequencies as markers",
          tags: ['assets'],
          ...secured,
          params: { type: 'object', properties: { id } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              at: time,
              maxHz: { type: 'number', exclusiveMinimum: 0, maximum: 100_000, default: 1000 },
            },
          },
        },
      },
      async (request) => {
        const at = timeParam('querystring.at', request.query.at, Date.now());
        const sensorId = request.params.id;
        const sensor = await registry.getSensor(sensorId);
        if (!sensor) throw new NotFoundError(`sensor ${sensorId} not found`);
        const { block } = await raw.readSignal(sensorId, at - BLOCK_LOOKBACK_MS, at + 1, 1);
        if (!block) throw new NotFoundError(`sensor ${sensorId} has no sample block in the day before ${at}`);
        const asset = await registry.getAsset(sensor.assetId);
        const machine = machineOf(sensor, asset?.machine);
        let sensorRpm: number | null = null;
        if (machine?.speed.source === 'sensor') {
          const speed = await raw.readSignal(machine.speed.sensorId, at - SPEED_LOOKBACK_MS, at + 1, 1);
          sensorRpm = speed.readings.at(-1)?.value ?? null;
        }
        try {
          return { sensorId, ...envelopeView(block, machine, request.query.maxHz, sensorRpm) };
        } catch (error) {
          // A block or machine model the diagnosis refuses names its field.
          if (error instanceof RangeError) throw new ValidationError('block', error.message);
          throw error;
        }
      },
    );
  };
}
