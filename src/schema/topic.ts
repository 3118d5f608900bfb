import type { ArticleTopicRow, TopicRow } from '../loaders/topics.js';
import { encodeCursor } from '../loaders/cursor.js';
import { listTopics } from '../loaders/lists.js';
import { ArticleConnection, articleConnection } from './article.js';
import { builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { afterCursor, pageArgs, pageSize, toConnection } from './pagination.js';

export const Topic = builder.objectRef<TopicRow>('Topic');

const TopicConnection = builder.connectionObject(
  { type: Topic, name: 'TopicConnection', description: 'A page of topics, by slug.' },
  { name: 'TopicEdge', description: 'One topic in a page of topics.' },
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
      resolve: (topic, _args, ctx) => (topic.parentId == null ? null : ctx.loaders.topicById.load(topic.parentId)),
    }),
    children: t.field({
      type: [Topic],
      description: 'Narrower topics, by slug.',
      resolve: (topic, _args, ctx) => ctx.loaders.topicsByParentId.load(topic.id),
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
      resolve: async (l, _args, ctx) => (await ctx.loaders.topicById.load(l.topicId))!,
    }),
  }),
});

builder.queryFields((t) => ({
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
