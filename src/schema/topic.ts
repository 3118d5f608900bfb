import type { ArticleTopicRow, TopicRow } from '../loaders/topics.js';
import { andThen } from '../loaders/util.js';
import { encodeCursor } from '../loaders/cursor.js';
import {
  bucketCount,
  decodeRankCursor,
  encodeRankCursor,
  MAX_TIMELINE_BUCKETS,
  type RankingKind,
  trendingTopics,
  type SpokespersonRow,
  type TimelineBucket,
  type Trending,
  type TrendingTopicRow,
} from '../loaders/explore.js';
import { listTopics } from '../loaders/lists.js';
import { ArticleConnection, articleConnection } from './article.js';
import { badInput, builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { afterCursor, pageArgs, pageSize, toConnection } from './pagination.js';
import { Person } from './person.js';

export const DEFAULT_RANK_SIZE = 10;

/** `first` of trendingTopics, a bounded report: at most 100, no paging. */
export function rankSize(first: number | null | undefined): number {
  return pageSize(first, 'first', 100, DEFAULT_RANK_SIZE);
}

/** Decodes the `after` cursor of a ranking connection to the rank it stands for, or throws BAD_USER_INPUT. */
export function afterRank(kind: RankingKind, after: string | null | undefined): number | null {
  if (after == null) return null;
  const rank = decodeRankCursor(kind, after);
  if (rank === null) throw badInput(`after "${after.slice(0, 100)}" is not a cursor of this connection`);
  return rank;
}

/** The cursor of a ranked row: its position in the ranking. */
export const rankCursor =
  (kind: RankingKind) =>
  (row: { rank: number }): string =>
    encodeRankCursor(kind, row.rank);

export const Topic = builder.objectRef<TopicRow>('Topic');

const TopicConnection = builder.connectionObject(
  { type: Topic, name: 'TopicConnection', description: 'A page of topics, by slug.' },
  { name: 'TopicEdge', description: 'One topic in a page of topics.' },
);

const TimelineInterval = builder.enumType('TimelineInterval', {
  description: 'Width of a timeline bucket: a UTC calendar period.',
  values: {
    DAY: { value: 'day', description: 'One UTC day, from midnight.' },
    WEEK: { value: 'week', description: 'One ISO week in UTC, from Monday midnight.' },
    MONTH: { value: 'month', description: 'One UTC calendar month, from the first at midnight.' },
  } as const,
});

const TimelineBucketRef = builder.objectRef<TimelineBucket>('TimelineBucket').implement({
  description: 'The number of stories on a topic published within one period.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Start of the period (UTC), e.g. "2013-06-03T00:00:00.000Z".', resolve: (b) => b.start }),
    count: t.exposeInt('count', {
      description: 'Stories tagged with the topic published in the period and within [from, to); 0 when none.',
    }),
  }),
});

const TopicSpokesperson = builder.objectRef<SpokespersonRow>('TopicSpokesperson').implement({
  description: 'A person quoted in stories on a topic, with how often.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      description: 'The person quoted.',
      resolve: async (r, _args, ctx) => (await ctx.loaders.personById.load(r.personId))!,
    }),
    quoteCount: t.exposeInt('quoteCount', { description: 'Quotes attributed to the person in stories on the topic.' }),
    articleCount: t.exposeInt('articleCount', { description: 'Stories on the topic that quote the person at least once.' }),
  }),
});

const TopicSpokespersonConnection = builder.connectionObject(
  {
    type: TopicSpokesperson,
    name: 'TopicSpokespersonConnection',
    description: 'A page of the people quoted on a topic, most quotes first.',
  },
  { name: 'TopicSpokespersonEdge', description: 'One person quoted on the topic, at their position in the ranking.' },
);

builder.asEntity(Topic, entityById('Topic', (id, ctx) => ctx.loaders.topicById.load(id)));

