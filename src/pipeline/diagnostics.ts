/**
 * Vibration diagnosis on the stream: each sample block of a window of a vibration sensor whose asset has a
 * machine model goes through `diagnoseBlock`, and the window keeps the aggregate — r.m.s. velocity and ISO
 * 20816-3 zone, each bearing defect's strongest envelope level, the speed used and the named faults.
 */
import {
  type BlockDiagnosis,
  type DiagnoseOptions,
  diagnoseBlock,
  type MachineBearing,
  type MachineModel,
} from '../diagnostics/diagnosis.ts';
import type { AccelerationUnit, SeverityZone, ZoneBoundaries } from '../diagnostics/severity.ts';
import { severityZone } from '../diagnostics/severity.ts';
import { rpmPerUnit } from '../domain/machine-model.ts';
import type {
  AssetMachine,
  EnvelopeLevel,
  Sensor,
  WindowDiagnosis,
  WindowDiagnostics,
} from '../domain/types.ts';

/** A sample block of a window: samples in the sensor's unit at `rateHz` Hz, taken at `ts` (epoch ms). */
export interface DiagnosticBlock {
  ts: number;
  values: ArrayLike<number>;
  rateHz: number;
  /** The simultaneous block of an axial accelerometer at the same place (same ts, rate and length). */
  axial?: ArrayLike<number>;
}

/** How many recent blocks of each axial sensor are kept for pairing: a few windows' worth at one a second. */
const AXIAL_BLOCKS_KEPT = 32;

/** What a window's diagnosis adds to its features. */
export interface DiagnosticFeatures {
  /** R.m.s. velocity over the window, mm/s: the root of the mean of the blocks' mean squares. */
  velocityRms: number | null;
  severityZone: SeverityZone | null;
  diagnostics: WindowDiagnostics;
}

const UNITS: Record<string, AccelerationUnit> = { 'm/s²': 'm/s²', 'm/s2': 'm/s²', g: 'g' };

/**
 * Diagnoses each block of a window (see `diagnoseBlock`) and aggregates: r.m.s. velocity over the blocks that
 * gave one (mean square of the blocks' r.m.s. velocities, rooted; the blocks are of equal weight as a window's
 * blocks are usually of equal length) and its zone; per bearing defect, the strongest fundamental's level; the
 * mean speed and the source of the first block's; per fault, the highest confidence, how many blocks named it,
 * and the evidence and message of the most confident block. A block that cannot be diagnosed (a bad sample, a
 * machine model that does not check) is counted in `skipped` with the first reason, one too short for the
 * velocity band in `velocitySkipped`; it never throws.
 */
