import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import { CSRF_HEADER } from '../../src/security/index.js';
import { DEFAULT_QUERY, type NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { invariantViolations, tableCounts } from '../support/dbState.js';
import { LOOPBACK, testServer } from '../support/graphql.js';
import { generatePage } from '../support/newsPages.js';

/**
 * Property-based fuzzing of the whole server (yoga.fetch in process, every plugin and limit on): generated and
 * mutated GraphQL documents, pages, raw HTTP bodies and a few 5 MB bodies. Every answer must be a clean error
 * or a result, nothing may crash, and afterwards the database must hold exactly what was acknowledged and keep
 * its invariants. The seed is fixed so a failure replays; set FUZZ_SEED to explore other inputs.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(root, '../shared/corpus/bbc');

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status article { id headline quotes { text start end } } userErrors { field message } }
}`;

/** Statuses a well-behaved GraphQL server may answer with; anything else (500, a hang) is a failure. */
const ALLOWED_STATUS = new Set([200, 400, 403, 405, 406, 413, 415]);
const BODYLESS_REFUSALS = new Set([405, 406, 415]);

type Answer = { status: number; json: { data?: unknown; errors?: Array<{ message: unknown; extensions?: { code?: unknown } }> } };

interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  created: Set<string>;
}

function describeInput(input: unknown): string {
  const text = typeof input === 'string' ? input : input instanceof Uint8Array ? `<${input.length} bytes>` : JSON.stringify(input);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/** Sends one request and fails, naming the input and the seed, unless the answer is a clean error or a result. */
async function send(
  yoga: NewsGraphServer,
  tally: Tally,
  label: string,
  request: { body?: string | Uint8Array; method?: 'GET' | 'POST'; query?: string; contentType?: string; accept?: string; csrf?: boolean },
): Promise<Answer> {
  const method = request.method ?? 'POST';
  // URLSearchParams encodes any string, a lone surrogate included (as U+FFFD), where encodeURIComponent throws.
  const url = method === 'GET' ? `http://localhost/graphql?${new URLSearchParams({ query: request.query ?? '' })}` : 'http://localhost/graphql';
  const headers: Record<string, string> = { accept: request.accept ?? 'application/graphql-response+json, application/json' };
  if (method === 'POST') headers['content-type'] = request.contentType ?? 'application/json';
  // Without it CSRF prevention refuses GETs and non-JSON POSTs (403) before the document is even parsed.
  if (request.csrf ?? method === 'GET') headers[CSRF_HEADER] = '1';
  const response = await yoga.fetch(url, { method, headers, body: method === 'POST' ? request.body : undefined }, LOOPBACK);
  const text = await response.text();
  tally.requests += 1;
  tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1);
  const fail = (why: string) => new Error(`${label} (seed ${SEED}): ${why}\n  status ${response.status}, body ${text.slice(0, 400)}\n  input ${describeInput(request.body ?? request.query)}`);
  if (!ALLOWED_STATUS.has(response.status)) throw fail('status outside the allowed set');
  // yoga refuses a method, accept header or content type it does not speak at the HTTP level, with no body.
  if (BODYLESS_REFUSALS.has(response.status) && text === '') return { status: response.status, json: {} };
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    throw fail('body is not JSON');
  }
  if (json === null || typeof json !== 'object') throw fail('body is not a JSON object');
  if (!('data' in json) && !Array.isArray(json.errors)) throw fail('neither data nor errors');
  for (const error of json.errors ?? []) {
    if (typeof error.message !== 'string' || error.message.length === 0) throw fail('an error without a message');
    // The masked message of an exception nobody anticipated: some input reached a code path that threw.
    if (error.message === 'Unexpected error.') throw fail('an unexpected (masked) error');
    if (/\n\s+at .+:\d+:\d+/.test(JSON.stringify(error))) throw fail('a stack trace');
  }
  return { status: response.status, json };
}

function postJson(query: string, variables?: unknown, operationName?: string): string {
  return JSON.stringify({ query, ...(variables === undefined ? {} : { variables }), ...(operationName ? { operationName } : {}) });
}