builder.node(Topic, {
  description: 'A subject in the topic taxonomy, e.g. "cyber-security". Topics form a tree.',
  id: { resolve: (t) => t.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.topicById.load(id))),
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable identifier, e.g. "us-china-relations".' }),
    name: t.exposeString('name', { description: 'Display name, e.g. "U.S.-China relations".' }),
    description: t.exposeString('description', { nullable: true, description: 'What the topic covers.' }),
    keywords: t.exposeStringList('keywords', { description: 'Words and phrases that tag a story with this topic.' }),
    parent: t.field({
      type: Topic,
      nullable: true,
      description: 'The broader topic; null at the top of the taxonomy.',
      resolve: (topic, _args, ctx) => (topic.parentId == null ? null : ctx.loaders.topicById.get(topic.parentId)),
    }),
    children: t.field({
      type: [Topic],
      description: 'Narrower topics, by slug.',
      resolve: (topic, _args, ctx) => ctx.loaders.topicsByParentId.load(topic.id),
    }),
    timeline: t.field({
      type: [TimelineBucketRef],
      description:
        'Stories tagged with this topic per period between `from` and `to`, oldest period first, periods without ' +
        `stories included with count 0. Periods are UTC days, ISO weeks or months; the first and last may be cut by from/to. At most ${MAX_TIMELINE_BUCKETS} periods.`,
      args: {
        interval: t.arg({ type: TimelineInterval, required: true, description: 'Width of each period.' }),
        from: t.arg({ type: 'DateTime', required: true, description: 'Count stories published at or after this instant.' }),
        to: t.arg({ type: 'DateTime', required: true, description: 'Count stories published before this instant (exclusive).' }),
      },
      resolve: (topic, args, ctx) => {
        const { interval, from, to } = args;
        if (to.getTime() <= from.getTime()) throw badInput('timeline: to must be after from');
        const buckets = bucketCount(from, to, interval);
        if (buckets > MAX_TIMELINE_BUCKETS) {
          throw badInput(`timeline: ${buckets} ${interval} buckets requested; the limit is ${MAX_TIMELINE_BUCKETS}: use a wider interval or a shorter range`);
        }
        return ctx.loaders.timelineByTopicId.load({
          parentId: topic.id,
          params: { interval, from: from.toISOString(), to: to.toISOString() },
        });
      },
    }),
    spokespeople: t.field({
      type: TopicSpokespersonConnection,
      description:
        'People quoted in stories on this topic: most quotes first, then most stories, then earliest stored. ' +
        'totalCount is the number of people quoted on the topic.',
      args: pageArgs,
      resolve: async (topic, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterRank('spokespeople', args.after);
        const page = await ctx.loaders.spokespeopleByTopicId.load({ parentId: topic.id, first, after });
        return toConnection(page, rankCursor('spokespeople'), after !== null, () =>
          ctx.loaders.spokespersonCountByTopicId.load(topic.id),
        );
      },
    }),
    articles: t.field({
      type: ArticleConnection,
      description: 'Stories tagged with this topic itself (not its narrower topics), newest first.',
      args: pageArgs,
      resolve: async (topic, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterCursor('a', args.after);
        const page = await ctx.loaders.articlesByTopicId.load({ parentId: topic.id, first, after });
        return articleConnection(page, after !== null, () => ctx.loaders.articleCountByTopicId.load(topic.id));
      },
    }),
  }),
});

export const ArticleTopic = builder.objectRef<ArticleTopicRow>('ArticleTopic').implement({
  description: 'A topic of one story, with how strongly the story is about it.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: 'Strength in (0, 1]: higher means the story is more about this topic.' }),
    topic: t.field({
      type: Topic,
      description: 'The topic.',
      resolve: (l, _args, ctx) => andThen(ctx.loaders.topicById.get(l.topicId), (topic) => topic!),
    }),
  }),
});

const TrendWindow = builder.enumType('TrendWindow', {
  description: 'Length of the windows trendingTopics compares.',
  values: {
    DAY: { value: 1, description: 'One day (24 hours).' },
    WEEK: { value: 7, description: 'Seven days.' },
    MONTH: { value: 30, description: 'Thirty days.' },
  } as const,
});

