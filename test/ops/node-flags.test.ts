import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_ENV, GATEWAY_ENV_WORDS, GATEWAY_NODE_FLAGS } from '../../src/ops/node-flags.js';
import { BIN } from '../helpers/run-cli.js';

// The gateway's V8 options and environment (src/ops/node-flags.ts) reach every way it is started.
describe('the V8 options and environment the gateway runs with', () => {
  it('are in the shebang of `newsgate` and in `npm start` and `npm run demo`', () => {
    const shebang = readFileSync(BIN, 'utf8').split('\n', 1)[0];
    // env -S: the variables, then node with its options
    expect(shebang).toBe(`#!/usr/bin/env -S ${[...GATEWAY_ENV_WORDS, 'node', ...GATEWAY_NODE_FLAGS].join(' ')}`);
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    const command = `${[...GATEWAY_ENV_WORDS, 'node', ...GATEWAY_NODE_FLAGS].join(' ')} dist/newsgate.js`;
    expect(scripts.start).toBe(`${command} serve`);
    expect(scripts.demo).toContain(`${command} demo`);
  });

  it('take effect when the bin is run as a program (old generation limited to 1 GiB, malloc environment set)', () => {
    accessSync(BIN, constants.X_OK);
    // A module preloaded through NODE_OPTIONS reports on the process the shebang started.
    const probe = join(mkdtempSync(join(tmpdir(), 'newsgate-flags-')), 'probe.cjs');
    writeFileSync(
      probe,
      "process.stderr.write('probe=' + JSON.stringify({ limit: Math.round(require('v8').getHeapStatistics().heap_size_limit / 1048576), execArgv: process.execArgv, env: process.env }) + '\\n');",
    );
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${probe}` };
    for (const name of Object.keys(GATEWAY_ENV)) delete env[name];
    const run = spawnSync(BIN, ['--help'], { encoding: 'utf8', env });
    expect(run.status).toBe(0);
    const probed = JSON.parse(/probe=(.*)/.exec(run.stderr)![1]) as { limit: number; execArgv: string[]; env: Record<string, string> };
    // The old generation's 1,024 MB plus the young generation's semi-spaces.
    expect(probed.limit).toBeGreaterThanOrEqual(1024);
    expect(probed.limit).toBeLessThan(1200);
    expect(probed.execArgv).toEqual(expect.arrayContaining([...GATEWAY_NODE_FLAGS]));
    expect(probed.env).toMatchObject(GATEWAY_ENV);
  });
});
