import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articles } from '../db/schema.js';
import { relateBatch, type Profile } from '../graph/relate.js';
import { assignStorylines } from '../graph/storyline.js';
import { extract } from './extract/index.js';
import { contentHash } from './normalize.js';
import { ParseError, parseDocument } from './parse/index.js';
import { PeopleRace } from './store-people.js';
import { storeArticle, storeArticles, UrlTaken, type StoreResult, type StoreStatus } from './store.js';
import { ensureTaxonomy } from './taxonomy.js';
import { bodyOf, type Extraction, type InputFormat, type ParsedDocument } from './types.js';

export interface IngestInput {
  raw: string;
  url?: string | null;
  source?: string | null;
  /** Reads the page as this format instead of detecting it. */
  format?: InputFormat | null;
}

export type IngestOutcome =
  | { status: StoreStatus; articleId: number }
  | { status: 'failed'; field: 'raw' | 'url' | 'format'; reason: string };

export const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;

export interface IngestOptions {
  /** Largest accepted page, in UTF-8 bytes. */
  maxBytes?: number;
  /**
   * Called after a transaction commits, with the articles it created or updated (never unchanged or failed
   * ones). Wired by the server and the CLI to announce live updates; an error it throws is not the ingest's.
   */
  onStored?: (articleIds: number[]) => void;
}

/** Reasons a page is refused before parsing; null when it may go on. */
export function validateInput(input: IngestInput, maxBytes: number): { field: 'raw' | 'url'; reason: string } | null {
  const bytes = Buffer.byteLength(input.raw, 'utf8');
  if (bytes > maxBytes) {
    return { field: 'raw', reason: `raw is ${bytes} bytes; the limit is ${maxBytes} bytes` };
  }
  if (input.raw.trim().length === 0) return { field: 'raw', reason: 'raw is empty: send the text of a news page' };
  if (input.url != null) {
    let ok = false;
    try {
      const u = new URL(input.url);
      ok = u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) return { field: 'url', reason: `url "${input.url.slice(0, 200)}" is not an absolute http(s) URL` };
  }
  return null;
}

export type Prepared =
  | { ok: true; raw: string; doc: ParsedDocument; extraction: Extraction }
  | { ok: false; outcome: IngestOutcome };

/** The pure half of the pipeline: validate, parse and extract, with no database. */
export function prepare(input: IngestInput, options: IngestOptions = {}): Prepared {
  const invalid = validateInput(input, options.maxBytes ?? DEFAULT_MAX_PAGE_BYTES);
  if (invalid) return { ok: false, outcome: { status: 'failed', ...invalid } };
  try {
    const doc = parseDocument(input.raw, { url: input.url ?? null, source: input.source ?? null, format: input.format ?? null });
    return { ok: true, raw: input.raw, doc, extraction: extract(doc) };
  } catch (error) {
    if (error instanceof ParseError) {
      return { ok: false, outcome: { status: 'failed', field: error.reason === 'bad-option' ? 'format' : 'raw', reason: error.message } };
    }
    throw error;
  }
}

/**
 * PostgreSQL's "try again" errors, a deadlock or a serialization failure between concurrent ingests, and a
 * person created by a concurrent ingest while a batch resolved its people.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof PeopleRace) return true;
  const code = (error as { code?: unknown; cause?: { code?: unknown } })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === '40P01' || code === '40001';
}

type Ready = Extract<Prepared, { ok: true }> & {
  /** Its URL names a stored article (or an earlier page of the batch) that it will replace. */
  replaces?: boolean;
};

/** Flags the pages whose URL (the one parsing settled on) is already stored or comes earlier in the batch. */
async function markReplacements(db: Db, items: Ready[]): Promise<void> {
  const urls = [...new Set(items.flatMap((i) => (i.doc.url ? [i.doc.url] : [])))];
  if (urls.length === 0) return;
  const rows = await db.select({ url: articles.url }).from(articles).where(inArray(articles.url, urls));
  const seen = new Set(rows.map((r) => r.url));
  for (const item of items) {
    if (item.doc.url === null) continue;
    item.replaces = seen.has(item.doc.url);
    seen.add(item.doc.url);
  }
}

/** A page turned out to replace an article that appeared after the batch was planned: plan it again. */
class ReplacementRace extends Error {}

/**
 * Stores the pages in one transaction and relates them. Relating waits until a run of pages is stored and
 * then takes the run at once (graph/relate.ts gives each page what relating it right after storing it
 * would). A page that replaces a stored article is related on its own, before the pages after it are
 * stored: the ones before it must still see the article it replaces.
 */
