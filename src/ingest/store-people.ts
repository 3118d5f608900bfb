import { inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { arrayLiteral } from '../db/rows.js';
import { articlePeople, people } from '../db/schema.js';
import { type IdentityCandidate, isSurnameKey, resolveSurname, type StatedRole } from '../graph/identity.js';
import type { Extraction } from './types.js';

/** A person as the pages of a run see it: stored before the run, or created by a page before (id < 0 until inserted). */
interface Person {
  id: number;
  key: string;
  name: string;
  aliases: string[];
  mergedKeys: string[];
  /** Every distinct role stories state for them (title or organization), when they may be a surname's candidate. */
  roles: StatedRole[];
}

/** Two people of a run turned out to be created by another ingest meanwhile: the run is to be stored again. */
export class PeopleRace extends Error {
  constructor() {
    super('people of the run were created by a concurrent ingest');
  }
}

export interface PeoplePage {
  articleId: number;
  extraction: Extraction;
}

/**
 * The people of a run of just-stored articles, page after page, as storing them one by one decides: each
 * person found by key (or a key merged into them) or created; a single name ("hong") resolved by the
 * identity rule (graph/identity.ts) against the full-name people and the roles stories stated for them,
 * those of the earlier pages of the run included; names and aliases joined to the person. The database is
 * read once for the run (the people its keys name, and the surname candidates with their roles), the pages
 * are resolved in memory, and the new people, grown aliases and article_people rows are written with one
 * statement each. New people get their ids in the order one-by-one storing would create them.
 * Returns each page's extraction keys mapped to person ids.
 */
export async function storePeople(tx: Db, pages: PeoplePage[]): Promise<Map<string, number>[]> {
  const keys = [...new Set(pages.flatMap((p) => p.extraction.people.map((x) => x.key)))];
  if (keys.length === 0) return pages.map(() => new Map());
  const surnames = keys.filter(isSurnameKey);
  const pattern = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [named, candidates] = await Promise.all([
    tx
      .select({ id: people.id, key: people.key, name: people.name, aliases: people.aliases, mergedKeys: people.mergedKeys })
      .from(people)
      .where(or(inArray(people.key, keys), sql`${people.mergedKeys} && ${arrayLiteral(keys)}::text[]`)),
    surnames.length > 0
      ? tx
          .selectDistinct({
            id: people.id,
            key: people.key,
            name: people.name,
            aliases: people.aliases,
            mergedKeys: people.mergedKeys,
            title: articlePeople.roleTitle,
            organization: articlePeople.roleOrganization,
          })
          .from(people)
          .leftJoin(articlePeople, sql`${articlePeople.personId} = ${people.id}`)
          .where(or(...surnames.flatMap((s) => [like(people.key, `% ${pattern(s)}`), like(people.key, `${pattern(s)} %`)])))
      : Promise.resolve([]),
  ]);
  const view = new Map<number, Person>();
  const found: { id: number; key: string; name: string; aliases: string[]; mergedKeys: string[]; title?: string | null; organization?: string | null }[] = [
    ...named,
    ...candidates,
  ];
  for (const r of found) {
    const person = view.get(r.id) ?? { id: r.id, key: r.key, name: r.name, aliases: r.aliases, mergedKeys: r.mergedKeys, roles: [] };
    view.set(r.id, person);
    const title = r.title ?? null;
    const organization = r.organization ?? null;
    if (title !== null || organization !== null) addRole(person, { title, organization });
  }

  const created: Person[] = [];
  const grown = new Map<number, Set<string>>();
  const idsOf = pages.map(({ extraction }) => {
    const ids = resolvePage(extraction, view, created, grown);
    // The roles this page states are there for the pages after it, as its article_people rows would be.
    for (const row of articlePeopleRows(0, extraction, ids)) {
      if (row.roleTitle != null || row.roleOrganization != null) {
        addRole(view.get(row.personId)!, { title: row.roleTitle ?? null, organization: row.roleOrganization ?? null });
      }
    }
    return ids;
  });

  const realId = new Map<number, number>();
  if (created.length > 0) {
    const rows = await tx
      .insert(people)
      .values(created.map((p) => ({ name: p.name, key: p.key, aliases: p.aliases })))
      .onConflictDoNothing()
      .returning({ id: people.id, key: people.key });
    if (rows.length !== created.length) throw new PeopleRace();
    const byKey = new Map(rows.map((r) => [r.key, r.id]));
    for (const p of created) realId.set(p.id, byKey.get(p.key)!);
  }
  const real = (id: number) => (id < 0 ? realId.get(id)! : id);
  const result = idsOf.map((ids) => new Map([...ids].map(([k, id]) => [k, real(id)])));

  const aliasRows = [...grown].map(([id, set]) => [real(id), [...set]] as const).sort((a, b) => a[0] - b[0]);
  if (aliasRows.length > 0) {
    const rows = aliasRows.map(([id, aliases]) => sql`(${id}::integer, ${arrayLiteral(aliases)}::text[])`);
    await tx.execute(sql`
      update people set aliases = array(select distinct a from unnest(people.aliases || v.aliases) as a where a <> people.name order by a)
      from (values ${sql.join(rows, sql`, `)}) as v(id, aliases)
      where people.id = v.id`);
  }
  const rows = pages.flatMap(({ articleId, extraction }, i) => articlePeopleRows(articleId, extraction, result[i]!));
  if (rows.length > 0) await tx.insert(articlePeople).values(rows);
  return result;
}

function addRole(person: Person, role: StatedRole): void {
  if (!person.roles.some((r) => r.title === role.title && r.organization === role.organization)) person.roles.push(role);
}

/**
 * One page's people against `view` (what the database holds as of this page), which it updates: people it
 * creates join `view` and `created`, aliases it adds join `grown`.
 */
function resolvePage(extraction: Extraction, view: Map<number, Person>, created: Person[], grown: Map<number, Set<string>>): Map<string, number> {
  if (extraction.people.length === 0) return new Map();
  const byKey = new Map(extraction.people.map((p) => [p.key, p]));

  const find = (keys: string[], mergedOnly = false) => {
    const wanted = new Set(keys);
    const rows = [...view.values()].filter((p) => (!mergedOnly && wanted.has(p.key)) || p.mergedKeys.some((k) => wanted.has(k)));
    const out: { id: number; key: string }[] = [];
    // A key merged into someone else comes first, so a person still stored under that very key wins.
    for (const r of rows) for (const k of r.mergedKeys) if (wanted.has(k)) out.push({ id: r.id, key: k });
    for (const r of rows) if (wanted.has(r.key)) out.push({ id: r.id, key: r.key });
    return out;
  };
  const idsByKey = (wantedKeys: string[]) => {
    const ids = new Map(find(wantedKeys).map((r) => [r.key, r.id]));
    for (const k of wantedKeys.filter((x) => !ids.has(x)).sort()) {
      const p = byKey.get(k)!;
      const person: Person = { id: -(created.length + 1), key: k, name: p.name, aliases: p.aliases, mergedKeys: [], roles: [] };
      created.push(person);
      view.set(person.id, person);
      ids.set(k, person.id);
    }
    return ids;
  };

  const fullKeys = [...byKey.keys()].filter((k) => !isSurnameKey(k));
  let surnameKeys = [...byKey.keys()].filter(isSurnameKey);
  const ids = fullKeys.length ? idsByKey(fullKeys) : new Map<string, number>();

  if (surnameKeys.length > 0) {
    // An editor's merge is the strongest evidence; then the identity rule; then the single name as its own person.
    for (const r of find(surnameKeys, true)) ids.set(r.key, r.id);
    surnameKeys = surnameKeys.filter((k) => !ids.has(k));
  }
  if (surnameKeys.length > 0) {
    const candidates = new Map<number, IdentityCandidate>();
    for (const p of view.values()) {
      if (!surnameKeys.some((s) => p.key.endsWith(` ${s}`) || p.key.startsWith(`${s} `))) continue;
      candidates.set(p.id, { id: p.id, key: p.key, roles: [...p.roles] });
    }
    // The story's own full-name people, with the roles it states for them, are candidates too.
    for (const k of fullKeys) {
      const id = ids.get(k)!;
      const c = candidates.get(id) ?? { id, key: k, roles: [] };
      const role = byKey.get(k)!.role;
      if (role) c.roles.push({ title: role.title, organization: role.organization });
      candidates.set(id, c);
    }
    const all = [...candidates.values()];
    for (const k of surnameKeys) {
      const role = byKey.get(k)!.role;
      const id = resolveSurname({ key: k, role: role ? { title: role.title, organization: role.organization } : null }, all);
      if (id !== null) ids.set(k, id);
    }
    const rest = surnameKeys.filter((k) => !ids.has(k));
    if (rest.length) for (const [k, id] of idsByKey(rest)) ids.set(k, id);
  }

  // Aliases each person gains from this story: its own forms, plus the single name it was resolved from.
  for (const [key, p] of byKey) {
    const person = view.get(ids.get(key)!)!;
    const gained: string[] = [];
    for (const a of [p.name, ...p.aliases]) {
      if (a !== person.name && !person.aliases.includes(a) && !gained.includes(a)) gained.push(a);
    }
    if (gained.length === 0) continue;
    const set = grown.get(person.id) ?? new Set<string>();
    for (const a of gained) set.add(a);
    grown.set(person.id, set);
    person.aliases = [...new Set([...person.aliases, ...gained])].filter((a) => a !== person.name);
  }
  return ids;
}

/**
 * One article_people row per stored person the story names. Two extracted people may be one stored person
 * (a single name resolved to a full one): one row for both, with the role of the fuller mention when it
 * states one.
 */
function articlePeopleRows(articleId: number, extraction: Extraction, personIds: Map<string, number>): (typeof articlePeople.$inferInsert)[] {
  if (extraction.people.length === 0) return [];
  const quoteCounts = new Map<string, number>();
  for (const q of extraction.quotes) {
    if (q.speakerKey) quoteCounts.set(q.speakerKey, (quoteCounts.get(q.speakerKey) ?? 0) + 1);
  }
  const rows = new Map<number, typeof articlePeople.$inferInsert & { mentionCount: number; firstMention: number; quoteCount: number }>();
  for (const p of new Map(extraction.people.map((x) => [x.key, x])).values()) {
    const personId = personIds.get(p.key)!;
    const row = {
      articleId,
      personId,
      role: p.role?.text ?? null,
      roleTitle: p.role?.title ?? null,
      roleOrganization: p.role?.organization ?? null,
      mentionCount: p.mentions.length,
      firstMention: Math.min(...p.mentions.map((m) => m.start), Number.MAX_SAFE_INTEGER),
      quoteCount: quoteCounts.get(p.key) ?? 0,
    };
    const seen = rows.get(personId);
    if (!seen) {
      rows.set(personId, row);
      continue;
    }
    const useNew = seen.roleTitle == null && seen.role == null && (row.role != null || row.roleTitle != null);
    rows.set(personId, {
      ...(useNew ? row : seen),
      mentionCount: seen.mentionCount + row.mentionCount,
      firstMention: Math.min(seen.firstMention, row.firstMention),
      quoteCount: seen.quoteCount + row.quoteCount,
    });
  }
  return [...rows.values()];
}
