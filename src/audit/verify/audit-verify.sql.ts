/**
 * The verifier's SQL. Pages are seq ranges, not just LIMITs: a sound chain is dense, so a range
 * holds at most a page of rows whatever plan the database picks (with stale statistics PostgreSQL
 * would otherwise sort every remaining row for each page).
 */
const COLUMNS =
  'seq, type, subject_id as "subjectId", payload_hash as "payloadHash", prev_hash as "prevHash", hash';
const RANGE =
  'from audit_entries where municipality_id = ? and seq >= ? and seq < ? order by seq limit ?';

// PostgreSQL: created_at already in Date#toISOString form.
const PG_CREATED_AT_ISO = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PG_CREATED_AT = `${PG_CREATED_AT_ISO} as "createdAt"`;

/** PostgreSQL, every field of every row: the verifier hashes the payloads itself. */
export const PAGE_POSTGRESQL = `select ${COLUMNS}, payload::text as payload, ${PG_CREATED_AT} ${RANGE}`;

// PostgreSQL's own sha256 over the json column's exact text, and over the entry's fields as
// `auditEntryHash` joins them, each compared with the stored hash where the rows lie.
const PG_SHA256 = (bytes: string) =>
  `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(${bytes}, 'UTF8')), 'hex')`;
const PG_PAYLOAD_OK = `${PG_SHA256('payload::text')} = payload_hash`;
const PG_HASH_OK = `${PG_SHA256(`prev_hash || E'\\n' || seq::text || E'\\n' || municipality_id::text || E'\\n' || type || E'\\n' || subject_id || E'\\n' || ${PG_CREATED_AT_ISO} || E'\\n' || payload_hash`)} = hash`;

/**
 * PostgreSQL, a page as one row: how many entries the range holds, whether every one of them is
 * sound (both hashes recomputed and equal to the stored ones, each seq one more than the one
 * before it and each previous hash the hash before it), its first entry's seq and links and its
 * last entry's seq and hash. Only that row travels; a page that is not sound is read again with
 * `PAGE_POSTGRESQL_DB_CHECK` and walked entry by entry, so a failure is reported as exactly.
 */
export const PAGE_POSTGRESQL_SUMMARY = `select count(*)::int as "count",
  coalesce(bool_and((sound and (rn = 1 or (seq = before_seq + 1 and prev_hash = before_hash))) is true), false) as "sound",
  min(seq) filter (where rn = 1) as "firstSeq",
  min(prev_hash) filter (where rn = 1) as "firstPrevHash",
  min(hash) filter (where rn = 1) as "firstHash",
  max(seq) filter (where is_last) as "lastSeq",
  min(hash) filter (where is_last) as "lastHash"
  from (select seq, prev_hash, hash, sound,
      lag(seq) over w as before_seq, lag(hash) over w as before_hash,
      row_number() over w as rn, lead(seq) over w is null as is_last
    from (select seq, prev_hash, hash, (${PG_PAYLOAD_OK}) and (${PG_HASH_OK}) as sound ${RANGE}) page
    window w as (order by seq)) checked`;

/**
 * PostgreSQL, a page entry by entry with the two hash comparisons done where the rows lie: only
 * seq, the links and two flags travel. A row whose flags are not both true is fetched whole
 * (`ROW_POSTGRESQL`) and judged by the verifier.
 */
export const PAGE_POSTGRESQL_DB_CHECK = `select seq, prev_hash as "prevHash", hash,
  ${PG_PAYLOAD_OK} as "payloadOk", ${PG_HASH_OK} as "hashOk"
  ${RANGE}`;

// The row a page flagged: by seq and stored hash (a second row with that seq, only possible with
// the unique key dropped, has its own hash or is judged as the same entry).
export const ROW_POSTGRESQL = `select ${COLUMNS}, payload::text as payload, ${PG_CREATED_AT} from audit_entries where municipality_id = ? and seq = ? and hash = ? limit 1`;

// SQLite keeps the payload as text and datetimes as epoch milliseconds; formatting them in SQL is
// exact (integer arithmetic) and cheaper than a Date per row.
export const PAGE_SQLITE = `select ${COLUMNS}, payload,
  strftime('%Y-%m-%dT%H:%M:%S', created_at / 1000, 'unixepoch') || '.' || substr('00' || (created_at % 1000), -3) || 'Z' as "createdAt"
  ${RANGE}`;

export const BEYOND =
  'select seq, prev_hash as "prevHash" from audit_entries where municipality_id = ? and seq > ? order by seq limit 1';
export const HEAD = 'select seq, hash from audit_chain_heads where municipality_id = ?';
export const BOUNDS =
  'select min(seq) as "first", max(seq) as "last" from audit_entries where municipality_id = ?';

const CHECKPOINT_ROWS = `select c.id, c.seq, c.hash, c.key_id as "keyId", c.signature, c.statement, e.hash as "entryHash"
  from audit_checkpoints c
  left join audit_entries e on e.municipality_id = c.municipality_id and e.seq = c.seq`;

/** A chain's checkpoints from one seq to another in seq order, each with the chain's hash there. */
export const CHECKPOINTS = `${CHECKPOINT_ROWS}
  where c.municipality_id = ? and c.seq >= ? and c.seq <= ? order by c.seq`;

/** The checkpoint a range starts after, with the chain's hash there. */
export const CHECKPOINT_AT = `${CHECKPOINT_ROWS} where c.municipality_id = ? and c.seq = ?`;
