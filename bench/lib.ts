import { cpus, totalmem } from 'node:os';

/** Facts printed with every measure, so that figures from different machines are not confused. */
export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function emit(measure: Record<string, unknown>): void {
  process.stdout.write(
    `${JSON.stringify({ ...measure, machine: machine(), at: new Date().toISOString() })}\n`,
  );
}

export const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