// ---------------------------------------------------------------- GraphQL documents

const VALID_QUERIES = [
  DEFAULT_QUERY,
  '{ articles(first: 3) { totalCount edges { cursor node { id headline spokespeople { role person { name } quotes { text } } } } } }',
  'query Q($n: Int) { articles(first: $n) { pageInfo { hasNextPage endCursor } edges { node { topics { score topic { slug } } } } } }',
  '{ search(query: "minister") { totalCount edges { node { snippet article { headline } } } } }',
  '{ people(first: 5) { edges { node { name articles(first: 2) { totalCount } } } } }',
  '{ topics { slug name articles(first: 2) { edges { node { headline } } } } }',
  'query N($id: ID!) { node(id: $id) { id ... on Article { headline related(first: 3) { score reasons { kind weight } } } } }',
  '{ __schema { queryType { name } types { name } } }',
];

const identifier = fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,15}$/);

const deepNesting = fc.tuple(fc.integer({ min: 1, max: 60 }), fc.boolean()).map(([depth, known]) =>
  known
    ? `{ articles(first: 1) { edges { node { ${'related(first: 1) { article { '.repeat(depth)}id${' } }'.repeat(depth)} } } } }`
    : `{ ${'a { '.repeat(depth)}b${' }'.repeat(depth)} }`,
);

