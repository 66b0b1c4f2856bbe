import type { EntityManager } from '@mikro-orm/core';

/**
 * The entry each settled status owes the audit chain. A job done by a read after its hand-over
 * owes `writeback.confirmed_by_read` instead of `writeback.succeeded`: the check below takes either.
 */
const EXPECTED = {
  done: 'writeback.succeeded',
  failed: 'writeback.failed',
  resolved_by_hand: 'writeback.resolved_by_hand',
  handed_over: 'writeback.handed_over',
  registered_by_hand: 'writeback.registered_by_hand',
  not_needed: 'writeback.not_needed',
} as const;
type FinishedStatus = keyof typeof EXPECTED;

/** A finished write-back whose outcome is missing from its municipality's audit chain. */
export interface UnauditedWriteback {
  jobId: string;
  deferralRequestId: string;
  status: FinishedStatus;
  expectedType: (typeof EXPECTED)[FinishedStatus];
}

// Constant SQL built from the table above, never from input.
const STATUSES = Object.keys(EXPECTED)
  .map((status) => `'${status}'`)
  .join(', ');
const WHEN = Object.entries(EXPECTED)
  .map(([status, type]) => `when '${status}' then '${type}'`)
  .join(' ');

/**
 * The chain verifier proves that no entry was altered or removed; it cannot see an entry that was
 * never written. A write-back's outcome and its entry commit in one transaction, so every job in
 * the outbox that is done, failed, resolved by hand, handed over (or closed after that) must have
 * the entry of its status about its deferral request (a job resolved by hand also failed before,
 * but that entry does not stand for the resolution; one registered by hand was handed over before,
 * likewise). One statement, so it reads both tables in one snapshot.
 */
export async function findUnauditedWritebacks(
  em: EntityManager,
  municipalityId: string,
  limit = 20,
): Promise<{ count: number; first: UnauditedWriteback[] }> {
  const missing = `
    from writeback_jobs j
    where j.municipality_id = ? and j.status in (${STATUSES})
      and not exists (
        select 1 from audit_entries a
        where a.municipality_id = j.municipality_id
          and a.subject_id = cast(j.deferral_request_id as varchar(100))
          and (a.type = case j.status ${WHEN} end
            or (j.status = 'done' and a.type = 'writeback.confirmed_by_read'))
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
