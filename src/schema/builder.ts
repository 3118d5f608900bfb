import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
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
  plugins: [RelayPlugin, DataloaderPlugin],
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
