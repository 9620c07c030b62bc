export interface LimiterOptions {
  /** Maximum tasks running at once across all hosts. */
  global: number;
  /** Maximum tasks running at once for one host, so one slow site cannot hog the pool. */
  perHost: number;
}

export interface Limiter {
  /**
   * Runs `task` once a global slot and a slot for `host` are free. If `signal` aborts while the task is
   * still queued, it is dropped and the promise rejects with the signal's reason.
   */
  run<T>(host: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly activeCount: number;
  readonly pendingCount: number;
}

interface Waiter {
  host: string;
  start: () => void;
}

export function createLimiter(options: LimiterOptions): Limiter {
  assertPositiveInteger('global', options.global);
  assertPositiveInteger('perHost', options.perHost);

  const queue: Waiter[] = [];
  const activeByHost = new Map<string, number>();
  let active = 0;

  const hasRoomFor = (host: string) =>
    active < options.global && (activeByHost.get(host) ?? 0) < options.perHost;

  const acquire = (host: string) => {
    active += 1;
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
  };

  const release = (host: string) => {
    active -= 1;
    const left = (activeByHost.get(host) ?? 1) - 1;
    if (left === 0) activeByHost.delete(host);
    else activeByHost.set(host, left);
    startEligible();
  };

  // Oldest eligible waiter wins; waiters for a saturated host are skipped rather than
  // blocking the whole queue, which would let one busy host stall every other feed.
  const startEligible = () => {
    for (let i = 0; i < queue.length && active < options.global; ) {
      const waiter = queue[i];
      if (hasRoomFor(waiter.host)) {
        queue.splice(i, 1);
        acquire(waiter.host);
        waiter.start();
      } else {
        i += 1;
      }
    }
  };

  const runNow = async <T>(host: string, task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } finally {
      release(host);
    }
  };

  return {
    run<T>(rawHost: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const host = rawHost.toLowerCase();
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index !== -1) queue.splice(index, 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          host,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            runNow(host, task).then(resolve, reject);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        // Always enqueue first: every queued waiter is ineligible between calls, so this keeps FIFO order.
        queue.push(waiter);
        startEligible();
      });
    },
    get activeCount() {
      return active;
    },
    get pendingCount() {
      return queue.length;
    },
  };
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`limiter ${name} must be a positive integer, got ${value}`);
  }
}
