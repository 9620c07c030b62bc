import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_LEASE_MS, type LeaseOptions } from '../ingest/scheduler.js';

/**
 * How a process claims sources on PostgreSQL, where other instances may poll the same database:
 * a name that says which host and process holds a lease, and the lease's length
 * (NEWSGATE_POLL_LEASE_SECONDS, default 120: longer than a poll's whole-request timeout).
 */
export function pollLease(env: NodeJS.ProcessEnv): Required<Pick<LeaseOptions, 'owner' | 'leaseMs'>> {
  const fallback = DEFAULT_LEASE_MS / 1000;
  const value = Number(env.NEWSGATE_POLL_LEASE_SECONDS ?? fallback);
  const seconds = Number.isFinite(value) && value >= 1 ? value : fallback;
  return { owner: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`, leaseMs: seconds * 1000 };
}
