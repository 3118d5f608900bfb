import type { ObjectRef } from '@pothos/core';
import { andThen } from '../loaders/util.js';
import { mergePeople } from '../ingest/store.js';
import { encodeCursor, instant } from '../loaders/cursor.js';
import type { CoMentionRow, PersonTopicRow } from '../loaders/explore.js';
import { findPersonByName, listPeople, type PersonListFilter } from '../loaders/lists.js';
import type { ArticlePersonRow, PersonRoleRow, PersonRow, SpeakerQuoteRow } from '../loaders/people.js';
import { Article, ArticleConnection, articleConnection } from './article.js';
import { badInput, builder, entityById, parseLocalId } from './builder.js';
import type { Context } from './context.js';
import { idOf } from './ids.js';
import { afterCursor, pageArgs, pageSize, toConnection } from './pagination.js';
import { Quote } from './quote.js';
import { afterRank, rankCursor, Topic } from './topic.js';
import { requiresScope } from '../security/scopes.js';

export const Person = builder.objectRef<PersonRow>('Person');

export const PersonConnection = builder.connectionObject(
  { type: Person, name: 'PersonConnection', description: 'A page of people, by name.' },
  { name: 'PersonEdge', description: 'One person in a page of people.' },
);

const QuoteConnection = builder.connectionObject(
  { type: Quote, name: 'QuoteConnection', description: "A page of quotes: newest article first, body order within an article." },
  { name: 'QuoteEdge', description: 'One quote in a page of quotes.' },
);

const PersonRole = builder.objectRef<PersonRoleRow>('PersonRole').implement({
  description: 'A role stories state for a person, e.g. title "spokesman" of organization "Foreign Ministry".',
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true, description: 'The office, e.g. "spokesman" or "Defense Secretary".' }),
    organization: t.exposeString('organization', {
      nullable: true,
      description: 'Where the office is held, e.g. "Foreign Ministry"; null when no story says.',
    }),
    statedAs: t.exposeString('role', {
      nullable: true,
      description: 'The role as a story words it, e.g. "Foreign Ministry spokesman".',
    }),
    wordings: t.exposeStringList('wordings', {
      description: 'Every wording stories use for this role, e.g. ["Chinese Foreign Ministry spokesman", "Foreign Ministry spokesman"].',
    }),
    articleCount: t.exposeInt('articleCount', { description: 'Number of stories stating this role.' }),
    firstStatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Publication time of the oldest story stating this role; null when none of them is dated.',
      resolve: (r) => r.firstStatedAt,
    }),
    lastStatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Publication time of the newest story stating this role; null when none of them is dated.',
      resolve: (r) => r.lastStatedAt,
    }),
  }),
});

const PersonTopic = builder.objectRef<PersonTopicRow>('PersonTopic').implement({
  description: 'A topic of the stories naming a person: what they speak about, with how often.',
  fields: (t) => ({
    topic: t.field({
      type: Topic,
      description: 'The topic.',
      resolve: async (r, _args, ctx) => (await ctx.loaders.topicById.load(r.topicId))!,
    }),
    quoteCount: t.exposeInt('quoteCount', { description: 'Quotes by the person in stories on the topic.' }),
    articleCount: t.exposeInt('articleCount', { description: 'Stories on the topic that name the person.' }),
    weight: t.exposeFloat('weight', { description: "Sum of the topic's scores over those stories: how much they are about it." }),
  }),
});

const CoMentionedPerson = builder.objectRef<CoMentionRow>('CoMentionedPerson').implement({
  description: 'A person named in the same stories as another, with how many stories they share.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      description: 'The other person.',
      resolve: async (r, _args, ctx) => (await ctx.loaders.personById.load(r.otherId))!,
    }),
    sharedArticleCount: t.exposeInt('sharedArticleCount', { description: 'Stories naming both people.' }),
    lastSharedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Publication time of the newest story naming both; null when none of them is dated.',
      resolve: (r) => r.lastSharedAt,
    }),
  }),
});

const PersonTopicConnection = builder.connectionObject(
  {
    type: PersonTopic,
    name: 'PersonTopicConnection',
    description: 'A page of the topics a person speaks about, most quotes first.',
  },
  { name: 'PersonTopicEdge', description: 'One topic of the person, at its position in the ranking.' },
);

const CoMentionedPersonConnection = builder.connectionObject(
  {
    type: CoMentionedPerson,
    name: 'CoMentionedPersonConnection',
    description: 'A page of the people named beside a person, most shared stories first.',
  },
  { name: 'CoMentionedPersonEdge', description: 'One person named beside the person, at their position in the ranking.' },
);

builder.asEntity(Person, entityById('Person', (id, ctx) => ctx.loaders.personById.load(id)));

