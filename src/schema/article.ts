import type { ArticleRow, ArticleTextRow } from '../loaders/articles.js';
import { encodeCursor, instant } from '../loaders/cursor.js';
import { findArticle, listArticles, type ArticleListFilter } from '../loaders/lists.js';
import { andThen } from '../loaders/util.js';
import type { Page } from '../loaders/util.js';
import { badInput, builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { EntityMention } from './entity.js';
import { Event } from './event.js';
import { idOf } from './ids.js';
import { PageLink } from './pageLink.js';
import { selectedArticleParts } from './lookahead.js';
import { afterCursor, pageArgs, pageSize, toConnection } from './pagination.js';
import { ArticlePerson } from './person.js';
import { Quote } from './quote.js';
import { RelatedStory } from './related.js';
import { Source } from './source.js';
import { ArticleTopic } from './topic.js';
import { requiresScope } from '../security/scopes.js';

export const Article = builder.objectRef<ArticleRow>('Article');

export const ArticleConnection = builder.connectionObject(
  { type: Article, name: 'ArticleConnection', description: 'A page of articles, newest first.' },
  { name: 'ArticleEdge', description: 'One article in a page of articles.' },
);

/** A connection result over a page of articles; `count` runs only if `totalCount` is selected. */
export function articleConnection(page: Page<ArticleRow>, hadAfter: boolean, count: () => Promise<number>) {
  return toConnection(page, articleCursor, hadAfter, count);
}

export function articleCursor(a: ArticleRow): string {
  return encodeCursor('a', { publishedAt: instant(a.publishedAt), id: a.id });
}

interface DatelineShape {
  place: string;
  date: string | null;
  agency: string | null;
}

const Dateline = builder.objectRef<DatelineShape>('Dateline').implement({
  description: 'The dateline that opens the story, e.g. "BEIJING, June 3 (Xinhua) --".',
  fields: (t) => ({
    place: t.exposeString('place', { description: 'Place as printed, e.g. "BEIJING".' }),
    date: t.field({
      type: 'Date',
      nullable: true,
      description: 'Calendar date the dateline names, resolved against the publication time; null when it names none.',
      resolve: (d) => d.date,
    }),
    agency: t.exposeString('agency', {
      nullable: true,
      description: 'News agency named in the dateline, e.g. "Xinhua"; null when none is named.',
    }),
  }),
});

/** An article's text; its row was read a moment ago, so a missing text means it was deleted since. */
async function articleText(a: ArticleRow, ctx: Context): Promise<ArticleTextRow> {
  const text = await ctx.loaders.articleTextById.load(a.id);
  if (!text) throw new Error(`article ${a.id} has no stored text`);
  return text;
}

const RELATED_DEFAULT = 5;
const RELATED_MAX = 50;
const RELATED_PARTS = { fallback: RELATED_DEFAULT, max: RELATED_MAX };

builder.asEntity(Article, entityById('Article', (id, ctx) => ctx.loaders.articleById.load(id)));

builder.node(Article, {
  description: 'A stored news story: its text, when and where it was filed, and the people, quotes, topics and events in it.',
  id: { resolve: (a) => a.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.articleById.load(id))),
  fields: (t) => ({
    url: t.exposeString('url', { nullable: true, description: 'Canonical URL of the page, when known.' }),
    headline: t.exposeString('headline', { description: 'Headline as published.' }),
    publishedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Publication instant in UTC (the page states it in its local time); null when the page gives none.',
      resolve: (a) => a.publishedAt,
    }),
    ingestedAt: t.field({
      type: 'DateTime',
      description: 'When this version of the article was stored.',
      resolve: (a) => a.ingestedAt,
    }),
    body: t.string({
      description: 'Story text without the dateline and page boilerplate: the paragraphs joined by a blank line. Quote offsets index into it.',
      resolve: async (a, _args, ctx) => (await articleText(a, ctx)).body,
    }),
    paragraphs: t.stringList({
      description: 'Body paragraphs in order.',
      resolve: async (a, _args, ctx) => (await articleText(a, ctx)).paragraphs,
    }),
    editors: t.exposeStringList('editors', { description: 'Editors credited on the page, as printed.' }),
    authors: t.exposeStringList('authors', { description: 'Bylines credited on the page (HTML pages), as printed.' }),
    duplicateOf: t.field({
      type: Article,
      nullable: true,
      description:
        'The earlier stored story this one copies with light edits (a near-duplicate); null for an original. ' +
        'A story and its copies are never listed as related stories of each other.',
      resolve: (a, _args, ctx) => (a.duplicateOf === null ? null : ctx.loaders.articleById.load(a.duplicateOf)),
    }),
    language: t.exposeString('language', { description: 'Language of the story as an ISO 639-1 code, e.g. "en".' }),
    dateline: t.field({
      type: Dateline,
      nullable: true,
      description: 'The dateline, when the story opens with one.',
      resolve: (a) =>
        a.datelinePlace ? { place: a.datelinePlace, date: a.datelineDate, agency: a.datelineAgency } : null,
    }),
    source: t.field({
      type: Source,
      nullable: true,
      description: 'Publication the page came from, when known.',
      resolve: (a, _args, ctx) => (a.sourceId == null ? null : ctx.loaders.sourceById.get(a.sourceId)),
    }),
    topics: t.field({
      type: [ArticleTopic],
      description: 'Topics of the story, strongest first.',
      resolve: (a, _args, ctx) => ctx.loaders.topicsByArticleId.get(a.id),
    }),
    people: t.field({
      type: [ArticlePerson],
      description: 'Everyone named in the story, in order of first mention, with the role the story states for them.',
      resolve: (a, _args, ctx) => ctx.loaders.peopleByArticleId.get(a.id),
    }),
    spokespeople: t.field({
      type: [ArticlePerson],
      description: 'Everyone quoted in the story (directly or indirectly), in order of first mention, with their role and quotes here.',
      // quote_count is written with the quotes (and summed by mergePeople), so the quotes themselves are
      // loaded only when the client selects them.
      resolve: (a, _args, ctx) => andThen(ctx.loaders.peopleByArticleId.get(a.id), (list) => list.filter((m) => m.quoteCount > 0)),
    }),
    quotes: t.field({
      type: [Quote],
      description: 'Every quote in the story, in body order.',
      resolve: (a, _args, ctx) => ctx.loaders.quotesByArticleId.get(a.id),
    }),
    organizations: t.field({
      type: [EntityMention],
      description: 'Organizations the story names (companies, ministries, parties, agencies...), in order of first mention.',
      resolve: async (a, _args, ctx) => (await ctx.loaders.entitiesByArticleId.load(a.id)).filter((m) => m.entity.kind === 'ORGANIZATION'),
    }),
    places: t.field({
      type: [EntityMention],
      description: 'Countries, regions and cities the story names, in order of first mention.',
      resolve: async (a, _args, ctx) => (await ctx.loaders.entitiesByArticleId.load(a.id)).filter((m) => m.entity.kind === 'PLACE'),
    }),
    events: t.field({
      type: [Event],
      description: 'Events the story mentions, in order of first mention.',
      resolve: async (a, _args, ctx) => (await ctx.loaders.eventsByArticleId.load(a.id)).map((r) => r.event),
    }),
    pageLinks: t.field({
      type: [PageLink],
      description: 'Headline-only stories the page lists in its boxes ("We Recommend", "Most Popular", ...), in page order.',
      resolve: (a, _args, ctx) => ctx.loaders.pageLinksByArticleId.load(a.id),
    }),
    related: t.field({
      type: [RelatedStory],
      description: 'Stored stories most related to this one, strongest first, each with the reasons for the link.',
      args: {
        first: t.arg.int({
          required: false,
          description: `How many: ${RELATED_DEFAULT} when omitted, at most ${RELATED_MAX}.`,
        }),
      },
      resolve: (a, args, ctx) =>
        ctx.loaders.relatedByArticleId.get({
          articleId: a.id,
          first: pageSize(args.first, 'first', RELATED_MAX, RELATED_DEFAULT),
        }),
    }),
  }),
});

