import { STORYLINE_RULE } from '../graph/storyline.js';
import type { StorylinePersonRow, StorylineRow, StorylineTopicRow } from '../loaders/storylines.js';
import { Article } from './article.js';
import { badInput, builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { Person } from './person.js';
import { Topic } from './topic.js';

const MAX_ARTICLES = 100;

export const Storyline = builder.objectRef<StorylineRow>('Storyline');

const StorylineTopic = builder.objectRef<StorylineTopicRow>('StorylineTopic').implement({
  description: 'A topic of a storyline, with how many of its articles carry it.',
  fields: (t) => ({
    topic: t.field({ type: Topic, description: 'The topic.', resolve: (r) => r.topic }),
    articleCount: t.exposeInt('articleCount', { description: 'Articles of the storyline tagged with the topic.' }),
  }),
});

const StorylinePerson = builder.objectRef<StorylinePersonRow>('StorylinePerson').implement({
  description: 'A person in a storyline, with how many of its articles name them.',
  fields: (t) => ({
    person: t.field({ type: Person, description: 'The person.', resolve: (r) => r.person }),
    articleCount: t.exposeInt('articleCount', { description: 'Articles of the storyline that name the person.' }),
  }),
});

builder.node(Storyline, {
  description: `A developing story: the articles that continue one another. ${STORYLINE_RULE}`,
  id: { resolve: (s) => s.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.storylineById.load(id))),
  fields: (t) => ({
    firstSeen: t.field({ type: 'DateTime', description: 'Publication time of its earliest article.', resolve: (s) => s.firstSeen }),
    lastSeen: t.field({ type: 'DateTime', description: 'Publication time of its latest article.', resolve: (s) => s.lastSeen }),
    articleCount: t.int({
      description: 'How many articles the storyline holds.',
      resolve: async (s, _args, ctx) => (await ctx.loaders.articlesByStorylineId.load(s.id)).length,
    }),
    articles: t.field({
      type: [Article],
      description: `Its articles in publication order, oldest first (at most ${MAX_ARTICLES}).`,
      args: { first: t.arg.int({ required: false, description: `How many, from the oldest; default and maximum ${MAX_ARTICLES}.` }) },
      resolve: async (s, args, ctx) => {
        const first = args.first ?? MAX_ARTICLES;
        if (first < 0 || first > MAX_ARTICLES) throw badInput(`first must be between 0 and ${MAX_ARTICLES}; got ${first}`);
        return (await ctx.loaders.articlesByStorylineId.load(s.id)).slice(0, first);
      },
    }),
    topics: t.field({
      type: [StorylineTopic],
      description: 'Topics across its articles, the most common first.',
      resolve: (s, _args, ctx) => ctx.loaders.topicsByStorylineId.load(s.id),
    }),
    people: t.field({
      type: [StorylinePerson],
      description: 'People across its articles, the most often named first.',
      resolve: (s, _args, ctx) => ctx.loaders.peopleByStorylineId.load(s.id),
    }),
  }),
});

builder.objectField(Article, 'storyline', (t) =>
  t.field({
    type: Storyline,
    nullable: true,
    description: 'The developing story this article belongs to; null when no other stored article continues it.',
    resolve: (a, _args, ctx) => (a.storylineId === null ? null : ctx.loaders.storylineById.load(a.storylineId)),
  }),
);

builder.asEntity(Storyline, entityById('Storyline', (id, ctx) => ctx.loaders.storylineById.load(id)));
