/**
 * What a PostGraphile user adds by hand for this API, kept in a schema of the benchmark's own (`bench_pg`) so
 * the service's tables are untouched: full-text search and the topic timeline as SQL functions (PostGraphile
 * exposes them as root fields), the spokespeople of an article as a computed column, and an index on the plain
 * columns its generated `ORDER BY published_at DESC, id DESC` can use (the service's own index is on an
 * expression it cannot name). Every statement is idempotent.
 */
export const BENCH_PG_SCHEMA = 'bench_pg';

export const POSTGRAPHILE_SETUP_SQL = `
create schema if not exists bench_pg;

create index if not exists bench_pg_articles_published_idx on public.articles (published_at desc, id desc);

create or replace function public.articles_spokespeople(a public.articles) returns setof public.article_people
language sql stable as $$
  select p.* from public.article_people p where p.article_id = a.id and p.quote_count > 0
  order by p.first_mention, p.person_id
$$;

create or replace function bench_pg.search_articles(query text) returns setof public.articles
language sql stable as $$
  select a.* from public.articles a
  where a.search @@ websearch_to_tsquery('english', query)
  order by ts_rank(a.search, websearch_to_tsquery('english', query), 32) desc, a.id desc
$$;

create or replace function bench_pg.topic_timeline(topic_slug text, bucket text, range_from timestamptz, range_to timestamptz)
returns table (start timestamptz, count integer)
language sql stable as $$
  with counts as (
    select date_trunc(bucket, a.published_at, 'UTC') as start, count(*)::integer as count
    from public.topics t
    join public.article_topics at on at.topic_id = t.id
    join public.articles a on a.id = at.article_id
    where t.slug = topic_slug and a.published_at >= range_from and a.published_at < range_to
    group by 1
  )
  select s.start, coalesce(c.count, 0)
  from generate_series(date_trunc(bucket, range_from, 'UTC'), range_to - interval '1 microsecond', ('1 ' || bucket)::interval) as s(start)
  left join counts c using (start)
  order by s.start
$$;
`;
