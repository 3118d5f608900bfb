import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';

/**
 * API keys. A key is `ngk_<id>_<secret>`: the id (12 hex digits) is public and names the key's line in the keys
 * file, so a presented key is looked up in O(1); the secret (32 random bytes, base64url) is checked against a
 * salted scrypt hash. The keys file never holds a key in clear.
 */

export const SCOPES = ['read', 'ingest', 'edit'] as const;
/** `read`: no write scope (every valid key may read); `ingest`: ingestArticle; `edit`: mergePeople. */
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: ReadonlySet<Scope>;
}

/** A key's line in the keys file: what it grants and the salted hash of its secret. */
export interface StoredKey extends ApiKey {
  hash: ScryptHash;
}

interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  digest: Buffer;
}

export const KEY_PATTERN = /^ngk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HASH_PATTERN = /^scrypt:(\d+):(\d+):(\d+):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{43})$/;
/** About 50 ms and 16 MiB per hash on one core of the reference machine; see README, "Who may do what". */
const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;

function scrypt(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(secret, salt, 32, options, (error, derived) => (error ? reject(error) : resolve(derived))),
  );
}

export function parseScopes(text: string): { scopes: Scope[]; unknown: string[] } {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCOPES as readonly string[]).includes(n));
  const scopes = SCOPES.filter((s) => names.includes(s));
  return { scopes, unknown };
}

/** A new key and the keys-file line that admits it. The key is returned once and never stored. */
export async function createKey(name: string, scopes: readonly Scope[]): Promise<{ key: string; id: string; line: string }> {
  if (!NAME_PATTERN.test(name)) throw new Error(`name "${name}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  if (scopes.length === 0) throw new Error(`give at least one scope: ${SCOPES.join(', ')}`);
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const digest = await scrypt(secret, salt, SCRYPT_PARAMS);
  const hash = `scrypt:${SCRYPT_PARAMS.N}:${SCRYPT_PARAMS.r}:${SCRYPT_PARAMS.p}:${salt.toString('base64url')}:${digest.toString('base64url')}`;
  return { key: `ngk_${id}_${secret}`, id, line: `${id} ${name} ${scopes.join(',')} ${hash}` };
}

/** A keys or persisted-operations file the service cannot use; lists every problem. */
export class AccessFileError extends Error {
  constructor(
    what: string,
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The ${what} file ${file} has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = new.target.name;
  }
}

export class KeyFileError extends AccessFileError {
  constructor(file: string, problems: string[]) {
    super('API keys', file, problems);
  }
}

/** Parses a keys file's text: `id name scopes hash` per line, `#` comments and blank lines ignored. Lists every problem. */
export function parseKeyFile(text: string, file: string): StoredKey[] {
  const problems: string[] = [];
  const keys: StoredKey[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const at = `line ${index + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 4) {
      problems.push(`${at}: expected "id name scopes hash" (4 fields, as printed by npm run keys -- create), found ${fields.length}`);
      return;
    }
    const [id, name, scopeText, hashText] = fields as [string, string, string, string];
    const before = problems.length;
    if (!/^[0-9a-f]{12}$/.test(id)) problems.push(`${at}: id "${id.slice(0, 40)}" is not 12 hex digits`);
    else if (seen.has(id)) problems.push(`${at}: id ${id} appears twice`);
    if (!NAME_PATTERN.test(name)) problems.push(`${at}: name "${name.slice(0, 70)}" must be 1-64 letters, digits, '.', '_' or '-'`);
    const { scopes, unknown } = parseScopes(scopeText);
    if (unknown.length) problems.push(`${at}: unknown scope(s) ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
    else if (scopes.length === 0) problems.push(`${at}: no scope`);
    const hash = HASH_PATTERN.exec(hashText);
    const [N, r, p] = hash ? [Number(hash[1]), Number(hash[2]), Number(hash[3])] : [0, 0, 0];
    if (!hash) problems.push(`${at}: hash is not scrypt:N:r:p:salt:digest`);
    else if (N < 1024 || N > 1048576 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) {
      problems.push(`${at}: scrypt parameters N=${N} r=${r} p=${p} are out of range`);
    }
    if (problems.length > before) return;
    seen.add(id);
    keys.push({
      id,
      name,
      scopes: new Set(scopes),
      hash: { N, r, p, salt: Buffer.from(hash![4]!, 'base64url'), digest: Buffer.from(hash![5]!, 'base64url') },
    });
  });
  if (problems.length) throw new KeyFileError(file, problems);
  return keys;
}

export interface KeyStoreOptions {
  /** How long a verified key is remembered, so scrypt runs once per key per period rather than per request. */
  cacheMs?: number;
  cacheSize?: number;
  now?: () => number;
}

/**
 * The configured keys. `cached` answers from memory (no scrypt); `verify` runs scrypt on a miss. A verified key
 * is remembered by the SHA-256 of the whole key, so only the exact key presented earlier hits the cache.
 */
export class KeyStore {
  private readonly byId: Map<string, StoredKey>;
  private readonly verified = new Map<string, { key: ApiKey; until: number }>();
  private readonly cacheMs: number;
  private readonly cacheSize: number;
  private readonly now: () => number;
  /** scrypt runs since start; tests count them. */
  hashesComputed = 0;

  constructor(keys: StoredKey[], options: KeyStoreOptions = {}) {
    this.byId = new Map(keys.map((k) => [k.id, k]));
    this.cacheMs = options.cacheMs ?? 60_000;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  static fromFile(file: string, options?: KeyStoreOptions): KeyStore {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new KeyFileError(file, [`cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
    }
    return new KeyStore(parseKeyFile(text, file), options);
  }

  get size(): number {
    return this.byId.size;
  }

  list(): ApiKey[] {
    return [...this.byId.values()].map(({ id, name, scopes }) => ({ id, name, scopes }));
  }

  /** The key if it was verified within the cache period; null otherwise (unknown, wrong or not yet verified). */
  cached(presented: string): ApiKey | null {
    const fingerprint = createHash('sha256').update(presented).digest('base64url');
    const hit = this.verified.get(fingerprint);
    if (!hit) return null;
    if (hit.until > this.now()) return hit.key;
    this.verified.delete(fingerprint);
    return null;
  }

  /** The key a presented string proves, or null. Unknown ids and malformed keys cost no scrypt. */
  async verify(presented: string): Promise<ApiKey | null> {
    const hit = this.cached(presented);
    if (hit) return hit;
    const match = KEY_PATTERN.exec(presented);
    const stored = match ? this.byId.get(match[1]!) : undefined;
    if (!match || !stored) return null;
    this.hashesComputed += 1;
    const digest = await scrypt(match[2]!, stored.hash.salt, stored.hash);
    if (digest.length !== stored.hash.digest.length || !timingSafeEqual(digest, stored.hash.digest)) return null;
    const key: ApiKey = { id: stored.id, name: stored.name, scopes: stored.scopes };
    if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(createHash('sha256').update(presented).digest('base64url'), { key, until: this.now() + this.cacheMs });
    return key;
  }
}