builder.node(Person, {
  description: 'A person named in the news: the same person across every story that names them.',
  id: { resolve: (p) => p.id, parse: parseLocalId },
  loadMany: (ids, ctx: Context) => Promise.all(ids.map((id) => ctx.loaders.personById.load(id))),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Fullest form of the name stories give, e.g. "Hong Lei".' }),
    aliases: t.exposeStringList('aliases', {
      description: 'Other forms stories use for this person, e.g. "Hong" or "Spokesman Hong Lei".',
    }),
    roles: t.field({
      type: [PersonRole],
      description:
        'Each distinct role (title and organization) stories state for this person, with the first and last story stating it: ' +
        'most recently stated first, then most often stated.',
      resolve: (p, _args, ctx) => ctx.loaders.rolesByPersonId.load(p.id),
    }),
    topics: t.field({
      type: PersonTopicConnection,
      description:
        'What this person speaks about: topics of the stories naming them, most quotes by them first, then most stories, then the ' +
        'strongest topic scores. totalCount is the number of distinct topics of those stories.',
      args: pageArgs,
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterRank('personTopics', args.after);
        const page = await ctx.loaders.topicsByPersonId.load({ parentId: p.id, first, after });
        return toConnection(page, rankCursor('personTopics'), after !== null, () => ctx.loaders.topicCountByPersonId.load(p.id));
      },
    }),
    coMentioned: t.field({
      type: CoMentionedPersonConnection,
      description:
        'People named in the same stories as this person: most shared stories first, then the most recent. ' +
        'totalCount is the number of distinct people named beside them.',
      args: pageArgs,
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterRank('coMentioned', args.after);
        const page = await ctx.loaders.coMentionedByPersonId.load({ parentId: p.id, first, after });
        return toConnection(page, rankCursor('coMentioned'), after !== null, () =>
          ctx.loaders.coMentionedCountByPersonId.load(p.id),
        );
      },
    }),
    quotes: t.field({
      type: QuoteConnection,
      description: "This person's quotes across all stories: newest story first, body order within a story.",
      args: pageArgs,
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterCursor('q', args.after);
        const page = await ctx.loaders.quotesBySpeakerId.load({ parentId: p.id, first, after });
        return toConnection(page, quoteCursor, after !== null, () => ctx.loaders.quoteCountBySpeakerId.load(p.id));
      },
    }),
    articles: t.field({
      type: ArticleConnection,
      description: 'Stories that name this person, newest first.',
      args: pageArgs,
      resolve: async (p, args, ctx) => {
        const first = pageSize(args.first);
        const after = afterCursor('a', args.after);
        const page = await ctx.loaders.articlesByPersonId.load({ parentId: p.id, first, after });
        return articleConnection(page, after !== null, () => ctx.loaders.articleCountByPersonId.load(p.id));
      },
    }),
  }),
});

function quoteCursor(q: SpeakerQuoteRow): string {
  return encodeCursor('q', { publishedAt: instant(q.articlePublishedAt), articleId: q.articleId, start: q.start, id: q.id });
}

export const ArticlePerson = builder.objectRef<ArticlePersonRow>('ArticlePerson').implement({
  description: 'A person as named in one story, with the role that story states for them.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      description: 'The person.',
      resolve: (m, _args, ctx) =>
        andThen(ctx.loaders.personById.get(m.personId), (person) => {
          if (!person) throw new Error(`article_people row refers to missing person ${m.personId}`);
          return person;
        }),
    }),
    role: t.exposeString('role', {
      nullable: true,
      description: 'The role as this story words it, e.g. "Foreign Ministry spokesman"; null when it states none.',
    }),
    roleTitle: t.exposeString('roleTitle', { nullable: true, description: 'The office alone, e.g. "spokesman".' }),
    roleOrganization: t.exposeString('roleOrganization', {
      nullable: true,
      description: 'Where the office is held, e.g. "Foreign Ministry"; null when the story does not say.',
    }),
    mentionCount: t.exposeInt('mentionCount', { description: 'How often the story refers to this person.' }),
    firstMention: t.exposeInt('firstMention', { description: 'Character offset in the body of the first mention.' }),
    quoteCount: t.exposeInt('quoteCount', { description: 'Number of quotes attributed to this person in this story.' }),
    quotes: t.field({
      type: [Quote],
      description: "This person's quotes in this story, in body order.",
      resolve: (m, _args, ctx) =>
        andThen(ctx.loaders.quotesByArticleId.get(m.articleId), (list) => list.filter((q) => q.speakerId === m.personId)),
    }),
    article: t.field({
      type: Article,
      description: 'The story.',
      resolve: async (m, _args, ctx) => (await ctx.loaders.articleById.load(m.articleId))!,
    }),
  }),
});

