/**
 * Person identity across stories. Within one story the extractor already folds "Hong" and "Spokesman Hong
 * Lei" into "Hong Lei"; a story that only ever says "Foreign Ministry spokesman Hong" yields a person keyed
 * "hong". This rule decides which stored person, if any, such a surname-only mention is.
 */

export interface StatedRole {
  title: string | null;
  organization: string | null;
}

/** A person known by a single name in one story. */
export interface SurnameMention {
  /** The extraction key: one lower-case word, e.g. "hong". */
  key: string;
  /** The role the story states for them, if any. */
  role: StatedRole | null;
}

/** A stored (or same-story) person with a full name and every role stories have stated for them. */
export interface IdentityCandidate {
  id: number;
  /** Lower-cased full name, e.g. "hong lei". */
  key: string;
  roles: StatedRole[];
}

/** True when the key is a single name ("hong"), the only shape this rule resolves. */
export function isSurnameKey(key: string): boolean {
  return key.length > 0 && !/\s/.test(key.trim());
}

function nameWords(key: string): string[] {
  return key.trim().split(/\s+/);
}

/**
 * Whether the candidate's full name ends with the single name, or (Chinese, Korean and other surname-first
 * names: "Hong Lei", "Geng Yansheng") begins with it. Either end counts because the stories print both orders.
 */
export function carriesSurname(candidateKey: string, surname: string): boolean {
  const words = nameWords(candidateKey);
  if (words.length < 2) return false;
  return words.at(-1) === surname || words[0] === surname;
}

const norm = (s: string | null | undefined): string | null => {
  const t = s?.trim().toLowerCase().replace(/\s+/g, ' ');
  return t ? t : null;
};

/** How much a candidate's stated roles agree with the mention's: 2 title and organization, 1 either, 0 none. */
function agreement(role: StatedRole, roles: StatedRole[]): number {
  const title = norm(role.title);
  const org = norm(role.organization);
  let best = 0;
  for (const r of roles) {
    const t = title !== null && norm(r.title) === title ? 1 : 0;
    const o = org !== null && norm(r.organization) === org ? 1 : 0;
    best = Math.max(best, t + o);
  }
  return best;
}

function hasRole(role: StatedRole | null | undefined): role is StatedRole {
  return Boolean(role && (norm(role.title) || norm(role.organization)));
}

/**
 * The id of the person a surname-only mention refers to, or null to keep it a separate person.
 *
 * 1. Candidates are full-name people whose name ends (or, surname first, begins) with the single name.
 * 2. If the mention states a role, the candidates sharing its title or organization win; the best agreement
 *    (title and organization over either) must be held by exactly one of them.
 * 3. Otherwise, when exactly one person carries the surname, it is them, unless both sides state roles that
 *    share neither title nor organization: "Prime Minister Lee" is not the only Lee we know as a trade minister.
 * Anything ambiguous stays separate: a wrong merge mixes two people's quotes, a missed one an editor can fix
 * with mergePeople.
 */
export function resolveSurname(mention: SurnameMention, candidates: readonly IdentityCandidate[]): number | null {
  const surname = norm(mention.key);
  if (!surname || !isSurnameKey(surname)) return null;
  const bearers = [...new Map(candidates.filter((c) => carriesSurname(norm(c.key) ?? '', surname)).map((c) => [c.id, c])).values()];
  if (bearers.length === 0) return null;

  if (hasRole(mention.role)) {
    const scored = bearers.map((c) => ({ id: c.id, score: agreement(mention.role!, c.roles) }));
    const best = Math.max(...scored.map((s) => s.score));
    if (best > 0) {
      const top = scored.filter((s) => s.score === best);
      return top.length === 1 ? top[0]!.id : null;
    }
  }
  if (bearers.length !== 1) return null;
  const only = bearers[0]!;
  const conflicting = hasRole(mention.role) && only.roles.some(hasRole);
  return conflicting ? null : only.id;
}
