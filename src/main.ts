#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=1048576 MALLOC_ARENA_MAX=1 node --max-old-space-size=1024 --max-semi-space-size=8
import { runCli } from './cli.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`newsgate: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(() => {
    // The command is over: a connection some error path left open must not keep the process
    // alive doing nothing (output still drains first; the timer itself holds nothing open).
    setTimeout(() => process.exit(), 2000).unref();
  });