const TrendingTopic = builder.objectRef<TrendingTopicRow>('TrendingTopic').implement({
  description: 'A topic with more stories in the current window than in the one before it.',
  fields: (t) => ({
    topic: t.field({
      type: Topic,
      description: 'The topic.',
      resolve: async (r, _args, ctx) => (await ctx.loaders.topicById.load(r.topicId))!,
    }),
    count: t.exposeInt('count', { description: 'Stories on the topic published in the current window.' }),
    previousCount: t.exposeInt('previousCount', { description: 'Stories on the topic published in the window before it.' }),
    growth: t.exposeFloat('growth', {
      description: 'Smoothed growth (count + 1) / (previousCount + 1): above 1 means rising; 0 → 1 story gives 2, not infinity.',
    }),
  }),
});

const TrendingTopics = builder.objectRef<Trending>('TrendingTopics').implement({
  description: 'Topics rising in a window of time against the window of the same length just before it.',
  fields: (t) => ({
    at: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'End of the current window (inclusive); null when no story has a publication time.',
      resolve: (r) => r.at,
    }),
    windowStart: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Start of the current window (exclusive) and end of the previous one (inclusive).',
      resolve: (r) => (r.at ? new Date(r.at.getTime() - r.days * 86_400_000) : null),
    }),
    previousWindowStart: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Start of the previous window (exclusive).',
      resolve: (r) => (r.at ? new Date(r.at.getTime() - 2 * r.days * 86_400_000) : null),
    }),
    days: t.exposeInt('days', { description: 'Length of each window in days.' }),
    topics: t.field({
      type: [TrendingTopic],
      description:
        'Rising topics (count above previousCount): highest growth first, then most stories, then earliest created. ' +
        'A bounded list of at most `first` topics, not a paged connection.',
      resolve: (r) => r.topics,
    }),
  }),
});

builder.queryFields((t) => ({
  trendingTopics: t.field({
    type: TrendingTopics,
    description:
      'Topics rising in the window (at - length, at] against the window of the same length before it, by smoothed growth ' +
      '(count + 1) / (previousCount + 1), then by count. Give `window` or `days`, not both; WEEK by default. ' +
      'A bounded report, not a connection: the top `first` topics, without paging.',
    args: {
      window: t.arg({ type: TrendWindow, required: false, description: 'Window length: DAY, WEEK or MONTH.' }),
      days: t.arg.int({ required: false, description: 'Window length in days (1 to 366), instead of `window`.' }),
      first: t.arg.int({ required: false, description: `How many of the top topics: ${DEFAULT_RANK_SIZE} when omitted, at most 100.` }),
      at: t.arg({
        type: 'DateTime',
        required: false,
        description: "End of the current window; by default the newest story's publication time, so old corpora trend too.",
      }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.window != null && args.days != null) throw badInput('trendingTopics: give window or days, not both');
      if (args.days != null && (args.days < 1 || args.days > 366)) throw badInput(`trendingTopics: days must be 1 to 366; got ${args.days}`);
      const days = args.days ?? args.window ?? 7;
      return trendingTopics(ctx.db, ctx.loaders.primeTopic, { days, first: rankSize(args.first), at: args.at ?? null });
    },
  }),
  topic: t.field({
    type: Topic,
    nullable: true,
    description: 'One topic by slug; null when there is none.',
    args: { slug: t.arg.string({ required: true, description: 'The slug, e.g. "cyber-security".' }) },
    resolve: (_root, args, ctx) => ctx.loaders.topicBySlug.load(args.slug),
  }),
  topics: t.field({
    type: TopicConnection,
    description: 'Every topic of the taxonomy, by slug.',
    args: pageArgs,
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first);
      const after = afterCursor('t', args.after);
      const list = await listTopics(ctx.db, ctx.loaders, first, after);
      return toConnection(list.page, (row) => encodeCursor('t', { slug: row.slug }), after !== null, list.count);
    },
  }),
}));