export function diagnoseWindow(
  blocks: readonly DiagnosticBlock[],
  machine: MachineModel,
  options: DiagnoseOptions = {},
): DiagnosticFeatures {
  const results: BlockDiagnosis[] = [];
  let skipped: { blocks: number; reason: string } | undefined;
  for (const block of blocks) {
    try {
      const axial = block.axial ? { axial: block.axial } : {};
      results.push(diagnoseBlock(block.values, block.rateHz, machine, { ...options, ...axial }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      skipped = { blocks: (skipped?.blocks ?? 0) + 1, reason: skipped?.reason ?? reason };
    }
  }
  const velocity = velocityOf(results);
  let velocitySkipped: { blocks: number; reason: string } | undefined;
  for (const r of results) {
    if (!r.severity || !('reason' in r.severity)) continue;
    velocitySkipped = {
      blocks: (velocitySkipped?.blocks ?? 0) + 1,
      reason: velocitySkipped?.reason ?? r.severity.reason,
    };
  }
  const envelope = new Map<string, { level: EnvelopeLevel; band: BlockDiagnosis['band'] }>();
  const diagnoses = new Map<string, WindowDiagnosis>();
  for (const r of results) {
    for (const b of r.bearings) {
      for (const f of b.features) {
        const [fundamental] = f.harmonics;
        if (!fundamental) continue;
        const key = `${b.bearing}\u0000${f.defect}`;
        const current = envelope.get(key);
        if (current && current.level.dbAboveFloor >= fundamental.dbAboveFloor) continue;
        const level: EnvelopeLevel = {
          bearing: b.bearing,
          defect: f.defect,
          expectedHz: f.expectedHz,
          foundHz: fundamental.foundHz,
          dbAboveFloor: fundamental.dbAboveFloor,
        };
        envelope.set(key, { level, band: r.band });
      }
    }
    for (const d of r.diagnoses) {
      const key = `${d.fault}\u0000${d.bearing ?? ''}`;
      const current = diagnoses.get(key);
      if (current && current.confidence >= d.confidence) {
        current.blocks++;
        continue;
      }
      diagnoses.set(key, {
        fault: d.fault,
        ...(d.bearing !== undefined && { bearing: bearingOf(d.bearing, machine.bearings) }),
        confidence: d.confidence,
        blocks: (current?.blocks ?? 0) + 1,
        evidence: d.evidence,
        message: d.message,
      });
    }
  }
  const strongest = [...envelope.values()].sort((a, b) => b.level.dbAboveFloor - a.level.dbAboveFloor)[0];
  const band = strongest?.band ?? results.find((r) => r.band)?.band ?? null;
  return {
    velocityRms: velocity?.mmPerS ?? null,
    severityZone: velocity?.zone ?? null,
    diagnostics: {
      blocks: results.length,
      ...(skipped && { skipped }),
      ...(velocitySkipped && { velocitySkipped }),
      speed: speedOf(results, skipped?.reason),
      band: band && { lowHz: band.lowHz, highHz: band.highHz },
      envelope: [...envelope.values()].map((e) => e.level),
      diagnoses: [...diagnoses.values()].sort((a, b) => b.confidence - a.confidence),
      ...declinedOf(results),
    },
  };
}

/** Each declined rule (and bearing) of the blocks, once, with the first reason and how many blocks declined it. */
function declinedOf(results: BlockDiagnosis[]): Pick<WindowDiagnostics, 'declined'> {
  const declined = new Map<string, NonNullable<WindowDiagnostics['declined']>[number]>();
  for (const r of results) {
    for (const d of r.declined ?? []) {
      const key = `${d.rule}\u0000${d.bearing ?? ''}`;
      const found = declined.get(key);
      if (found) found.blocks++;
      else
        declined.set(key, {
          rule: d.rule,
          ...(d.bearing && { bearing: d.bearing }),
          reason: d.reason,
          blocks: 1,
        });
    }
  }
  return declined.size > 0 ? { declined: [...declined.values()] } : {};
}

function velocityOf(results: BlockDiagnosis[]): { mmPerS: number; zone: SeverityZone } | null {
  let sumSquares = 0;
  let n = 0;
  let boundaries: ZoneBoundaries | null = null;
  for (const r of results) {
    if (!r.severity || !('mmPerS' in r.severity)) continue;
    sumSquares += r.severity.mmPerS ** 2;
    n++;
    boundaries = r.severity.boundaries;
  }
  if (n === 0 || !boundaries) return null;
  const mmPerS = Math.sqrt(sumSquares / n);
  return { mmPerS, zone: severityZone(mmPerS, boundaries) };
}

function speedOf(results: BlockDiagnosis[], skippedReason?: string): WindowDiagnostics['speed'] {
  const known = results.filter((r) => r.speed.hz !== null);
  if (known.length === 0) {
    const first = results[0]?.speed;
    const reason =
      first && 'reason' in first ? first.reason : (skippedReason ?? 'no block could be diagnosed');
    return { source: first?.source ?? 'unknown', hz: null, rpm: null, reason };
  }
  const hz = known.reduce((sum, r) => sum + (r.speed.hz as number), 0) / known.length;
  return { source: known[0].speed.source, hz, rpm: hz * 60 };
}

/** The designation and location behind a diagnosis's bearing label ("6205 (drive end)"). */
function bearingOf(label: string, bearings: MachineBearing[]): NonNullable<WindowDiagnosis['bearing']> {
  const b = bearings.find(
    (x) => (x.location ? `${x.designation.trim()} (${x.location})` : x.designation.trim()) === label,
  );
  return b
    ? { designation: b.designation.trim(), location: b.location ?? null }
    : { designation: label, location: null };
}

/**
 * Which sensors are diagnosed and with what: a vibration sensor in m/s² or g, on an asset with a machine model.
 * Holds the latest value (rpm) of every speed sensor a machine model names, for the `sensor` speed setting,
 * and the recent blocks of axial sensors: a radial sensor's block is diagnosed with the axial block of the same
 * timestamp on its asset (a gateway samples its channels together), which tells misalignment from imbalance.
 */
export class MachineDirectory {
  private models = new Map<string, MachineModel>();
  private speedSensors = new Map<string, string>();
  /** Speed sensor → the factor from its unit to rpm (rpm, r/min, Hz…: see SPEED_UNITS). */
  private speedRpmPerUnit = new Map<string, number>();
  /** Speed sensor → its latest reading by timestamp (ts epoch ms, value rpm). */
  private readonly speeds = new Map<string, { ts: number; value: number }>();
  /** Radial sensor → the axial sensor paired with it. */
  private axialOf = new Map<string, string>();
  /** Axial sensor → its recent blocks by timestamp, oldest first. */
  private readonly axialBlocks = new Map<string, Map<number, ArrayLike<number>>>();

  /**
   * Rebuilds the directory from the registry's active sensors and assets' machine models (by asset id); a
   * sensor no longer listed (retired) keeps its model for the windows it still has open.
   */
  update(sensors: readonly Sensor[], machines: ReadonlyMap<string, AssetMachine>): void {
    const models = new Map<string, MachineModel>();
    const speedSensors = new Map<string, string>();
    for (const s of sensors) {
      const machine = machines.get(s.assetId);
      if (!machine) continue;
      if (machine.speed?.source === 'sensor') speedSensors.set(machine.speed.sensorId, s.assetId);
      const unit = UNITS[s.unit];
      if (s.kind !== 'vibration' || !unit) continue;
      models.set(s.id, {
        speed: machine.speed,
        bearings: s.bearings ?? [],
        unit,
        ...(machine.severity && { severity: machine.severity }),
      });
    }
    // A sensor retired (or its asset) since: readings accepted before still close their windows, diagnosed under
    // the model they came in with. Kept by sensor id, so bounded by the registry's size.
    const listed = new Set(sensors.map((s) => s.id));
    for (const [id, model] of this.models) if (!listed.has(id) && !models.has(id)) models.set(id, model);
    this.axialOf = pairAxial(sensors, models);
    this.models = models;
    this.speedSensors = speedSensors;
    this.speedRpmPerUnit = new Map();
    for (const s of sensors) {
      const rpmPer = rpmPerUnit(s.unit);
      // A unit that is not a speed (refused at registration) is never read as rpm.
      if (speedSensors.has(s.id) && rpmPer !== undefined) this.speedRpmPerUnit.set(s.id, rpmPer);
    }
    const axial = new Set(this.axialOf.values());
    for (const id of this.axialBlocks.keys()) if (!axial.has(id)) this.axialBlocks.delete(id);
    for (const id of axial) if (!this.axialBlocks.has(id)) this.axialBlocks.set(id, new Map());
  }

  /** Keeps a sample block of an axial sensor paired with a radial one (the last AXIAL_BLOCKS_KEPT of them). */
  observeBlock(sensorId: string, ts: number, values: ArrayLike<number>): void {
    const kept = this.axialBlocks.get(sensorId);
    if (!kept) return;
    kept.delete(ts);
    kept.set(ts, values);
    if (kept.size > AXIAL_BLOCKS_KEPT) kept.delete(kept.keys().next().value as number);
  }

  /** The machine model of a sensor's blocks; undefined when it is not diagnosed. */
  modelOf(sensorId: string): MachineModel | undefined {
    return this.models.get(sensorId);
  }

  /** Whether any sensor is diagnosed: none, and the processor skips every lookup. */
  get empty(): boolean {
    return this.models.size === 0;
  }

  /**
   * Notes a scalar reading taken at `ts` (epoch ms), in the sensor's unit and kept in rpm, when it comes from a
   * speed sensor a machine model names and is the sensor's latest by timestamp: a gateway backfilling old
   * readings does not replace the current speed.
   */
  observeSpeed(sensorId: string, value: number, ts: number): void {
    if (!this.speedSensors.has(sensorId) || !Number.isFinite(value)) return;
    const rpmPer = this.speedRpmPerUnit.get(sensorId);
    if (rpmPer === undefined) return;
    const known = this.speeds.get(sensorId);
    if (!known || ts >= known.ts) this.speeds.set(sensorId, { ts, value: value * rpmPer });
  }

  /** The speed sensors a machine model names whose latest reading is not known yet. */
  speedSensorsWithoutReading(): string[] {
    return [...this.speedSensors.keys()].filter((id) => !this.speeds.has(id));
  }

  /** Diagnoses a closed window of `sensorId`; null when the sensor is not diagnosed or the window has no block. */
  diagnose(sensorId: string, blocks: readonly DiagnosticBlock[]): DiagnosticFeatures | null {
    const machine = this.models.get(sensorId);
    if (!machine || blocks.length === 0) return null;
    const speed = machine.speed;
    const sensorRpm = speed?.source === 'sensor' ? (this.speeds.get(speed.sensorId)?.value ?? null) : null;
    const axialId = this.axialOf.get(sensorId);
    const kept = axialId === undefined ? undefined : this.axialBlocks.get(axialId);
    const paired = kept
      ? blocks.map((b) => {
          const axial = kept.get(b.ts);
          return axial && axial.length === b.values.length ? { ...b, axial } : b;
        })
      : blocks;
    return diagnoseWindow(paired, machine, { sensorRpm });
  }
}

/**
 * Pairs each radial (or unset-axis) diagnosed sensor with an axial vibration sensor of its asset: the one that
 * watches a bearing at the same location, else the asset's only axial sensor; none when that is ambiguous.
 */
function pairAxial(
  sensors: readonly Sensor[],
  models: ReadonlyMap<string, MachineModel>,
): Map<string, string> {
  const pairs = new Map<string, string>();
  const locations = (s: Sensor) =>
    new Set((s.bearings ?? []).map((b) => b.location ?? null).filter((l) => l !== null));
  for (const s of sensors) {
    if (!models.has(s.id) || s.axis === 'axial') continue;
    const axial = sensors.filter((a) => a.assetId === s.assetId && a.axis === 'axial' && models.has(a.id));
    const mine = locations(s);
    const sameLocation = axial.filter((a) => [...locations(a)].some((l) => mine.has(l)));
    const chosen = sameLocation.length === 1 ? sameLocation[0] : axial.length === 1 ? axial[0] : undefined;
    if (chosen) pairs.set(s.id, chosen.id);
  }
  return pairs;
}
