/** Samples of offset + A·sin(2π·hz·t + phase), for feature tests. */
export function sine(
  amplitude: number,
  hz: number,
  rateHz: number,
  n: number,
  offset = 0,
  phase = 0,
): number[] {
  return Array.from(
    { length: n },
    (_, i) => offset + amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz + phase),
  );
}
