import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/database';

/**
 * The console's read-only aggregates (issue 9 §6): dashboard counts and the risk team's credit reports.
 * Plain SQL that runs on PGlite and PostgreSQL; every result is bounded (grouped or limited).
 */

async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  return (await db.execute(q) as unknown as { rows: T[] }).rows;
}

/** Consents by purpose and state (`active`, `expired`, `withdrawn`) at `now`. */
export const consentsByState = (db: Db, now: Date) =>
  rows<{ purpose: string; state: string; n: number }>(db, sql`
    select purpose,
           case when withdrawn_at is not null then 'withdrawn' when expires_at <= ${now} then 'expired' else 'active' end as state,
           count(*)::int as n
      from consents group by 1, 2 order by 1, 2`);

/** Merchant queries per merchant and purpose since `since` (top 50). */
export const queriesByMerchant = (db: Db, since: Date) =>
  rows<{ client_id: string; name: string; purpose: string; n: number }>(db, sql`
    select q.client_id, coalesce(max(c.name), q.client_id) as name, q.purpose, count(*)::int as n
      from merchant_query_log q left join merchant_clients c on c.id = q.client_id
     where q.at >= ${since}
     group by q.client_id, q.purpose order by n desc, q.client_id limit 50`);

/** Per peer: entries of our log served to it (highest index + 1) and when, and valid signals held from it. */
export const sharingByPeer = (db: Db) =>
  rows<{ peer: string; served_up_to: number; last_served_at: Date | string | null; held: number }>(db, sql`
    with served as (select peer, max(to_idx)::bigint as up_to, max(last_served_at) as last_at from peer_served group by peer),
         held as (select issuer, count(*)::int as n from held_signals where status = 'valid' group by issuer)
    select coalesce(s.peer, h.issuer) as peer, coalesce(s.up_to, 0)::int as served_up_to, s.last_at as last_served_at, coalesce(h.n, 0)::int as held
      from served s full outer join held h on h.issuer = s.peer
     order by 1 limit 200`);

/** Pending review tasks: how many and since when. */
export const reviewBacklog = async (db: Db) =>
  (await rows<{ n: number; oldest: Date | string | null }>(db, sql`select count(*)::int as n, min(created_at) as oldest from decision_reviews where state = 'pending'`))[0] ?? { n: 0, oldest: null };

/** The decisions in force (same rule as the decisions repository's `effective`), one per subject. */
const inForce = sql`
  select distinct on (d.subject) d.subject, d.grade, d.limit_minor, d.status
    from decisions d
   where not exists (select 1 from decision_reviews r where r.decision_id = d.id and r.state = 'rejected')
     and (d.status <> 'under_review' or exists (select 1 from decision_reviews r where r.decision_id = d.id and r.kind = 'limit' and r.state = 'approved'))
   order by d.subject, d.seq desc`;

/**
 * Grade distribution of the decisions in force, with total limits and used limits (minor units) per grade. Used =
 * what partner merchants drew on the member's lines: outstanding (captured minus repaid, `merchant_lines`) plus
 * live holds (`merchant_authorizations` held and not expired at `now`).
 */
export const gradeDistribution = (db: Db, now: Date) =>
  rows<{ grade: string; n: number; limit_minor: number; used_minor: number; frozen: number }>(db, sql`
    select f.grade, count(*)::int as n, coalesce(sum(f.limit_minor), 0)::float8 as limit_minor,
           (coalesce(sum(l.outstanding_minor), 0) + coalesce(sum(h.held), 0))::float8 as used_minor,
           count(*) filter (where f.status = 'frozen')::int as frozen
      from (${inForce}) f
      left join merchant_lines l on l.subject = f.subject
      left join (select subject, sum(amount_minor) as held from merchant_authorizations
                  where state = 'held' and expires_at > ${now} group by subject) h on h.subject = f.subject
     group by f.grade order by f.grade`);

/** Credit lines other members share (`credit.line` held from peers, valid, not expired), by issuer and limit band. */
export const exposureByMember = (db: Db, own: string, now: Date) =>
  rows<{ issuer: string; band: string; n: number; subjects: number }>(db, sql`
    select issuer, coalesce(convert_from(entry, 'UTF8')::jsonb #>> '{body,data,limitBand}', 'unknown') as band,
           count(*)::int as n, count(distinct subject_value)::int as subjects
      from held_signals
     where type = 'credit.line' and status = 'valid' and expires_at > ${now} and issuer <> ${own}
     group by 1, 2 order by 1, 2 limit 500`);

/** Overdue signals (own and peers', valid) by the month they describe and bucket, for the last `months` months. */
export const overdueAging = (db: Db, fromMonth: string) =>
  rows<{ month: string; bucket: string; n: number }>(db, sql`
    select m.month, m.bucket, count(*)::int as n
      from (select convert_from(entry, 'UTF8')::jsonb #>> '{body,data,asOf}' as month,
                   convert_from(entry, 'UTF8')::jsonb #>> '{body,data,bucket}' as bucket
              from held_signals where type = 'repayment.overdue' and status = 'valid') m
     where m.month >= ${fromMonth}
     group by 1, 2 order by 1, 2 limit 1000`);
