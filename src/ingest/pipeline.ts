import type { Db } from '../db/client.js';
import { relateArticle } from '../graph/relate.js';
import { extract } from './extract/index.js';
import { ParseError, parseDocument } from './parse/index.js';
import { storeArticle, type StoreStatus } from './store.js';
import { ensureTaxonomy } from './taxonomy.js';

export interface IngestInput {
  raw: string;
  url?: string | null;
  source?: string | null;
}

export type IngestOutcome =
  | { status: StoreStatus; articleId: number }
  | { status: 'failed'; field: 'raw' | 'url'; reason: string };

export const DEFAULT_MAX_PAGE_BYTES = 2 * 1024 * 1024;

export interface IngestOptions {
  /** Largest accepted page, in UTF-8 bytes. */
  maxBytes?: number;
}

/** Reasons a page is refused before parsing; null when it may go on. */
export function validateInput(input: IngestInput, maxBytes: number): { field: 'raw' | 'url'; reason: string } | null {
  const bytes = Buffer.byteLength(input.raw, 'utf8');
  if (bytes > maxBytes) {
    return { field: 'raw', reason: `raw is ${bytes} bytes; the limit is ${maxBytes} bytes` };
  }
  if (input.raw.trim().length === 0) return { field: 'raw', reason: 'raw is empty: send the text of a news page' };
  // Text never carries NUL or most C0 controls; a page full of them is a binary file sent by mistake.
  const controls = input.raw.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (input.raw.includes('\u0000') || controls > Math.max(8, input.raw.length * 0.01)) {
    return { field: 'raw', reason: `raw looks like binary data (${controls} control or undecodable characters), not the text of a news page` };
  }
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

/**
 * parse → extract → store → relate for one page. Parsing and extraction happen before the transaction opens;
 * storing and relating share one transaction, so a failure leaves nothing behind.
 */
export async function ingestRaw(db: Db, input: IngestInput, options: IngestOptions = {}): Promise<IngestOutcome> {
  const invalid = validateInput(input, options.maxBytes ?? DEFAULT_MAX_PAGE_BYTES);
  if (invalid) return { status: 'failed', ...invalid };

  let doc;
  try {
    doc = parseDocument(input.raw, { url: input.url ?? null, source: input.source ?? null });
  } catch (error) {
    if (error instanceof ParseError) return { status: 'failed', field: 'raw', reason: error.message };
    throw error;
  }
  const extraction = extract(doc);

  await ensureTaxonomy(db);
  return db.transaction(async (tx) => {
    const stored = await storeArticle(tx as unknown as Db, input.raw, doc, extraction);
    if (stored.status !== 'unchanged') await relateArticle(tx as unknown as Db, stored.articleId);
    return stored;
  });
}
