import type { ArticleRow } from '../loaders/articles.js';
import type { PersonRow } from '../loaders/people.js';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  monthFacet,
  personFacet,
  searchCount,
  searchPage,
  SNIPPET_FRAGMENT_DELIMITER,
  SNIPPET_MARKER,
  SNIPPET_MAX_FRAGMENTS,
  SNIPPET_MAX_WORDS,
  topicFacet,
  type FacetCount,
  type SearchFilter as SearchFilterValue,
  type SearchHit,
  type SearchRequest,
} from '../loaders/search.js';
import type { TopicRow } from '../loaders/topics.js';
import type { Page } from '../loaders/util.js';
import { Article, publishedRangeFields } from './article.js';
import { badInput, builder } from './builder.js';
import { idOf } from './ids.js';
import { pageArgs, pageSize } from './pagination.js';
import { Person } from './person.js';
import { Topic } from './topic.js';

const MAX_QUERY_LENGTH = 1000;
const FACET_DEFAULT = 20;
const FACET_MAX = 100;

interface SearchResultShape {
  request: SearchRequest;
  hadAfter: boolean;
  page: () => Promise<Page<SearchHit>>;
  count: () => Promise<number>;
}

interface SearchEdgeShape {
  cursor: string;
  node: ArticleRow;
  rank: number;
  text: string;
}