type InputFields = PothosSchemaTypes.InputFieldBuilder<(typeof builder)['$inferSchemaTypes'], 'InputObject'>;

/** `from`/`to` on publication time, shared by every filter that narrows articles by date. */
export function publishedRangeFields(t: InputFields) {
  return {
    from: t.field({
      type: 'DateTime',
      required: false,
      description: 'Published at or after this instant (undated articles are excluded).',
    }),
    to: t.field({
      type: 'DateTime',
      required: false,
      description: 'Published strictly before this instant (undated articles are excluded).',
    }),
  };
}

const ArticleFilter = builder.inputType('ArticleFilter', {
  description: 'Narrows a list of articles; all given conditions must hold.',
  fields: (t) => ({
    topic: t.string({ required: false, description: 'Slug of a topic the article is tagged with, e.g. "cyber-security".' }),
    person: t.id({ required: false, description: 'ID of a Person named in the article.' }),
    event: t.id({ required: false, description: 'ID of an Event the article mentions.' }),
    ...publishedRangeFields(t),
  }),
});

builder.queryFields((t) => ({
  article: t.field({
    type: Article,
    nullable: true,
    description: 'One article by ID or by canonical URL (give exactly one); null when there is none.',
    args: {
      id: t.arg.id({ required: false, description: 'The article ID.' }),
      url: t.arg.string({ required: false, description: 'The canonical URL the article was ingested with.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      if ((args.id == null) === (args.url == null)) throw badInput('article needs exactly one of id or url');
      const parts = selectedArticleParts(info, [], RELATED_PARTS);
      return findArticle(ctx.db, ctx.loaders, args.id != null ? { id: idOf(args.id, 'Article', 'id') } : { url: args.url! }, parts);
    },
  }),
  articles: t.field({
    type: ArticleConnection,
    description: 'Stored articles, newest first (undated ones last), optionally filtered.',
    args: {
      ...pageArgs,
      filter: t.arg({ type: ArticleFilter, required: false, description: 'Conditions the articles must meet.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const first = pageSize(args.first);
      const after = afterCursor('a', args.after);
      const f = args.filter ?? {};
      const filter: ArticleListFilter = {};
      if (f.topic != null) {
        const topic = await ctx.loaders.topicBySlug.load(f.topic);
        if (!topic) throw badInput(`filter.topic: no topic has the slug "${f.topic.slice(0, 100)}"`);
        filter.topicId = topic.id;
      }
      if (f.person != null) filter.personId = idOf(f.person, 'Person', 'filter.person');
      if (f.event != null) filter.eventId = idOf(f.event, 'Event', 'filter.event');
      if (f.from != null) filter.from = f.from;
      if (f.to != null) filter.to = f.to;
      const parts = selectedArticleParts(info, ['edges', 'node'], RELATED_PARTS);
      const list = await listArticles(ctx.db, ctx.loaders, filter, first, after, parts);
      return articleConnection(list.page, after !== null, list.count);
    },
  }),
}));

const IngestStatus = builder.enumType('IngestStatus', {
  description: 'What an ingest did.',
  values: {
    CREATED: { value: 'created', description: 'A new article was stored.' },
    UPDATED: { value: 'updated', description: 'The page replaced the stored version at the same URL; the article kept its ID.' },
    UNCHANGED: { value: 'unchanged', description: 'This exact page was already stored; nothing was written.' },
    FAILED: { value: 'failed', description: 'The page was refused; see userErrors. Nothing was written.' },
  } as const,
});

interface UserErrorShape {
  field: string[];
  message: string;
}

const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'A problem with the input that the client can fix.',
  fields: (t) => ({
    field: t.exposeStringList('field', { description: 'Path to the offending input field, e.g. ["input", "raw"].' }),
    message: t.exposeString('message', { description: 'What is wrong, in plain words.' }),
  }),
});

interface IngestPayloadShape {
  articleId: number | null;
  status: 'created' | 'updated' | 'unchanged' | 'failed';
  userErrors: UserErrorShape[];
}

const IngestArticlePayload = builder.objectRef<IngestPayloadShape>('IngestArticlePayload').implement({
  description: 'Result of ingestArticle.',
  fields: (t) => ({
    article: t.field({
      type: Article,
      nullable: true,
      description: 'The stored article (new, updated or already present); null when the page was refused.',
      resolve: (p, _args, ctx) => (p.articleId == null ? null : ctx.loaders.articleById.load(p.articleId)),
    }),
    created: t.boolean({
      description: 'True when this call stored a new article; false when it was already stored or refused.',
      resolve: (p) => p.status === 'created',
    }),
    status: t.field({ type: IngestStatus, description: 'What the ingest did.', resolve: (p) => p.status }),
    userErrors: t.field({
      type: [UserError],
      description: 'Why the page was refused; empty on success.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

const InputFormatEnum = builder.enumType('InputFormat', {
  description: 'The shape of an ingested page.',
  values: {
    PAGE: { value: 'page', description: 'Raw text of a news web page: headline, time line, dateline, body, link boxes.' },
    PLAIN: { value: 'plain', description: 'Plain article text: a headline line, a blank line, then paragraphs.' },
    REUTERS: { value: 'reuters', description: 'One Reuters-21578 SGML story (<REUTERS>...</REUTERS>).' },
    HTML: { value: 'html', description: 'An HTML article page.' },
  } as const,
});

const IngestArticleInput = builder.inputType('IngestArticleInput', {
  description: 'A news page to add to the graph.',
  fields: (t) => ({
    raw: t.string({ required: true, description: 'The page as text, as saved from the browser or crawler.' }),
    url: t.string({ required: false, description: 'Canonical http(s) URL of the page, when known.' }),
    source: t.string({ required: false, description: 'Publication the page came from, e.g. "People\'s Daily Online".' }),
    format: t.field({
      type: InputFormatEnum,
      required: false,
      description: 'Read the page as this format instead of detecting it from the content.',
    }),
  }),
});

builder.mutationFields((t) => ({
  ingestArticle: t.field({
    extensions: requiresScope('ingest'),
    type: IngestArticlePayload,
    description:
      'Parses a news page, extracts its people, quotes, topics and events, stores it and links related stories. ' +
      'Idempotent: the same page again reports UNCHANGED. A page that cannot be read comes back in userErrors and writes nothing.',
    args: { input: t.arg({ type: IngestArticleInput, required: true, description: 'The page.' }) },
    resolve: async (_root, { input }, ctx): Promise<IngestPayloadShape> => {
      const request = { raw: input.raw, url: input.url ?? null, source: input.source ?? null, format: input.format ?? null };
      // The pipeline checks the size too; checking first keeps an oversized page away from any other work.
      const bytes = Buffer.byteLength(request.raw, 'utf8');
      const outcome =
        bytes > ctx.maxPageBytes
          ? ({ status: 'failed', field: 'raw', reason: `raw is ${bytes} bytes; the limit is ${ctx.maxPageBytes} bytes` } as const)
          : await ctx.ingest(request);
      if (outcome.status === 'failed') {
        ctx.log.info('page refused', { field: outcome.field, reason: outcome.reason });
        return { articleId: null, status: 'failed', userErrors: [{ field: ['input', outcome.field], message: outcome.reason }] };
      }
      ctx.log.info('page ingested', { status: outcome.status, articleId: outcome.articleId });
      ctx.loaders.articleById.clear(outcome.articleId);
      return { articleId: outcome.articleId, status: outcome.status, userErrors: [] };
    },
  }),
}));
