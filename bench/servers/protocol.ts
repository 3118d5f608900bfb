/** Messages between the benchmark and a server it forked (over the child's IPC channel). */
export type ToServer = { type: 'stats' };
export type FromServer =
  | { type: 'ready'; port: number }
  | { type: 'stats'; statements: number | null }
  | { type: 'failed'; message: string };

/** What a server child is told, as JSON in argv[2]. */
export interface ServerArgs {
  databaseUrl: string;
  /** Extra environment for the service's configuration (ours only), e.g. { RESPONSE_CACHE: 'true' }. */
  env?: Record<string, string>;
  /** Schemas PostGraphile introspects. */
  schemas?: string[];
}

export function send(message: FromServer): void {
  process.send?.(message);
}

export function readArgs(): ServerArgs {
  return JSON.parse(process.argv[2] ?? '{}') as ServerArgs;
}
