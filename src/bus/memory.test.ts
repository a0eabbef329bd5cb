import { describe, expect, it } from 'vitest';
import { MemoryBus } from './memory.ts';
import { BusFullError } from './port.ts';

const msg = (key: string) => ({ key, value: new TextEncoder().encode(key) });

describe('MemoryBus', () => {
  it('delivers in order to each group and waits for new messages', async () => {
    const bus = new MemoryBus(10);
    const consumer = bus.subscribe('t', 'g', 2);
    const waiting = consumer.poll(5_000);
    await bus.send('t', [msg('a'), msg('b'), msg('c')]);
    expect((await waiting).map((r) => [r.key, r.offset])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect((await consumer.poll(0)).map((r) => r.key)).toEqual(['c']);
    expect(await consumer.poll(10)).toEqual([]);
  });

  it('applies backpressure: refuses a whole send while the slowest group is full', async () => {
    const bus = new MemoryBus(3);
    const consumer = bus.subscribe('t', 'g', 10);
    await bus.send('t', [msg('a'), msg('b')]);
    await expect(bus.send('t', [msg('c'), msg('d')])).rejects.toBeInstanceOf(BusFullError);
    expect(consumer.lag()).toBe(2);
    await consumer.poll(0);
    await bus.send('t', [msg('c'), msg('d')]);
    expect((await consumer.poll(0)).map((r) => r.key)).toEqual(['c', 'd']);
  });

  it('keeps uncommitted records and counts them as lag', async () => {
    const bus = new MemoryBus(10);
    const consumer = bus.subscribe('t', 'g', 10);
    await bus.send('t', [msg('a'), msg('b'), msg('c')]);
    await consumer.poll(0);
    expect(consumer.lag()).toBe(3);
    await consumer.commit(new Map([[0, 2]]));
    expect(consumer.lag()).toBe(1);
  });

  it('keeps the newest messages of a topic nobody consumes, and a new group reads them', async () => {
    const bus = new MemoryBus(2);
    await bus.send('dlq', [msg('a'), msg('b'), msg('c')]);
    const consumer = bus.subscribe('dlq', 'inspect', 10);
    expect((await consumer.poll(0)).map((r) => [r.key, r.offset])).toEqual([
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('tells records not yet polled (backlog) from records not yet committed (lag)', async () => {
    const bus = new MemoryBus(10);
    const consumer = bus.subscribe('t', 'g', 2);
    await bus.send('t', [msg('a'), msg('b'), msg('c')]);
    expect([consumer.backlog(), consumer.lag()]).toEqual([3, 3]);
    await consumer.poll(0);
    expect([consumer.backlog(), consumer.lag()]).toEqual([1, 3]);
    await consumer.commit(new Map([[0, 2]]));
    expect([consumer.backlog(), consumer.lag()]).toEqual([1, 1]);
    await consumer.poll(0);
    expect([consumer.backlog(), consumer.lag()]).toEqual([0, 1]);
  });
});

describe('MemoryBus.ping', () => {
  it('answers the deepest queue of undelivered messages against the capacity', async () => {
    const bus = new MemoryBus(10);
    expect(await bus.ping()).toBe('memory bus, 0 of 10 messages queued');
    const readings = bus.subscribe('readings', 'process', 2);
    bus.subscribe('alerts', 'notify', 10);
    await bus.send('readings', [msg('a'), msg('b'), msg('c')]);
    await bus.send('alerts', [msg('x')]);
    // A topic nobody consumes is retention, not a queue: it does not count.
    await bus.send('dlq', [msg('d1'), msg('d2'), msg('d3'), msg('d4'), msg('d5')]);
    expect(await bus.ping()).toBe('memory bus, 3 of 10 messages queued (deepest: readings)');
    await readings.poll(0);
    expect(await bus.ping()).toBe('memory bus, 1 of 10 messages queued (deepest: readings)');
  });

  it('throws once closed', async () => {
    const bus = new MemoryBus(10);
    await bus.close();
    await expect(bus.ping()).rejects.toThrow('memory bus is closed');
  });
});
