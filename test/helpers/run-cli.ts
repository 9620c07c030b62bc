import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The CLI as users run it: the built bin (npm test builds it first). */
export const BIN = join(process.cwd(), 'dist/newsgate.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous on purpose: fixture servers live in the test process and must keep answering. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
