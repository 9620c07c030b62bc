import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/ingest/limiter.js';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function createDeferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('createLimiter', () => {
  it('never exceeds the global or per-host limit', async () => {
    const limiter = createLimiter({ global: 3, perHost: 2 });
    const active = new Map<string, number>();
    let activeTotal = 0;
    let maxTotal = 0;
    const maxPerHost = new Map<string, number>();
    const hosts = ['a', 'b', 'c', 'a', 'a', 'b', 'c', 'a', 'b', 'b', 'c', 'a'];
    const tasks = hosts.map((host, i) =>
      limiter.run(host, async () => {
        activeTotal += 1;
        active.set(host, (active.get(host) ?? 0) + 1);
        maxTotal = Math.max(maxTotal, activeTotal);
        maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, active.get(host)!));
        await new Promise((r) => setTimeout(r, 5 + (i % 3) * 5));
        activeTotal -= 1;
        active.set(host, active.get(host)! - 1);
        return i;
      }),
    );
    expect(await Promise.all(tasks)).toEqual(hosts.map((_, i) => i));
    expect(maxTotal).toBe(3);
    for (const host of ['a', 'b', 'c']) expect(maxPerHost.get(host)).toBeLessThanOrEqual(2);
    expect(limiter.activeCount).toBe(0);
    expect(limiter.pendingCount).toBe(0);
  });

  it('starts queued tasks in FIFO order per host', async () => {
    const limiter = createLimiter({ global: 10, perHost: 1 });
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, createDeferred);
    const runs = gates.map((gate, i) =>
      limiter.run('example.com', async () => {
        started.push(i);
        await gate.promise;
      }),
    );
    for (const gate of gates) {
      await flush();
      gate.resolve();
    }
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('lets another host overtake a saturated one but keeps global FIFO among eligible waiters', async () => {
    const limiter = createLimiter({ global: 2, perHost: 1 });
    const started: string[] = [];
    const gates = new Map<string, Deferred>();
    const run = (host: string, id: string) =>
      limiter.run(host, async () => {
        started.push(id);
        const gate = createDeferred();
        gates.set(id, gate);
        await gate.promise;
      });
    const all = [run('a', 'a1'), run('a', 'a2'), run('b', 'b1'), run('c', 'c1'), run('a', 'a3')];
    await flush();
    // a2 waits for host a; b1 takes the second global slot even though a2 queued first.
    expect(started).toEqual(['a1', 'b1']);
    expect(limiter.pendingCount).toBe(3);
    gates.get('b1')!.resolve();
    await flush();
    // a2 is still blocked by a1, so c1 (next eligible in order) starts.
    expect(started).toEqual(['a1', 'b1', 'c1']);
    gates.get('a1')!.resolve();
    await flush();
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
    gates.get('a2')!.resolve();
    await flush();
    gates.get('c1')!.resolve();
    await flush();
    gates.get('a3')!.resolve();
    await Promise.all(all);
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  it('treats host names case-insensitively', async () => {
    const limiter = createLimiter({ global: 5, perHost: 1 });
    const gate = createDeferred();
    const first = limiter.run('Example.COM', () => gate.promise);
    const second = limiter.run('example.com', async () => 'second');
    await flush();
    expect(limiter.activeCount).toBe(1);
    expect(limiter.pendingCount).toBe(1);
    gate.resolve();
    await first;
    expect(await second).toBe('second');
  });

  it('releases the slot when a task throws, synchronously or not', async () => {
    const limiter = createLimiter({ global: 1, perHost: 1 });
    await expect(
      limiter.run('h', () => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    await expect(limiter.run('h', async () => Promise.reject(new Error('async boom')))).rejects.toThrow('async boom');
    expect(await limiter.run('h', async () => 42)).toBe(42);
    expect(limiter.activeCount).toBe(0);
  });

  it('drops a queued task when its signal aborts', async () => {
    const limiter = createLimiter({ global: 1, perHost: 1 });
    const gate = createDeferred();
    const first = limiter.run('h', () => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(
      'h',
      async () => {
        ran = true;
      },
      controller.signal,
    );
    controller.abort(new Error('shutdown'));
    await expect(second).rejects.toThrow('shutdown');
    expect(limiter.pendingCount).toBe(0);
    gate.resolve();
    await first;
    expect(ran).toBe(false);
  });

  it('rejects invalid limits', () => {
    expect(() => createLimiter({ global: 0, perHost: 1 })).toThrow(RangeError);
    expect(() => createLimiter({ global: 2, perHost: 1.5 })).toThrow(RangeError);
  });
});
