import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../../src/ops/node-flags.js';
import { BIN } from '../helpers/run-cli.js';

// The gateway's V8 options (src/ops/node-flags.ts) reach every way it is started.
describe('the V8 options the gateway runs with', () => {
  it('are in the shebang of `newsgate` and in `npm start` and `npm run demo`', () => {
    const shebang = readFileSync(BIN, 'utf8').split('\n', 1)[0];
    expect(shebang.startsWith('#!/usr/bin/env -S node ')).toBe(true);
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    for (const flag of GATEWAY_NODE_FLAGS) {
      expect(shebang.split(' ')).toContain(flag);
      expect(scripts.start).toContain(`node ${flag} dist/newsgate.js`);
      expect(scripts.demo).toContain(`node ${flag} dist/newsgate.js`);
    }
  });

  it('take effect when the bin is run as a program (the old generation is limited to 1 GiB)', () => {
    accessSync(BIN, constants.X_OK);
    // A module preloaded through NODE_OPTIONS reports the heap limit of the process the shebang started.
    const probe = join(mkdtempSync(join(tmpdir(), 'newsgate-flags-')), 'probe.cjs');
    writeFileSync(probe, "process.stderr.write('heap-limit-mb=' + Math.round(require('v8').getHeapStatistics().heap_size_limit / 1048576) + '\\n');");
    const run = spawnSync(BIN, ['--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${probe}` } });
    expect(run.status).toBe(0);
    const limit = Number(/heap-limit-mb=(\d+)/.exec(run.stderr)?.[1]);
    // The old generation's 1,024 MB plus the young generation's semi-spaces.
    expect(limit).toBeGreaterThanOrEqual(1024);
    expect(limit).toBeLessThan(1200);
  });
});
