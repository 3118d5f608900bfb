import type { ArticleRow } from '../loaders/articles.js';
import { createLoaders } from '../loaders/index.js';
import { Article } from './article.js';
import { badInput, builder } from './builder.js';
import type { Context } from './context.js';
import { idOf } from './ids.js';

builder.subscriptionType({
  description:
    'Live updates over Server-Sent Events (GraphQL over SSE): send the subscription to /graphql by GET or POST with ' +
    '`Accept: text/event-stream`; each update arrives as an `event: next` message.',
});

const ArticleAddedFilter = builder.inputType('ArticleAddedFilter', {
  description: 'Narrows `articleAdded` to the articles that meet all the given conditions.',
  fields: (t) => ({
    topic: t.string({ required: false, description: 'Slug of a topic the article is tagged with, e.g. "cyber-security".' }),
    person: t.id({ required: false, description: 'ID of a Person named in the article.' }),
  }),
});

interface Match {
  topicId?: number;
  personId?: number;
}

/**
 * The stored articles behind a stream of announced ids, dropping those the filter excludes. Each event runs
 * with fresh loaders, as a new request would: the subscription's context lives as long as the stream, and an
 * article updated later must not come back from an earlier event's cache. Events are handled one at a time,
 * so replacing `ctx.loaders` between them is safe.
 *
 * A plain iterator rather than an async generator: `return()` must end the underlying subscription even while
 * `next()` is waiting for the next article (a generator would queue it until an article arrives).
 */
function storedArticles(ids: AsyncIterableIterator<number>, match: Match, ctx: Context): AsyncIterableIterator<ArticleRow> {
  const matches = async (id: number): Promise<ArticleRow | null> => {
    ctx.loaders = createLoaders(ctx.db);
    const [article, topics, people] = await Promise.all([
      ctx.loaders.articleById.load(id),
      match.topicId === undefined ? null : ctx.loaders.topicsByArticleId.load(id),
      match.personId === undefined ? null : ctx.loaders.peopleByArticleId.load(id),
    ]);
    if (!article) return null;
    if (topics && !topics.some((t) => t.topicId === match.topicId)) return null;
    if (people && !people.some((p) => p.personId === match.personId)) return null;
    return article;
  };
  const done = (): IteratorResult<ArticleRow> => ({ value: undefined, done: true });
  const iterator: AsyncIterableIterator<ArticleRow> = {
    async next() {
      for (;;) {
        const announced = await ids.next();
        if (announced.done) return done();
        const article = await matches(announced.value);
        if (article) return { value: article, done: false };
      }
    },
    async return() {
      await ids.return?.();
      return done();
    },
    async throw(error?: unknown) {
      await ids.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

builder.subscriptionFields((t) => ({
  articleAdded: t.field({
    type: Article,
    description:
      'Each article as soon as it is stored, from the ingestArticle mutation or the command-line ingest, on whichever ' +
      'service instance it was ingested: new articles, and new versions of a page at a known URL. A page that was ' +
      'already stored unchanged, or that was refused, sends nothing. Select any Article fields.',
    args: {
      filter: t.arg({ type: ArticleAddedFilter, required: false, description: 'Only articles that meet these conditions.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const match: Match = {};
      const f = args.filter ?? {};
      if (f.topic != null) {
        const topic = await ctx.loaders.topicBySlug.load(f.topic);
        if (!topic) throw badInput(`filter.topic: no topic has the slug "${f.topic.slice(0, 100)}"`);
        match.topicId = topic.id;
      }
      if (f.person != null) match.personId = idOf(f.person, 'Person', 'filter.person');
      // Listening starts here, before the response does: an article stored once the client sees the stream open is delivered.
      return storedArticles(ctx.articleEvents.subscribe(), match, ctx);
    },
    resolve: (article) => article,
  }),
}));