const aliasBomb = fc.tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom('__typename', 'articles(first: 100) { totalCount }', 'topics { slug }')).map(
  ([count, field]) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`,
);

const fragmentCycle = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom('ArticleConnection', 'Query', 'Nope')).map(([size, on]) => {
  const names = Array.from({ length: size }, (_, i) => `F${i}`);
  const fragments = names.map((name, i) => `fragment ${name} on ${on} { __typename ...${names[(i + 1) % size]} }`);
  const entry = on === 'Query' ? `{ ...F0 }` : `{ articles { ...F0 } }`;
  return [entry, ...fragments].join('\n');
});

const hugeNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom('2147483647', '2147483648', '-1', '0', '1e100', '1.5', '"10"', 'null', '99999999999999999999', 'true', '[1]', '{a: 1}'),
);
const hugeFirst = fc.tuple(hugeNumber, hugeNumber, hugeNumber).map(
  ([a, b, c]) =>
    `{ articles(first: ${a}) { totalCount edges { node { related(first: ${b}) { article { people(first: ${c}) { edges { node { name } } } } } } } } }`,
);

const unknownFields = fc.array(identifier, { minLength: 1, maxLength: 8 }).map((names) => `{ ${names.join(' ')} articles(first: 1) { ${names[0]} } }`);

const invalidVariables = fc.tuple(
  fc.constantFrom(
    'query Q($n: Int) { articles(first: $n) { totalCount } }',
    'query Q($id: ID!) { node(id: $id) { id } }',
    'query Q($q: String!, $n: Int) { search(query: $q, first: $n) { totalCount } }',
    'query Q($f: ArticleFilter) { articles(first: 2, filter: $f) { totalCount } }',
    'mutation M($input: IngestArticleInput!) { ingestArticle(input: $input) { status } }',
    'query Q($x: NoSuchType) { __typename }',
  ),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('n', 'id', 'q', 'f', 'input', 'x', 'zz'), fc.jsonValue({ maxDepth: 2 }))),
);

const directiveSpam = fc.tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom('@include(if: true)', '@skip(if: false)', '@nope', '@include', '@deprecated')).map(
  ([count, directive]) => `{ __typename ${Array(count).fill(directive).join(' ')} articles(first: 1) ${directive} { totalCount } }`,
);

const TOKENS = ['{', '}', '(', ')', '[', ']', 'query', 'mutation', 'subscription', 'fragment', 'on', '...', '$', '@', ':', '!', '=', '|', '&',
  '"', '"""', '#', ',', 'articles', 'first', 'edges', 'node', 'id', 'ingestArticle', '1', '-1e9', '0x1F', 'true', 'null', ' ', '\n', '\t',
  '\u0000', '\u0007', '\ufeff', 'ñ', '😀', '\ud800', '__typename', '__schema'];
const randomTokens = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((tokens) => tokens.join(' '));
const randomText = fc.string({ unit: 'binary', maxLength: 200 });

/** A valid query with a few characters deleted, inserted, duplicated or swapped. */
const mutatedQuery = fc
  .tuple(
    fc.constantFrom(...VALID_QUERIES),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('delete', 'insert', 'duplicate', 'swap'), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 }),
  )
  .map(([query, edits]) => {
    let text = query;
    for (const [at, length, kind, token] of edits) {
      const i = at % (text.length + 1);
      if (kind === 'delete') text = text.slice(0, i) + text.slice(i + length);
      else if (kind === 'insert') text = text.slice(0, i) + token + text.slice(i);
      else if (kind === 'duplicate') text = text.slice(0, i) + text.slice(i, i + length) + text.slice(i);
      else text = text.slice(i, i + length) + text.slice(0, i) + text.slice(i + length);
    }
    return text;
  });

const graphqlRequest = fc.record({
  query: fc.oneof(deepNesting, aliasBomb, fragmentCycle, hugeFirst, unknownFields, directiveSpam, randomTokens, randomText, mutatedQuery, fc.constantFrom(...VALID_QUERIES)),
  variables: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  operationName: fc.option(fc.constantFrom('Q', 'N', 'SampleArticle', 'Nope'), { nil: undefined }),
  method: fc.constantFrom<'GET' | 'POST'>('POST', 'POST', 'POST', 'GET'),
  accept: fc.constantFrom('application/graphql-response+json, application/json', 'application/json', '*/*'),
});

// ---------------------------------------------------------------- pages

function corpusPages(): string[] {
  const pages = [fs.readFileSync(path.join(root, 'data/sample/000_62a88a9f84c9e534.txt'), 'utf8')];
  if (fs.existsSync(CORPUS)) {
    for (const category of ['business', 'politics', 'sport', 'tech', 'entertainment']) {
      for (const name of ['001.txt', '017.txt', '042.txt', '101.txt', '230.txt']) {
        const file = path.join(CORPUS, category, name);
        if (fs.existsSync(file)) pages.push(fs.readFileSync(file, 'latin1'));
      }
    }
  }
  for (let i = 0; i < 20; i += 1) pages.push(generatePage(5_000 + i).raw);
  return pages;
}

const CONTROL = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\r', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ud800', '\udfff'];

type PageEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'control'; at: number; char: string }
  | { kind: 'hugeLine'; at: number; length: number; char: string }
  | { kind: 'crlf' }
  | { kind: 'duplicate'; at: number; length: number };

const pageEdit: fc.Arbitrary<PageEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('control' as const), at: fc.nat(), char: fc.constantFrom(...CONTROL) }),
  fc.record({ kind: fc.constant('hugeLine' as const), at: fc.nat(), length: fc.integer({ min: 10_000, max: 300_000 }), char: fc.constantFrom('x', 'é', ' ', '"', '😀') }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 5_000 }) }),
);

/** Applies edits to a page. Byte flips work on the UTF-8 bytes and decode with replacement, as a server would. */
function mutatePage(page: string, edits: PageEdit[]): string {
  let text = page;
  for (const edit of edits) {
    const at = 'at' in edit ? edit.at % (text.length + 1) : 0;
    switch (edit.kind) {
      case 'truncate':
        text = text.slice(0, at);
        break;
      case 'flip': {
        const bytes = Buffer.from(text, 'utf8');
        if (bytes.length === 0) break;
        bytes[edit.at % bytes.length]! ^= edit.mask;
        text = new TextDecoder('utf-8').decode(bytes);
        break;
      }
      case 'control':
        text = text.slice(0, at) + edit.char + text.slice(at);
        break;
      case 'hugeLine':
        text = `${text.slice(0, at)}\n${edit.char.repeat(edit.length)}\n${text.slice(at)}`;
        break;
      case 'crlf':
        text = text.replace(/\n/g, '\r\n');
        break;
      case 'duplicate':
        text = text.slice(0, at) + text.slice(at, at + edit.length) + text.slice(at);
        break;
    }
  }
  return text;
}

// ---------------------------------------------------------------- the test

describe('fuzzing the server', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let yoga: NewsGraphServer;
  const tally: Tally = { requests: 0, byStatus: new Map(), created: new Set() };
  let articlesBefore = 0;
  const pages = corpusPages();

  beforeAll(async () => {
    handle = await createTestDb();
    yoga = testServer(handle);
    articlesBefore = (await tableCounts(handle.db)).articles!;
  });

  afterAll(async () => {
    await handle?.close();
  });

  /** Records the article an ingest acknowledged creating. */
  function acknowledge(answer: Answer): void {
    const payload = (answer.json.data as { ingestArticle?: { status: string; article: { id: string } | null } } | undefined)?.ingestArticle;
    if (payload?.status === 'CREATED' && payload.article) tally.created.add(payload.article.id);
  }

  // Each property runs in parts of its own seed: vitest's worker reports to the main process within 60 s, and
  // one test running longer than that fails the run ("Timeout calling onTaskUpdate", vitest-dev/vitest#8164).
  const PARTS = [0, 1, 2, 3];

  it.each(PARTS)('answers every generated GraphQL document with a clean error or a result (part %i)', async (part) => {
    await fc.assert(
      fc.asyncProperty(graphqlRequest, async (r) => {
        const label = 'GraphQL document';
        if (r.method === 'GET') await send(yoga, tally, label, { method: 'GET', query: r.query, accept: r.accept });
        else await send(yoga, tally, label, { body: postJson(r.query, r.variables, r.operationName), accept: r.accept });
      }),
      { seed: SEED + part, numRuns: 7_000 / PARTS.length },
    );
  }, 120_000);

  it.each(PARTS)('answers every mutated page given to ingestArticle with a clean error or a result (part %i)', async (part) => {
    const arbitrary = fc.record({
      page: fc.nat({ max: pages.length - 1 }),
      edits: fc.array(pageEdit, { maxLength: 3 }),
      format: fc.constantFrom(null, 'PAGE', 'PLAIN', 'REUTERS', 'HTML', 'XML'),
      url: fc.oneof(fc.constant(null), fc.nat({ max: 30 }).map((n) => `https://fuzz.example.org/${n}`), fc.constantFrom('javascript:alert(1)', '/relative', 'http://', `https://x.org/${'a'.repeat(5_000)}`)),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ page, edits, format, url }) => {
        const raw = mutatePage(pages[page]!, edits);
        const answer = await send(yoga, tally, 'ingested page', { body: postJson(INGEST, { input: { raw, url, format } }) });
        acknowledge(answer);
      }),
      { seed: SEED + part, numRuns: 1_500 / PARTS.length },
    );
  }, 300_000);

  it.each(PARTS)('answers raw HTTP bodies (invalid UTF-8, truncated JSON, other content types) with a clean error or a result (part %i)', async (part) => {
    const prefix = Buffer.from(JSON.stringify({ query: INGEST, variables: { input: { raw: '@@' } } }).split('@@')[0]!, 'utf8');
    const suffix = Buffer.from(JSON.stringify({ query: INGEST, variables: { input: { raw: '@@' } } }).split('@@')[1]!, 'utf8');
    const arbitrary = fc.oneof(
      // A page's bytes with invalid UTF-8 inside the JSON string: lone continuation bytes, overlong forms, surrogates.
      fc.record({
        kind: fc.constant('invalid-utf8' as const),
        page: fc.nat({ max: pages.length - 1 }),
        inserts: fc.array(fc.tuple(fc.nat(), fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82])), { minLength: 1, maxLength: 5 }),
      }),
      fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 400 }), csrf: fc.boolean(), contentType: fc.constantFrom('application/json', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x') }),
      fc.record({ kind: fc.constant('truncated' as const), query: fc.constantFrom(...VALID_QUERIES), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        if (input.kind === 'invalid-utf8') {
          const page = Buffer.from(JSON.stringify(pages[input.page]!).slice(1, -1), 'utf8');
          const chunks: Buffer[] = [];
          let from = 0;
          for (const [at, bytes] of [...input.inserts].sort((a, b) => (a[0] % page.length) - (b[0] % page.length))) {
            const i = at % page.length;
            chunks.push(page.subarray(from, i), Buffer.from(bytes));
            from = i;
          }
          chunks.push(page.subarray(from));
          acknowledge(await send(yoga, tally, 'invalid UTF-8 body', { body: Buffer.concat([prefix, ...chunks, suffix]) }));
        } else if (input.kind === 'bytes') {
          await send(yoga, tally, 'random bytes body', { body: input.bytes, contentType: input.contentType, csrf: input.csrf });
        } else {
          const body = postJson(input.query);
          await send(yoga, tally, 'truncated JSON body', { body: body.slice(0, input.at % body.length) });
        }
      }),
      { seed: SEED + part, numRuns: 1_500 / PARTS.length },
    );
  }, 300_000);

  it('answers ~5 MB bodies with 413 or a clean error, and keeps serving', async () => {
    const big = 'The minister said the talks would go on. '.repeat(Math.ceil((5 * 1024 * 1024) / 41));
    const cases = [
      { label: '5 MB page', body: postJson(INGEST, { input: { raw: big } }) },
      { label: '4.5 MB page', body: postJson(INGEST, { input: { raw: big.slice(0, 4.5 * 1024 * 1024) } }) },
      { label: '5 MB query comment', body: postJson(`# ${big}\n{ __typename }`) },
      { label: '5 MB of variables', body: postJson('query Q($n: Int) { articles(first: $n) { totalCount } }', { n: 1, pad: big }) },
      { label: '5 MB of whitespace', body: postJson(`{${' '.repeat(5 * 1024 * 1024)}__typename }`) },
    ];
    for (const { label, body } of cases) {
      const answer = await send(yoga, tally, label, { body });
      const payload = (answer.json.data as { ingestArticle?: { status: string } } | undefined)?.ingestArticle;
      // Over the body limit: 413. Under it, a page over MAX_PAGE_BYTES is a userError; a query is answered.
      expect(answer.status === 413 || payload?.status === 'FAILED' || (answer.status === 200 && !answer.json.errors), label).toBe(true);
    }
    expect(tally.byStatus.get(413) ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('sent at least 10,000 inputs, still answers, and left the database consistent', async () => {
    expect(tally.requests).toBeGreaterThanOrEqual(10_000);
    const health = await yoga.fetch('http://localhost/healthz');
    expect(health.status).toBe(200);
    const answer = await send(yoga, tally, 'health query', { body: postJson('{ articles(first: 1) { totalCount } }') });
    const total = (answer.json.data as { articles: { totalCount: number } }).articles.totalCount;

    // Every acknowledged creation is stored, and nothing unacknowledged is.
    const counts = await tableCounts(handle.db);
    expect(counts.articles).toBe(articlesBefore + tally.created.size);
    expect(total).toBe(counts.articles);
    expect(tally.created.size).toBeGreaterThan(0);
    const created = [...tally.created].map((id) => Number(Buffer.from(id, 'base64').toString('utf8').split(':')[1]));
    const [stored] = await rowsOf<{ n: number }>(handle.db, sql`select count(*)::int as n from articles where id = any(${`{${created.join(',')}}`}::int[])`);
    expect(stored!.n).toBe(created.length);
    expect(await invariantViolations(handle.db)).toEqual([]);
    console.log(`fuzz seed ${SEED}: ${tally.requests} requests, statuses ${JSON.stringify(Object.fromEntries(tally.byStatus))}, ${tally.created.size} articles created`);
  });
});
