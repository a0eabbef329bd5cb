/**
 * Rolling-element bearing geometry and its kinematic defect frequencies.
 *
 * Formulas: R. B. Randall and J. Antoni, "Rolling element bearing diagnostics — A tutorial", Mechanical Systems
 * and Signal Processing 25(2), 2011, pp. 485–520, eqs. (1)–(4). They assume rolling without slip; real bearings
 * slip by 1–2 %, so matching a measured peak to a defect frequency needs a tolerance.
 */

/** A bearing's geometry. Lengths in millimetres, the contact angle in degrees. */
export interface BearingGeometry {
  /** Number of rolling elements (per row). */
  rollingElements: number;
  /** Rolling-element (ball or roller) diameter d, mm. */
  ballDiameterMm: number;
  /** Pitch diameter D (the circle through the elements' centres), mm. */
  pitchDiameterMm: number;
  /** Contact angle φ, degrees (0 for a deep-groove ball bearing under radial load). */
  contactAngleDeg: number;
}

/** Defect frequencies in Hz, or as orders (multiples of the shaft frequency) when computed at f_r = 1. */
export interface DefectFrequencies {
  /** Ball pass frequency, outer race: rate at which elements pass a point of a stationary outer race. */
  bpfo: number;
  /** Ball pass frequency, inner race. */
  bpfi: number;
  /** Ball (rolling element) spin frequency; a defect on an element strikes the races at 2 × BSF. */
  bsf: number;
  /** Fundamental train (cage) frequency. */
  ftf: number;
}

/**
 * Defect frequencies of `bearing` at shaft frequency `shaftHz` (Hz), inner race rotating, outer race fixed.
 * FTF = f_r/2 (1 − d/D cos φ); BPFO = n f_r/2 (1 − d/D cos φ); BPFI = n f_r/2 (1 + d/D cos φ);
 * BSF = D f_r/(2d) (1 − (d/D cos φ)²) — Randall & Antoni (2011), eqs. (1)–(4).
 * With `shaftHz = 1` the result is in orders.
 * @throws RangeError naming the field when the geometry is not physical (non-positive sizes, d ≥ D, φ outside
 * [0, 90)) or `shaftHz` is negative or not finite.
 */
export function defectFrequencies(bearing: BearingGeometry, shaftHz: number): DefectFrequencies {
  checkGeometry(bearing);
  if (!Number.isFinite(shaftHz) || shaftHz < 0) {
    throw new RangeError(`shaftHz: expected a finite frequency ≥ 0 Hz, got ${shaftHz}`);
  }
  const n = bearing.rollingElements;
  const ratio =
    (bearing.ballDiameterMm / bearing.pitchDiameterMm) * Math.cos((bearing.contactAngleDeg * Math.PI) / 180);
  return {
    ftf: (shaftHz / 2) * (1 - ratio),
    bpfo: ((n * shaftHz) / 2) * (1 - ratio),
    bpfi: ((n * shaftHz) / 2) * (1 + ratio),
    bsf: ((bearing.pitchDiameterMm * shaftHz) / (2 * bearing.ballDiameterMm)) * (1 - ratio * ratio),
  };
}

/** @throws RangeError naming the first field that is not physical. */
export function checkGeometry(b: BearingGeometry): void {
  if (typeof b !== 'object' || b === null) {
    throw new RangeError(`bearing: expected a geometry object, got ${b === null ? 'null' : typeof b}`);
  }
  if (!Number.isInteger(b.rollingElements) || b.rollingElements < 3 || b.rollingElements > 200) {
    throw new RangeError(`rollingElements: expected a whole number from 3 to 200, got ${b.rollingElements}`);
  }
  if (!(b.ballDiameterMm > 0) || !Number.isFinite(b.ballDiameterMm)) {
    throw new RangeError(`ballDiameterMm: expected a positive length in mm, got ${b.ballDiameterMm}`);
  }
  if (!(b.pitchDiameterMm > b.ballDiameterMm) || !Number.isFinite(b.pitchDiameterMm)) {
    throw new RangeError(
      `pitchDiameterMm: expected a length in mm larger than ballDiameterMm (${b.ballDiameterMm}), got ${b.pitchDiameterMm}`,
    );
  }
  if (typeof b.contactAngleDeg !== 'number' || !(b.contactAngleDeg >= 0 && b.contactAngleDeg < 90)) {
    throw new RangeError(`contactAngleDeg: expected degrees from 0 to below 90, got ${b.contactAngleDeg}`);
  }
}

