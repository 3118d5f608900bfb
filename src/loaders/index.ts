import type { Db } from '../db/client.js';
import { createArticleLoaders } from './articles.js';
import { createEntityLoaders } from './entities.js';
import { createEventLoaders } from './events.js';
import { createPageLinkLoaders } from './pageLinks.js';
import { createPeopleLoaders } from './people.js';
import { createQuoteLoaders } from './quotes.js';
import { createRelatedLoaders } from './related.js';
import { createSearchLoaders } from './search.js';
import { createSourceLoaders } from './sources.js';
import { createStorylineLoaders } from './storylines.js';
import { createTopicLoaders } from './topics.js';
import { BatchLoader } from './util.js';

export interface LoaderOptions {
  /** Told the size of every batch, with the loader's name (its key in the returned object). */
  onBatch?: (loader: string, size: number) => void;
}

type ArticleLoaders = ReturnType<typeof createArticleLoaders>;
type PeopleLoaders = ReturnType<typeof createPeopleLoaders>;
/**
 * The loader groups, each made by one factory; a group may use loaders of other groups (`of`), which are then
 * made first.
 */
const GROUPS = [
  (db: Db) => createArticleLoaders(db),
  (db: Db) => createPeopleLoaders(db),
  (db: Db) => createTopicLoaders(db),
  (db: Db, of: PeopleLoaders) => createQuoteLoaders(db, of.personById),
  (db: Db) => createEventLoaders(db),
  (db: Db) => createEntityLoaders(db),
  (db: Db) => createPageLinkLoaders(db),
  (db: Db) => createSourceLoaders(db),
  (db: Db, of: ArticleLoaders) => createRelatedLoaders(db, of.articleById),
  (db: Db) => createSearchLoaders(db),
  (db: Db, of: ArticleLoaders) => createStorylineLoaders(db, of.primeArticles),
] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every loader of a request, by name. */
export type Loaders = UnionToIntersection<ReturnType<(typeof GROUPS)[number]>>;

/**
 * Per database and batch observer, an object whose properties are getters that make a loader group on first
 * use and store it on the instance. A request then pays for the groups its operation touches (an article with
 * its quotes and related stories uses four of eleven), not for all of them: making every loader of every
 * group on each request was 6% of the server's CPU on the benchmark's article query.
 */
const prototypes = new WeakMap<Db, Map<LoaderOptions['onBatch'], object>>();

function prototypeFor(db: Db, onBatch: LoaderOptions['onBatch']): object {
  let byObserver = prototypes.get(db);
  if (!byObserver) prototypes.set(db, (byObserver = new Map()));
  let proto = byObserver.get(onBatch);
  if (proto) return proto;
  proto = {};
  const make = (target: Loaders, group: (typeof GROUPS)[number]) => {
    const made = group(db, target as ArticleLoaders & PeopleLoaders) as Record<string, unknown>;
    for (const [name, value] of Object.entries(made)) {
      if (onBatch && value instanceof BatchLoader) value.onBatch = (size) => onBatch(name, size);
      Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return made;
  };
  // The names of each group's loaders, from one set made now and thrown away.
  const names = new Set<string>();
  for (const group of GROUPS) {
    for (const name of Object.keys(group(db, new Proxy({}, { get: () => undefined }) as ArticleLoaders & PeopleLoaders))) {
      if (names.has(name)) throw new Error(`two loader groups both name a loader "${name}"`);
      names.add(name);
      Object.defineProperty(proto, name, {
        enumerable: true,
        configurable: true,
        get(this: Loaders) {
          return make(this, group)[name];
        },
      });
    }
  }
  byObserver.set(onBatch, proto);
  return proto;
}

/**
 * Every DataLoader for one request. Create one set per request: the caches must not outlive it. Each group of
 * loaders is made when the request first uses one of them; `for...in` lists every name.
 */
export function createLoaders(db: Db, options: LoaderOptions = {}): Loaders {
  return Object.create(prototypeFor(db, options.onBatch)) as Loaders;
}
