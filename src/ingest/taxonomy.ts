import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { topics } from '../db/schema.js';
import { loadTaxonomy } from './extract/topics.js';

const loaded = new WeakSet<object>();

/**
 * Loads data/taxonomy.json into `topics`, parents before children. Idempotent: slugs are upserted, so an
 * edited taxonomy refreshes names, keywords and parents on the next start.
 */
export async function ensureTaxonomy(db: Db): Promise<void> {
  if (loaded.has(db)) return;
  const taxonomy = loadTaxonomy();
  await db.transaction(async (tx) => {
    const rows = await tx
      .insert(topics)
      .values(
        taxonomy.map((t) => ({
          slug: t.slug,
          name: t.name,
          description: t.description ?? null,
          keywords: t.keywords.map((k) => (typeof k === 'string' ? k : String((k as { phrase?: string }).phrase ?? k))),
        })),
      )
      .onConflictDoUpdate({
        target: topics.slug,
        set: { name: sql`excluded.name`, description: sql`excluded.description`, keywords: sql`excluded.keywords` },
      })
      .returning({ id: topics.id, slug: topics.slug });
    const ids = new Map(rows.map((r) => [r.slug, r.id]));
    const links = taxonomy.map((t) => sql`(${ids.get(t.slug)!}::int, ${t.parent ? (ids.get(t.parent) ?? null) : null}::int)`);
    await tx.execute(sql`
      update topics set parent_id = links.parent_id
      from (values ${sql.join(links, sql`, `)}) as links(id, parent_id)
      where topics.id = links.id and topics.parent_id is distinct from links.parent_id`);
  });
  loaded.add(db);
}
