import { type CursorKind, decodeCursor } from '../loaders/cursor.js';
import type { Page } from '../loaders/util.js';
import { badInput, builder } from './builder.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` and `after`: every connection in this API pages forward. */
export const pageArgs = builder.args((t) => ({
  first: t.int({
    required: false,
    description: `Page size: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  }),
  after: t.string({
    required: false,
    description: 'Return the items after this cursor (an `endCursor` or edge `cursor` from the previous page).',
  }),
}));

/** Validates `first` against the page-size cap; errors carry extensions.code BAD_USER_INPUT. */
export function pageSize(first: number | null | undefined, name = 'first', max = MAX_PAGE_SIZE, fallback = DEFAULT_PAGE_SIZE): number {
  if (first == null) return fallback;
  if (first < 0) throw badInput(`${name} must not be negative; got ${first}`);
  if (first > max) throw badInput(`${name} is ${first}, above the limit of ${max}: page through larger lists with after`);
  return first;
}

/** Decodes an `after` cursor of the given ordering, or throws BAD_USER_INPUT. */
export function afterCursor<K extends CursorKind>(kind: K, after: string | null | undefined) {
  if (after == null) return null;
  const decoded = decodeCursor(kind, after);
  if (!decoded) throw badInput(`after "${after.slice(0, 100)}" is not a cursor of this connection`);
  return decoded;
}

/** Builds a connection result from one fetched page. */
export function toConnection<Row>(
  page: Page<Row>,
  cursorOf: (row: Row) => string,
  hadAfter: boolean,
  totalCount: () => Promise<number> | number,
) {
  const edges = page.rows.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: hadAfter,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