async function storeAll(db: Db, items: Ready[]): Promise<IngestOutcome[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(async (trx) => {
        const tx = trx as unknown as Db;
        const outcomes: IngestOutcome[] = [];
        let run: { item: Ready; profile: Profile }[] = [];
        const relateRun = async () => {
          if (run.length === 0) return;
          const related = await relateBatch(
            tx,
            run.map(({ item, profile }) => ({ profile, text: `${item.doc.headline}\n${bodyOf(item.doc)}` })),
          );
          await assignStorylines(
            tx,
            run.map(({ item, profile }, i) => ({ articleId: profile.id, publishedAt: item.doc.publishedAt, related: related[i]! })),
          );
          run = [];
        };
        for (let start = 0; start < items.length; ) {
          const item = items[start]!;
          if (item.replaces) {
            await relateRun();
            const stored = await storeArticle(tx, item.raw, item.doc, item.extraction);
            if (stored.status !== 'unchanged') run.push({ item, profile: stored.profile! });
            if (stored.status === 'updated') await relateRun();
            outcomes.push({ status: stored.status, articleId: stored.articleId });
            start += 1;
            continue;
          }
          // The pages up to the next replacement are stored together.
          let end = start + 1;
          while (end < items.length && !items[end]!.replaces) end += 1;
          const pages = items.slice(start, end);
          let stored: StoreResult[];
          try {
            stored = await storeArticles(tx, pages);
          } catch (error) {
            if (!(error instanceof UrlTaken)) throw error;
            pages[error.index]!.replaces = true;
            throw new ReplacementRace();
          }
          stored.forEach((s, i) => {
            if (s.status !== 'unchanged') run.push({ item: pages[i]!, profile: s.profile! });
            outcomes.push({ status: s.status, articleId: s.articleId });
          });
          start = end;
        }
        await relateRun();
        return outcomes;
      });
    } catch (error) {
      if (error instanceof ReplacementRace) attempt -= 1;
      else if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
}

/**
 * parse → extract → store → relate for one page. Parsing and extraction happen before the transaction opens;
 * storing and relating share one transaction, so a failure leaves nothing behind.
 */
export async function ingestRaw(db: Db, input: IngestInput, options: IngestOptions = {}): Promise<IngestOutcome> {
  const prepared = prepare(input, options);
  if (!prepared.ok) return prepared.outcome;
  await ensureTaxonomy(db);
  const [outcome] = await storeAll(db, [prepared]);
  notifyStored([outcome!], options.onStored);
  return outcome!;
}

/**
 * Ingests many pages with one transaction for the batch. If the batch transaction fails, nothing of it is
 * kept and each page is tried again on its own, so one bad page costs only itself: its outcome says why.
 */
export async function ingestBatch(db: Db, inputs: IngestInput[], options: IngestOptions = {}): Promise<IngestOutcome[]> {
  return storePlanned(db, await planBatch(db, inputs, options), options);
}

/** Validates, parses and extracts pages; a page whose extraction throws fails alone. */
export type PrepareMany = (inputs: IngestInput[], options: { maxBytes?: number }) => Promise<Prepared[]>;

export function prepareEach(inputs: IngestInput[], options: { maxBytes?: number }): Prepared[] {
  return inputs.map((input): Prepared => {
    try {
      return prepare(input, options);
    } catch (error) {
      return { ok: false, outcome: { status: 'failed', field: 'raw', reason: `extraction failed: ${message(error)}` } };
    }
  });
}

/**
 * The first half of ingestBatch: pages already stored are answered from one lookup, without parsing or
 * extracting them again; the rest go through `prepareMany` (in this thread unless the caller has workers).
 * Nothing is written, so the next batch can be planned while the previous one is being stored.
 */
export async function planBatch(
  db: Db,
  inputs: IngestInput[],
  options: IngestOptions = {},
  prepareMany: PrepareMany = async (todo, opts) => prepareEach(todo, opts),
): Promise<Prepared[]> {
  const hashes = inputs.map((i) => contentHash(i.raw));
  const stored = hashes.length
    ? await db.select({ id: articles.id, hash: articles.contentHash }).from(articles).where(inArray(articles.contentHash, hashes))
    : [];
  const known = new Map(stored.map((r) => [r.hash, r.id]));
  const todo = inputs.filter((_, i) => !known.has(hashes[i]!));
  const done = todo.length ? await prepareMany(todo, { maxBytes: options.maxBytes }) : [];
  let next = 0;
  return inputs.map((_, i): Prepared => {
    const id = known.get(hashes[i]!);
    return id !== undefined ? { ok: false, outcome: { status: 'unchanged', articleId: id } } : done[next++]!;
  });
}

/**
 * The second half: stores the planned pages with one transaction for the batch. If the batch transaction
 * fails, nothing of it is kept and each page is tried again on its own, so one bad page costs only itself:
 * its outcome says why.
 */
export async function storePlanned(db: Db, prepared: Prepared[], options: IngestOptions = {}): Promise<IngestOutcome[]> {
  const ready = prepared.filter((p): p is Ready => p.ok);
  await markReplacements(db, ready);
  if (ready.length > 0) await ensureTaxonomy(db);
  let written: IngestOutcome[];
  try {
    written = ready.length > 0 ? await storeAll(db, ready) : [];
  } catch (error) {
    if (ready.length === 1) written = [{ status: 'failed', field: 'raw', reason: `storing failed: ${message(error)}` }];
    else {
      written = [];
      for (const item of ready) {
        try {
          written.push(...(await storeAll(db, [item])));
        } catch (itemError) {
          written.push({ status: 'failed', field: 'raw', reason: `storing failed: ${message(itemError)}` });
        }
      }
    }
  }
  notifyStored(written, options.onStored);
  let next = 0;
  return prepared.map((p) => (p.ok ? written[next++]! : p.outcome));
}

/** Runs only once every transaction behind `outcomes` has committed. */
function notifyStored(outcomes: IngestOutcome[], onStored: IngestOptions['onStored']): void {
  if (!onStored) return;
  const ids = outcomes.filter((o) => o.status === 'created' || o.status === 'updated').map((o) => (o as { articleId: number }).articleId);
  if (ids.length === 0) return;
  try {
    onStored(ids);
  } catch {
    // The pages are stored; a failing listener must not turn a committed ingest into an error.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
