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

/** Registers the W1 fleet through the API: 1 000 assets × 10 scalar sensors, `a<n>.s<m>`. */
export async function registerW1Fleet(apiUrl: string, token: string): Promise<void> {
  const put = async (a: number) => {
    const response = await fetch(`${apiUrl}/v1/assets/a${a}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        siteId: 'bench',
        lineId: 'line-1',
        name: `a${a}`,
        kind: 'pump',
        sensors: Array.from({ length: 10 }, (_, s) => ({
          id: `a${a}.s${s}`,
          kind: 'other',
          unit: 'u',
          sampleRateHz: 1,
          validMin: -1000,
          validMax: 1000,
        })),
      }),
    });
    if (!response.ok) throw new Error(`register a${a}: ${response.status}`);
  };
  for (let a = 0; a < 1000; a += 20) await Promise.all(Array.from({ length: 20 }, (_, i) => put(a + i)));
}

/** p-quantile of a histogram in a /metrics text, interpolated within buckets as histogram_quantile() does. */
export function histogramQuantile(metrics: string, name: string, q: number): number {
  const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`, 'gm'))].map(
    (m) => ({
      le: m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]),
      count: Number(m[2]),
    }),
  );
  const rank = q * (buckets.at(-1)?.count ?? 0);
  let previous = { le: 0, count: 0 };
  for (const b of buckets) {
    if (b.count >= rank) {
      return Number.isFinite(b.le)
        ? previous.le +
            ((b.le - previous.le) * (rank - previous.count)) / Math.max(1, b.count - previous.count)
        : previous.le;
    }
    previous = b;
  }
  return Number.NaN;
}