const INCH_MM = 25.4;

/** A catalogue bearing: its geometry and where the numbers come from. */
export interface CatalogueBearing extends BearingGeometry {
  /** Bearing type, as its maker names it. */
  description: string;
  /** Citation for the geometry: the publication that lists elements, diameters and contact angle. */
  source: string;
}

const CWRU =
  'Case Western Reserve University Bearing Data Center, "Bearing information" (dimensions in inches); its ' +
  'defect-frequency table follows from them';

/**
 * Catalogue of bearings by designation, each with the publication its geometry comes from. Only bearings whose
 * rolling-element count, element and pitch diameters and contact angle are published are listed: makers'
 * catalogues give boundary dimensions (bore, outside diameter, width) but not the internal geometry, so a bearing
 * with no published internal geometry is given by geometry instead of by designation.
 * - 6205-2RS JEM SKF, 6203-2RS JEM SKF: the drive-end and fan-end bearings of the CWRU test rig. Their published
 *   tables: 6205 BPFI 5.4152, BPFO 3.5848, FTF 0.39828, 2 × BSF 4.7135 orders; 6203 BPFI 4.9469, BPFO 3.0530,
 *   FTF 0.3817, 2 × BSF 3.9874 orders.
 * - LDK UER204: the test bearing of the XJTU-SY run-to-failure data set, B. Wang, Y. Lei, N. Li, N. Li, "A hybrid
 *   prognostics approach for estimating remaining useful life of rolling element bearings", IEEE Transactions on
 *   Reliability 69(1), 2020, pp. 401–412, table of bearing parameters (8 balls, 7.92 mm, pitch 34.55 mm, 0°).
 */
export const bearingCatalogue: Readonly<Record<string, CatalogueBearing>> = {
  '6205': {
    description: 'deep-groove ball bearing, SKF 6205-2RS JEM',
    rollingElements: 9,
    ballDiameterMm: 0.3126 * INCH_MM,
    pitchDiameterMm: 1.537 * INCH_MM,
    contactAngleDeg: 0,
    source: CWRU,
  },
  '6203': {
    description: 'deep-groove ball bearing, SKF 6203-2RS JEM',
    rollingElements: 8,
    ballDiameterMm: 0.2656 * INCH_MM,
    pitchDiameterMm: 1.122 * INCH_MM,
    contactAngleDeg: 0,
    source: CWRU,
  },
  UER204: {
    description: 'deep-groove ball insert bearing, LDK UER204',
    rollingElements: 8,
    ballDiameterMm: 7.92,
    pitchDiameterMm: 34.55,
    contactAngleDeg: 0,
    source:
      'B. Wang, Y. Lei, N. Li, N. Li, IEEE Transactions on Reliability 69(1), 2020, pp. 401–412 (XJTU-SY data set)',
  },
};

/**
 * The catalogue bearing named `designation` (case and surrounding spaces ignored, e.g. "6205" or "uer204").
 * @throws RangeError naming `designation` and the designations known when it is not in the catalogue.
 */
export function catalogueBearing(designation: string): CatalogueBearing {
  const key = typeof designation === 'string' ? designation.trim().toUpperCase() : '';
  const found = Object.hasOwn(bearingCatalogue, key) ? bearingCatalogue[key] : undefined;
  if (!found) {
    throw new RangeError(
      `designation: ${JSON.stringify(designation)} is not in the catalogue (${Object.keys(bearingCatalogue).join(', ')}); give the geometry instead`,
    );
  }
  return found;
}
