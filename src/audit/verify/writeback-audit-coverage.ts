import type { EntityManager } from '@mikro-orm/core';

/** The entry each finished status owes the audit chain. */
const EXPECTED = {
  done: 'writeback.succeeded',
  failed: 'writeback.failed',
  resolved_by_hand: 'writeback.resolved_by_hand',
} as const;
type FinishedStatus = keyof typeof EXPECTED;

/** A finished write-back whose outcome is missing from its municipality's audit chain. */
export interface UnauditedWriteback {
  jobId: string;
  deferralRequestId: string;
  status: FinishedStatus;
  expectedType: (typeof EXPECTED)[FinishedStatus];
}

/**
 * The chain verifier proves that no entry was altered or removed; it cannot see an entry that was
 * never written. A write-back's outcome and its entry commit in one transaction, so every job in
 * the outbox that is done, failed or resolved by hand must have a `writeback.succeeded`,
 * `writeback.failed` or `writeback.resolved_by_hand` entry about its deferral request (a job
 * resolved by hand also failed before, but that entry does not stand for the resolution). One
 * statement, so it reads both tables in one snapshot.
 */
export async function findUnauditedWritebacks(
  em: EntityManager,
  municipalityId: string,
  limit = 20,
): Promise<{ count: number; first: UnauditedWriteback[] }> {
  const missing = `
    from writeback_jobs j
    where j.municipality_id = ? and j.status in ('done', 'failed', 'resolved_by_hand')
      and not exists (
        select 1 from audit_entries a
        where a.municipality_id = j.municipality_id
          and a.subject_id = cast(j.deferral_request_id as varchar(100))
          and a.type = case j.status
            when 'done' then 'writeback.succeeded'
            when 'failed' then 'writeback.failed'
            else 'writeback.resolved_by_hand' end
      )`;
  const connection = em.getConnection();
  const rows: { id: string; request: string; status: string }[] = await connection.execute(
    `select j.id as id, j.deferral_request_id as request, j.status as status ${missing}
     order by j.created_at, j.id limit ?`,
    [municipalityId, limit],
  );
  const count =
    rows.length < limit
      ? rows.length
      : Number(
          (
            await connection.execute<{ n: number | string }[]>(`select count(*) as n ${missing}`, [
              municipalityId,
            ])
          )[0].n,
        );
  return {
    count,
    first: rows.map((row) => {
      const status = finishedStatus(row.status);
      return {
        jobId: row.id,
        deferralRequestId: row.request,
        status,
        expectedType: EXPECTED[status],
      };
    }),
  };
}

function finishedStatus(status: string): FinishedStatus {
  if (Object.hasOwn(EXPECTED, status)) return status as FinishedStatus;
  throw new Error(`unexpected write-back status ${status}`);
}
