import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogLevel } from './log-levels.js';

export type { Logger };
export { isLogLevel, LOG_LEVELS, type LogLevel } from './log-levels.js';

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; the CLI passes its stdout. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Human-readable lines instead of JSON; default: when the stream is a terminal. */
  pretty?: boolean;
}

/**
 * The process logger, created once by the entry point and handed down (AppSettings, command
 * options): JSON lines for log collectors, pino-pretty's colourised lines on a terminal.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty ?? options.stream.isTTY === true;
  const base = { level: options.level ?? 'info', base: { pid: process.pid }, name: 'newsgate' };
  if (!pretty) return pino(base, options.stream);
  // In-process and synchronous (no transport worker), so lines keep their order with the CLI's own output.
  // Loaded only for a terminal: every other command and every piped serve skips its start-up cost.
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(base, prettyStream({ destination: options.stream, sync: true, colorize: options.stream.isTTY === true, ignore: 'pid,name' }));
}

/** For apps built without a logger (tests, one-shot commands): logs nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