const PersonFilter = builder.inputType('PersonFilter', {
  description: 'Narrows a list of people; all given conditions must hold.',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Case-insensitive part of the name or of an alias, e.g. "hong".' }),
    topic: t.string({ required: false, description: 'Slug of a topic: people named in stories with that topic.' }),
    quoted: t.boolean({ required: false, description: 'When true, only people quoted in at least one story.' }),
  }),
});

builder.queryFields((t) => ({
  person: t.field({
    type: Person,
    nullable: true,
    description: 'One person by ID, or by exact name or alias (case-insensitive); give exactly one. Null when there is none.',
    args: {
      id: t.arg.id({ required: false, description: 'The person ID.' }),
      name: t.arg.string({ required: false, description: 'Full name or alias, e.g. "Hong Lei".' }),
    },
    resolve: async (_root, args, ctx) => {
      if ((args.id == null) === (args.name == null)) throw badInput('person needs exactly one of id or name');
      if (args.id != null) return ctx.loaders.personById.load(idOf(args.id, 'Person', 'id'));
      return findPersonByName(ctx.db, ctx.loaders, args.name!);
    },
  }),
  people: t.field({
    type: PersonConnection,
    description: 'People named in stored stories, by name.',
    args: {
      ...pageArgs,
      filter: t.arg({ type: PersonFilter, required: false, description: 'Conditions the people must meet.' }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first);
      const after = afterCursor('p', args.after);
      const f = args.filter ?? {};
      const filter: PersonListFilter = {};
      if (f.name != null && f.name.trim() !== '') filter.name = f.name.trim();
      if (f.quoted) filter.quotedOnly = true;
      if (f.topic != null) {
        const topic = await ctx.loaders.topicBySlug.load(f.topic);
        if (!topic) throw badInput(`filter.topic: no topic has the slug "${f.topic.slice(0, 100)}"`);
        filter.topicId = topic.id;
      }
      const list = await listPeople(ctx.db, ctx.loaders, filter, first, after);
      return toConnection(list.page, (p) => encodeCursor('p', { name: p.name, id: p.id }), after !== null, list.count);
    },
  }),
}));

interface UserErrorShape {
  field: string[];
  message: string;
}
// UserError is defined (unexported) in article.ts; Pothos resolves a type by its name.
const UserError = 'UserError' as unknown as ObjectRef<any, UserErrorShape>;

interface MergePeoplePayloadShape {
  person: PersonRow | null;
  userErrors: UserErrorShape[];
}

const MergePeopleInput = builder.inputType('MergePeopleInput', {
  description: 'Two records of one person: `merge` is folded into `keep`.',
  fields: (t) => ({
    keep: t.id({ required: true, description: 'The person that remains, with its name.' }),
    merge: t.id({ required: true, description: 'The person folded into `keep` and then deleted.' }),
  }),
});

const MergePeoplePayload = builder.objectRef<MergePeoplePayloadShape>('MergePeoplePayload').implement({
  description: 'Result of mergePeople.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      nullable: true,
      description: 'The kept person, now with every mention, quote and alias of the merged one; null when refused.',
      resolve: (p) => p.person,
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'Why the merge was refused; empty on success. Nothing is written when refused.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

builder.mutationFields((t) => ({
  mergePeople: t.field({
    extensions: requiresScope('edit'),
    type: MergePeoplePayload,
    description:
      'Folds one person into another, in one transaction: every story mention (where both are named in one story, their ' +
      "counts add up and keep's role stays unless it states none), every quote's speaker, and the merged name and aliases " +
      'move to `keep`; `merge` is deleted. Later stories naming the merged person are stored under `keep`. Refuses (userErrors) ' +
      'a person merged with itself or an ID that names no person.',
    args: { input: t.arg({ type: MergePeopleInput, required: true, description: 'The two people.' }) },
    resolve: async (_root, { input }, ctx): Promise<MergePeoplePayloadShape> => {
      const errors: UserErrorShape[] = [];
      const ids: Partial<Record<'keep' | 'merge', number>> = {};
      for (const field of ['keep', 'merge'] as const) {
        try {
          ids[field] = idOf(input[field], 'Person', `input.${field}`);
        } catch (error) {
          errors.push({ field: ['input', field], message: (error as Error).message });
        }
      }
      if (errors.length) return { person: null, userErrors: errors };
      if (ids.keep === ids.merge) {
        return { person: null, userErrors: [{ field: ['input', 'merge'], message: 'merge names the same person as keep' }] };
      }
      const result = await mergePeople(ctx.db, ids.keep!, ids.merge!);
      if (result.status === 'missing') {
        return {
          person: null,
          userErrors: result.missing.map((f) => ({ field: ['input', f], message: `input.${f} names no person` })),
        };
      }
      ctx.loaders.personById.clear(ids.keep!).clear(ids.merge!).prime(result.person.id, result.person);
      return { person: result.person, userErrors: [] };
    },
  }),
}));
