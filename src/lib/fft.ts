/**
 * fft.js transforms, Hann windows and work arrays shared by the spectrum and the envelope analysis, bounded by
 * size: a block's length is the sender's choice, so an unbounded cache would grow with every length a client
 * tries. A fleet uses a few lengths; 16 keeps them all warm.
 *
 * Work arrays are plain arrays, never typed ones: fft.js is written for the arrays its `createComplexArray`
 * makes, and handing its transforms both kinds makes them polymorphic — a 4096-point real transform measured
 * about 35 µs on arrays alone and 2–3× that once typed arrays had gone through it too (bench/diagnostics.ts).
 */
import FFT from 'fft.js';
import { LruCache } from './lru.ts';

export const FFT_CACHE_ENTRIES = 16;
const transforms = new LruCache<number, FFT>(FFT_CACHE_ENTRIES);
const hannWindows = new LruCache<number, Float64Array>(FFT_CACHE_ENTRIES);
const work = new LruCache<number, number[][]>(2 * FFT_CACHE_ENTRIES);

/** The transform of `size` points (a power of two ≥ 4). */
export const transformOf = (size: number): FFT => transforms.getOrSet(size, () => new FFT(size));

/** The smallest power of two ≥ `n`, at least 4 (fft.js's radix-4 transform needs one). */
export const nextPowerOfTwo = (n: number): number => Math.max(4, 2 ** Math.ceil(Math.log2(n)));

/** The periodic Hann window of `length` samples, w[i] = ½ − ½ cos(2πi / length). */
export function hann(length: number): Float64Array {
  return hannWindows.getOrSet(length, () => {
    const w = new Float64Array(length);
    for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
    return w;
  });
}

/** How many Hann window lengths are cached now (at most FFT_CACHE_ENTRIES). */
export const cachedWindowLengths = (): number => hannWindows.size;

/**
 * Work array number `which` of `length` elements, reused from call to call instead of allocated: the
 * transforms are synchronous, and no caller keeps one past its own return. Its content is whatever the last
 * user left; callers write every element they read.
 */
export function workArray(length: number, which: number): number[] {
  const set = work.getOrSet(length, () => []);
  while (set.length <= which) set.push(Array.from({ length }, () => 0));
  return set[which];
}
