/**
 * Keyset cursors. A cursor is the sort key of the last row seen, tagged with the ordering it belongs to, so a
 * cursor from one connection cannot be replayed against another.
 */

/** Articles newest first: (publishedAt or -infinity, id) descending. */
export interface ArticleCursor {
  publishedAt: string | null;
  id: number;
}
/** A person's quotes: their articles newest first, then by position in the body. */
export interface QuoteCursor {
  publishedAt: string | null;
  articleId: number;
  start: number;
  id: number;
}
/** People by name, then id. */
export interface PersonCursor {
  name: string;
  id: number;
}
/** Topics by slug. */
export interface TopicCursor {
  slug: string;
}

type Shapes = { a: ArticleCursor; q: QuoteCursor; p: PersonCursor; t: TopicCursor };
export type CursorKind = keyof Shapes;

const FIELDS: { [K in CursorKind]: Array<[keyof Shapes[K] & string, 'int' | 'string' | 'instant']> } = {
  a: [
    ['publishedAt', 'instant'],
    ['id', 'int'],
  ],
  q: [
    ['publishedAt', 'instant'],
    ['articleId', 'int'],
    ['start', 'int'],
    ['id', 'int'],
  ],
  p: [
    ['name', 'string'],
    ['id', 'int'],
  ],
  t: [['slug', 'string']],
};

export function encodeCursor<K extends CursorKind>(kind: K, value: Shapes[K]): string {
  const fields = FIELDS[kind] as Array<[string, string]>;
  const tuple = [kind, ...fields.map(([name]) => (value as unknown as Record<string, unknown>)[name] ?? null)];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

/** The cursor's sort key, or null when the text is not a cursor of this kind. */
export function decodeCursor<K extends CursorKind>(kind: K, cursor: string): Shapes[K] | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const fields = FIELDS[kind] as Array<[string, 'int' | 'string' | 'instant']>;
  if (!Array.isArray(tuple) || tuple.length !== fields.length + 1 || tuple[0] !== kind) return null;
  const out: Record<string, unknown> = {};
  for (const [i, [name, type]] of fields.entries()) {
    const v: unknown = tuple[i + 1];
    if (type === 'int' && !(Number.isSafeInteger(v) && (v as number) >= 0)) return null;
    if (type === 'string' && typeof v !== 'string') return null;
    if (type === 'instant' && v !== null && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) return null;
    out[name] = v;
  }
  return out as unknown as Shapes[K];
}

export function instant(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}
