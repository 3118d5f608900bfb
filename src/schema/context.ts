import type { Db } from '../db/client.js';
import type { ArticleEvents } from '../events/articles.js';
import type { IngestInput, IngestOutcome } from '../ingest/pipeline.js';
import type { Loaders } from '../loaders/index.js';
import type { Logger } from '../log.js';

/** Everything a resolver may use for one request. Built fresh per request by server.ts. */
export interface Context {
  db: Db;
  /** Per-request DataLoaders: every relation resolves through these. */
  loaders: Loaders;
  /** Runs the ingest pipeline for one page. */
  ingest: (input: IngestInput) => Promise<IngestOutcome>;
  /** Announcements of stored articles, for `articleAdded`. */
  articleEvents: ArticleEvents;
  /** Largest accepted `raw` page in UTF-8 bytes. */
  maxPageBytes: number;
  /** This request's logger: every line carries its request id. */
  log: Logger;
  /** The request id, as sent back in the `x-request-id` header. */
  requestId: string | null;
}
