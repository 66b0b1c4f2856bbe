import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { openMigratedOrm } from '../support/test-database';

/** The last migration before one running simulation per municipality. */
const BEFORE = process.env.TEST_DATABASE_URL
  ? 'Migration20261207060157_policy_simulations'
  : 'Migration20261207060156_policy_simulations';

/**
 * Several runs left "running" for one municipality (two instances that both started, or a dead
 * instance's run and a new one) keep the newest heartbeat running and the rest become failed, so
 * the index allowing one running row per municipality can be built.
 */
describe('The one-running-simulation migration (e2e)', () => {
  let orm: MikroORM;
  let kind: 'sqlite' | 'postgresql';
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ orm, kind, close } = await openMigratedOrm({ to: BEFORE }));
  });
  afterAll(() => close?.());

  it('keeps the newest running run of each municipality and fails the others, then refuses a second', async () => {
    const connection = orm.em.getConnection();
    const [home, other] = [randomUUID(), randomUUID()];
    const rows = [
      { id: randomUUID(), municipality: home, state: 'running', heartbeat: 1_000 },
      { id: randomUUID(), municipality: home, state: 'running', heartbeat: 5_000 },
      { id: randomUUID(), municipality: home, state: 'running', heartbeat: 3_000 },
      { id: randomUUID(), municipality: home, state: 'done', heartbeat: 9_000 },
      { id: randomUUID(), municipality: other, state: 'running', heartbeat: 2_000 },
    ];
    const at = (ms: number) =>
      kind === 'sqlite' ? 1_796_000_000_000 + ms : new Date(1_796_000_000_000 + ms);
    for (const row of rows)
      await connection.execute(
        `insert into policy_simulations (id, municipality_id, period, versions, state, done, instance_id, started_at, heartbeat_at)
           values (?, ?, '{}', '{}', ?, 0, 'test', ?, ?)`,
        [row.id, row.municipality, row.state, at(0), at(row.heartbeat)],
      );

    await orm.migrator.up();

    const after = (await connection.execute(
      'select id, state, error from policy_simulations',
      [],
      'all',
    )) as { id: string; state: string; error: string | null }[];
    const stateOf = new Map(after.map((r) => [r.id, r]));
    expect(rows.map((r) => stateOf.get(r.id)?.state)).toEqual([
      'failed',
      'running',
      'failed',
      'done',
      'running',
    ]);
    expect(stateOf.get(rows[0].id)?.error).toBe(
      'the simulation stopped: the instance running it stopped answering',
    );
    await expect(
      connection.execute(
        `insert into policy_simulations (id, municipality_id, period, versions, state, done, instance_id, started_at, heartbeat_at)
           values (?, ?, '{}', '{}', 'running', 0, 'test', ?, ?)`,
        [randomUUID(), home, at(0), at(7_000)],
      ),
    ).rejects.toThrow();
  });
});
