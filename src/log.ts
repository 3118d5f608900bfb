import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { Config } from './config.js';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries `bindings`, e.g. the request id. */
  child(bindings: Record<string, unknown>): Logger;
}

// Never written by this code; listed so a field added later under one of these names is censored, not shipped.
const REDACT = ['authorization', 'headers.authorization', '*.authorization', 'variables', '*.variables', 'password', '*.password'];

let stderr: DestinationStream | undefined;

/**
 * One JSON object per line (pino), on stderr by default: the CLI keeps stdout for its progress and summary.
 * `destination` lets tests read the lines.
 */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  // One stderr stream for the process, however many loggers (tests build many servers).
  stderr ??= pino.destination({ fd: 2, sync: true });
  return wrap(
    pino(
      {
        level,
        timestamp: pino.stdTimeFunctions.isoTime,
        // Level names rather than numbers, as the lines read before pino.
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACT, censor: '[redacted]' },
      },
      destination ?? stderr,
    ),
  );
}

function wrap(p: Pino): Logger {
  return {
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
    child: (bindings) => wrap(p.child(bindings)),
  };
}
