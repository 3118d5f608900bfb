import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from './context.js';

export type { Context } from './context.js';

/** Raised for input a client can fix: yoga passes GraphQLErrors through unmasked. */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const GLOBAL_ID = /^([A-Za-z][A-Za-z0-9]*):([1-9][0-9]{0,14})$/;

export function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const match = GLOBAL_ID.exec(decoded);
  if (!match || Buffer.from(decoded, 'utf8').toString('base64') !== globalID) {
    throw badInput(`"${globalID.slice(0, 100)}" is not an ID issued by this API`);
  }
  return { typename: match[1]!, id: match[2]! };
}

/** Local ids are positive integers; the global ID decoder has already checked the shape. */
export function parseLocalId(id: string): number {
  return Number(id);
}

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Connection: {
    /** Counted only when asked for: nested connections count through a batched loader. */
    totalCount: () => Promise<number> | number;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    Date: { Input: string; Output: string };
    ID: { Input: string; Output: string | number };
  };
}>({
  // Federation last: it reads the final type and field configs the other plugins produce. The directives
  // plugin turns the @key/@link it records into the AST nodes `printSubgraphSchema` prints.
  plugins: [RelayPlugin, DataloaderPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID,
    edgesFieldOptions: { nullable: false, description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { nullable: false, description: 'The item at this position.' },
    cursorFieldOptions: { description: 'Opaque cursor: pass it as `after` to continue after this item.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'True when more items follow this page.' },
    hasPreviousPageFieldOptions: {
      description: 'True when items precede this page (this API pages forward only, so true whenever `after` was given).',
    },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page; null when the page is empty.' },
    endCursorFieldOptions: {
      description: 'Cursor of the last item of this page; pass it as `after` for the next page. Null when the page is empty.',
    },
    idFieldOptions: { description: 'Globally unique, opaque ID: use it with `node(id:)`.' },
    nodeTypeOptions: { description: 'An object with a globally unique ID that `node(id:)` can refetch.' },
    pageInfoTypeOptions: { description: 'Forward pagination state of a connection (Relay cursor connections).' },
    nodeQueryOptions: {
      description: 'Fetches any object by its global ID; null when no such object exists.',
      args: { id: { description: 'A global ID, as returned in any `id` field.' } },
    },
    nodesQueryOptions: {
      description: 'Fetches several objects by their global IDs, in the order given; null for each ID that does not exist.',
      args: { ids: { description: 'Global IDs, as returned in `id` fields.' } },
    },
    defaultConnectionTypeOptions: { description: 'A page of a list, with its edges, page info and total size.' },
    defaultEdgeTypeOptions: { description: 'One item of a connection with its cursor.' },
  },
});

/**
 * Apollo Federation v2: every entity is keyed by its Relay global ID, the `id` this API exposes, so a
 * representation `{ __typename: "Article", id }` carries exactly what `node(id:)` takes. The entity list:
 * Article, Person, Topic, Quote (and Storyline, when it lands: one `builder.asEntity(Storyline,
 * entityById('Storyline', (id, ctx) => ctx.loaders.storylineById.load(id)))` line in its own file).
 */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.6';

/**
 * The entity options for a node type keyed by `id`: `_entities` decodes the global ID with the same parse as
 * `node(id:)` and asks the type's per-request DataLoader, so N representations of a type cost one query.
 * A representation whose ID names another type, or no stored row, resolves to null.
 */
export function entityById<T extends object>(typename: string, load: (id: number, ctx: Context) => Promise<T | null>) {
  return {
    key: builder.selection<{ id: string }>('id'),
    // Async so that an ID this API never issued fails only its own entry (BAD_USER_INPUT), not the whole list.
    // The body up to `load` still runs synchronously, so every representation joins the same loader batch.
    resolveReference: async (reference: { id: string }, ctx: Context): Promise<T | null> => {
      const decoded = decodeGlobalID(String(reference.id));
      return decoded.typename === typename ? load(parseLocalId(decoded.id), ctx) : null;
    },
  };
}

/**
 * The executable schema: every type the schema files registered, as a federation v2 subgraph (adds
 * `_service` and `_entities`). Call once, after the type modules are imported (schema/index.ts).
 */
export function buildSchema() {
  return builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK_URL });
}

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Number of items in the whole list, across all pages.',
    resolve: (parent) => parent.totalCount(),
  }),
);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

builder.scalarType('DateTime', {
  description: 'An instant as an ISO-8601 string in UTC, e.g. "2013-06-04T00:40:00.000Z". Inputs may carry any offset.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new Error('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => {
    if (typeof value !== 'string') throw badInput('DateTime must be an ISO-8601 string');
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
      throw badInput(`"${value.slice(0, 60)}" is not an ISO-8601 date-time, e.g. 2013-06-04T00:40:00Z`);
    }
    return date;
  },
});

builder.scalarType('Date', {
  description: 'A calendar date as YYYY-MM-DD, without time or time zone.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    const text = String(value);
    const m = ISO_DATE.exec(text);
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!date || date.toISOString().slice(0, 10) !== text) throw badInput(`"${text.slice(0, 60)}" is not a YYYY-MM-DD date`);
    return text;
  },
});

builder.queryType({ description: 'The news graph: articles and the people, quotes, topics and events in them.' });
builder.mutationType({ description: 'Writes to the news graph.' });