/** Runs `fn` once, on first call: a field the client does not select never queries. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

const SearchEdge = builder.objectRef<SearchEdgeShape>('SearchEdge').implement({
  description: 'One matching article, with its relevance and a highlighted excerpt.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque cursor: pass it as `after` to continue after this item.' }),
    node: t.field({ type: Article, description: 'The matching article.', resolve: (e) => e.node }),
    rank: t.exposeFloat('rank', {
      description:
        'Relevance from PostgreSQL ts_rank over the weighted document (headline words weigh 1.0, body words 0.4), ' +
        'scaled to [0, 1) as rank / (rank + 1). Higher is better; comparable only within one search.',
    }),
    snippet: t.string({
      description:
        `Excerpt of the body around the matches (PostgreSQL ts_headline): at most ${SNIPPET_MAX_FRAGMENTS} fragments of up to ` +
        `${SNIPPET_MAX_WORDS} words, joined by "${SNIPPET_FRAGMENT_DELIMITER.trim()}", with each matching word wrapped in ` +
        '`startSel` and `stopSel` (by default `<b>` and `</b>`). The body text itself is not HTML-escaped. ' +
        'When the body has no match (only the headline matches, or the query has only -terms) it is the opening of the body.',
      args: {
        startSel: t.arg.string({
          required: false,
          defaultValue: '<b>',
          description: 'Marker before each match: 1 to 20 characters, without whitespace, commas, quotes, = or \\.',
        }),
        stopSel: t.arg.string({
          required: false,
          defaultValue: '</b>',
          description: 'Marker after each match: 1 to 20 characters, without whitespace, commas, quotes, = or \\.',
        }),
      },
      resolve: (e, args, ctx) => {
        const startSel = args.startSel ?? '<b>';
        const stopSel = args.stopSel ?? '</b>';
        for (const [name, value] of [['startSel', startSel], ['stopSel', stopSel]] as const) {
          if (!SNIPPET_MARKER.test(value)) {
            throw badInput(`${name} must be 1 to 20 characters without whitespace, commas, quotes, = or \\; got "${value.slice(0, 40)}"`);
          }
        }
        return ctx.loaders.searchSnippet.load({ articleId: e.node.id, text: e.text, startSel, stopSel });
      },
    }),
  }),
});

const SearchTopicFacet = builder.objectRef<FacetCount<TopicRow>>('SearchTopicFacet').implement({
  description: 'A topic among the search results, with how many matching articles carry it.',
  fields: (t) => ({
    topic: t.field({ type: Topic, description: 'The topic.', resolve: (f) => f.value }),
    count: t.exposeInt('count', { description: 'Matching articles tagged with this topic.' }),
  }),
});

const SearchPersonFacet = builder.objectRef<FacetCount<PersonRow>>('SearchPersonFacet').implement({
  description: 'A person among the search results, with how many matching articles name them.',
  fields: (t) => ({
    person: t.field({ type: Person, description: 'The person.', resolve: (f) => f.value }),
    count: t.exposeInt('count', { description: 'Matching articles that name this person.' }),
  }),
});

const SearchMonthFacet = builder.objectRef<FacetCount<string>>('SearchMonthFacet').implement({
  description: 'A calendar month (UTC) among the search results, with how many matching articles were published in it.',
  fields: (t) => ({
    month: t.exposeString('value', { description: 'The month as YYYY-MM, in UTC, e.g. "2013-06".' }),
    count: t.exposeInt('count', { description: 'Matching articles published in this month.' }),
  }),
});

const facetArgs = builder.args((t) => ({
  first: t.int({
    required: false,
    description: `How many values, most frequent first: ${FACET_DEFAULT} when omitted, at most ${FACET_MAX}.`,
  }),
}));

const SearchFacets = builder.objectRef<SearchRequest>('SearchFacets').implement({
  description:
    'Counts over the whole result set of a search (every page, with the filters applied), not just the returned page. ' +
    'Each list is ordered by count, highest first; each is one SQL query, run only when selected.',
  fields: (t) => ({
    topics: t.field({
      type: [SearchTopicFacet],
      description: 'Topics of the matching articles; ties by slug.',
      args: facetArgs,
      resolve: (req, args, ctx) => topicFacet(ctx.db, ctx.loaders, req, pageSize(args.first, 'first', FACET_MAX, FACET_DEFAULT)),
    }),
    people: t.field({
      type: [SearchPersonFacet],
      description: 'People named in the matching articles; ties by name.',
      args: facetArgs,
      resolve: (req, args, ctx) => personFacet(ctx.db, ctx.loaders, req, pageSize(args.first, 'first', FACET_MAX, FACET_DEFAULT)),
    }),
    months: t.field({
      type: [SearchMonthFacet],
      description: 'Publication months (UTC) of the matching articles; undated articles are not counted; ties oldest first.',
      args: facetArgs,
      resolve: (req, args, ctx) => monthFacet(ctx.db, req, pageSize(args.first, 'first', FACET_MAX, FACET_DEFAULT)),
    }),
  }),
});

const SearchConnection = builder.objectRef<SearchResultShape>('SearchConnection').implement({
  description: 'A page of search results, most relevant first, with the size and facets of the whole result set.',
  fields: (t) => ({
    edges: t.field({
      type: [SearchEdge],
      description: 'The matching articles of this page, most relevant first (ties: newer id first).',
      resolve: async (r) => {
        const page = await r.page();
        return page.rows.map(({ rank, ...node }) => ({
          cursor: encodeSearchCursor({ rank, id: node.id }),
          node,
          rank,
          text: r.request.text,
        }));
      },
    }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Where this page sits in the whole result set.',
      resolve: async (r) => {
        const { rows, hasNextPage } = await r.page();
        const cursors = rows.map((h) => encodeSearchCursor({ rank: h.rank, id: h.id }));
        return {
          hasNextPage,
          hasPreviousPage: r.hadAfter,
          startCursor: cursors[0] ?? null,
          endCursor: cursors.at(-1) ?? null,
        };
      },
    }),
    totalCount: t.int({
      description: 'Number of matching articles, across all pages.',
      resolve: (r) => r.count(),
    }),
    facets: t.field({
      type: SearchFacets,
      description: 'Topic, person and month counts over all matching articles.',
      resolve: (r) => r.request,
    }),
  }),
});

const SearchFilter = builder.inputType('SearchFilter', {
  description: 'Narrows a search; every given condition must hold, together with the query.',
  fields: (t) => ({
    topic: t.string({ required: false, description: 'Slug of a topic the article is tagged with, e.g. "cyber-security".' }),
    person: t.id({ required: false, description: 'ID of a Person named in the article.' }),
    source: t.string({
      required: false,
      description: 'Name of the publication, e.g. "People\'s Daily Online" (case-insensitive, whole name).',
    }),
    ...publishedRangeFields(t),
  }),
});

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnection,
    description:
      'Full-text search of headlines and bodies (PostgreSQL, english stemming), most relevant first; a headline match ' +
      'weighs more than a body match. The query uses web-search syntax: words must all appear (in any inflection), ' +
      '"quoted words" must appear as a phrase, `OR` between words accepts either, and `-word` excludes articles with it. ' +
      'Common words ("the", "of") are ignored; a query of only such words matches nothing.',
    args: {
      query: t.arg.string({
        required: true,
        description: `What to search for, in web-search syntax, e.g. \`"cyber security" OR hacking -olympics\` (at most ${MAX_QUERY_LENGTH} characters).`,
      }),
      ...pageArgs,
      filter: t.arg({ type: SearchFilter, required: false, description: 'Conditions the matching articles must also meet.' }),
    },
    resolve: async (_root, args, ctx): Promise<SearchResultShape> => {
      const text = args.query.trim();
      if (text.length === 0) throw badInput('query is empty: give at least one word to search for');
      if (text.length > MAX_QUERY_LENGTH) {
        throw badInput(`query is ${text.length} characters, above the limit of ${MAX_QUERY_LENGTH}`);
      }
      const first = pageSize(args.first);
      const after = args.after == null ? null : decodeSearchCursor(args.after);
      if (args.after != null && after === null) {
        throw badInput(`after "${args.after.slice(0, 100)}" is not a cursor of this connection`);
      }
      const f = args.filter ?? {};
      const filter: SearchFilterValue = {};
      if (f.topic != null) {
        const topic = await ctx.loaders.topicBySlug.load(f.topic);
        if (!topic) throw badInput(`filter.topic: no topic has the slug "${f.topic.slice(0, 100)}"`);
        filter.topicId = topic.id;
      }
      if (f.person != null) filter.personId = idOf(f.person, 'Person', 'filter.person');
      if (f.source != null) filter.sourceName = f.source;
      if (f.from != null) filter.from = f.from;
      if (f.to != null) filter.to = f.to;
      const request: SearchRequest = { text, filter };
      return {
        request,
        hadAfter: after !== null,
        page: once(() => searchPage(ctx.db, ctx.loaders, request, first, after)),
        count: once(() => searchCount(ctx.db, request)),
      };
    },
  }),
}));
