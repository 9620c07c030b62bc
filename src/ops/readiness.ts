import type { Store } from '../store/database.js';
import { latestMigration } from '../store/migrations/index.js';
import { lastAppliedMigration, probeDatabaseFile } from '../store/stats.js';

/** What readiness needs of the scheduler: that it keeps ticking. */
export interface SchedulerProbe {
  lastTickAt(): number;
  inFlight?(): number;
}

export type CheckStatus = 'ok' | 'fail' | 'disabled';

export interface CheckResult {
  status: CheckStatus;
  [detail: string]: unknown;
}

export interface Readiness {
  status: 'ok' | 'fail';
  /** Names of the checks that failed. */
  failing: string[];
  checks: { database: CheckResult; migrations: CheckResult; scheduler: CheckResult };
}

export interface ReadinessInput {
  store: Pick<Store, 'db' | 'file'>;
  /** fileIdentity(store.file) when the store was opened: a different file at that path fails. */
  fileIdentity?: string | null;
  /** The running scheduler; 'disabled' when nothing polls in this process (--no-poll, tests). */
  scheduler: SchedulerProbe | 'disabled';
  /** How long the scheduler may go without a completed pass; default 60 s (it ticks every 5 s). */
  schedulerStaleMs?: number;
  now?: number;
}

/**
 * /readyz: the database answers on the app's connection and its file opens afresh, the
 * migrations recorded in it are the ones this build ships, and the scheduler still ticks.
 */
export async function checkReadiness(input: ReadinessInput): Promise<Readiness> {
  const now = input.now ?? Date.now();
  const checks: Readiness['checks'] = {
    database: await check(async () => {
      await input.store.db.selectFrom('sources').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      probeDatabaseFile(input.store.file, input.fileIdentity ?? null);
      return { status: 'ok' };
    }),
    migrations: await check(async () => {
      const applied = await lastAppliedMigration(input.store.db);
      if (applied === latestMigration) return { status: 'ok', current: applied };
      const why = applied === null ? 'no migrations applied' : applied < latestMigration ? 'migrations pending' : 'database is newer than this build';
      return { status: 'fail', error: why, applied, expected: latestMigration };
    }),
    scheduler: await check(async () => {
      const scheduler = input.scheduler;
      if (scheduler === 'disabled') return { status: 'disabled' };
      const ageMs = now - scheduler.lastTickAt();
      const staleMs = input.schedulerStaleMs ?? 60_000;
      const detail = { lastTickAgoMs: ageMs, inFlight: scheduler.inFlight?.() };
      return ageMs <= staleMs ? { status: 'ok', ...detail } : { status: 'fail', error: `no scheduling pass for ${Math.round(ageMs / 1000)} s`, ...detail };
    }),
  };
  const failing = Object.entries(checks)
    .filter(([, result]) => result.status === 'fail')
    .map(([name]) => name);
  return { status: failing.length === 0 ? 'ok' : 'fail', failing, checks };
}

async function check(run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    return { status: 'fail', error: (error as Error)?.message ?? String(error) };
  }
}
