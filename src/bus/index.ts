import { MemoryBus } from './memory.ts';
import type { Bus } from './port.ts';

export interface BusSettings {
  url: string;
  capacity: number;
}

/** Picks the bus adapter from the URL scheme. */
export function createBus(settings: BusSettings): Bus {
  if (settings.url.startsWith('memory:')) return new MemoryBus(settings.capacity);
  throw new Error(`no bus adapter for ${settings.url}`);
}
