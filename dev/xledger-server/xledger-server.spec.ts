import { startXledgerServer, type RunningXledgerServer } from './xledger-server';

const TOKEN = 'fjordvik-xledger-token-0001';

interface Edges {
  edges: { cursor: string; node: Record<string, unknown> }[];
  pageInfo: { hasNextPage: boolean };
}
interface Answer {
  data?: Record<string, Edges> | null;
  errors?: { message: string; code?: string }[];
}
const KARI = '12838512311';

describe(startXledgerServer, () => {
  let server: RunningXledgerServer;
  beforeEach(async () => {
    server = await startXledgerServer({
      tokens: { fjordvik: TOKEN, asdal: 'asdal-xledger-token-00002' },
      today: '2026-03-10',
    });
  });
  afterEach(() => server.close());

  const post = async (query: string, variables?: unknown, token = TOKEN) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const customerOfKari = async () => {
    const companies = await post(
      'query ($n: String!) { companies(first: 2, filter: { companyNumber: $n }) { edges { node { dbId } } } }',
      { n: KARI },
    );
    const companyDbId = companies.body.data!.companies.edges[0].node.dbId as string;
    const customers = await post(
      `{ customers(filter: { companyDbId: ${companyDbId} }) { edges { node { dbId description company { companyNumber } } } } }`,
    );
    return customers.body.data!.customers.edges[0].node as { dbId: string };
  };

  it('finds a person as a company by companyNumber, and their customer by companyDbId', async () => {
    expect(await customerOfKari()).toMatchObject({
      description: 'Kari Nordmann',
      company: { companyNumber: KARI },
    });
  });

  it('pages the ledger with first and after, and filters open items', async () => {
    const { dbId } = await customerOfKari();
    const page = (after?: string) =>
      post(
        `query ($s: Int!, $after: String) { arTransactions(first: 2, after: $after, filter: { subledgerDbId: $s }) {
           edges { cursor node { dbId invoiceAmount matchId } } pageInfo { hasNextPage } } }`,
        { s: Number(dbId), after },
      );
    const first = (await page()).body.data!.arTransactions;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first.edges[1].cursor)).body.data!.arTransactions;
    expect(second.edges[0].node.dbId).not.toBe(first.edges[1].node.dbId);
    const open = await post(
      `{ arTransactions(filter: { subledgerDbId: ${dbId}, invoiceRemaining_gt: 0 }) { edges { node { invoiceRemaining } } } }`,
    );
    // Kari has one open invoice; her paid ones and the payments settling them are left out.
    const remaining = open.body.data!.arTransactions.edges.map((e) => e.node.invoiceRemaining);
    expect(remaining).toHaveLength(1);
    expect(Number(remaining[0])).toBeGreaterThan(0);
  });

  it('answers a field, argument or filter it does not have as GraphQL does, with HTTP 200', async () => {
    for (const [query, message] of [
      [
        '{ arTransactions { edges { node { nope } } } }',
        'Cannot query field "nope" on type "ARTransaction".',
      ],
      [
        '{ arTransactions(sort: 1) { edges { node { dbId } } } }',
        'Unknown argument "sort" on field "Query.arTransactions".',
      ],
      [
        '{ arTransactions(filter: { x: 1 }) { edges { node { dbId } } } }',
        'Field "x" is not defined by type "ARTransaction_Filter".',
      ],
      [
        'query { companies(filter: { companyNumber: $n }) { edges { node { dbId } } } }',
        'Variable "$n" is not defined.',
      ],
      ['{ arTransactions { edges { node { dbId } }', 'Syntax Error: Unexpected <EOF>'],
    ]) {
      expect(await post(query)).toEqual({
        status: 200,
        body: expect.objectContaining({ errors: [expect.objectContaining({ message })] }),
      });
    }
  });

  it('updates due date, deferred due date and text, and refuses a bad date without writing', async () => {
    const { dbId } = await customerOfKari();
    const rows = await post(
      `{ arTransactions(filter: { subledgerDbId: ${dbId}, invoiceRemaining_gt: 0 }) { edges { node { dbId } } } }`,
    );
    const row = rows.body.data!.arTransactions.edges[0].node.dbId as string;
    const mutation =
      'mutation ($dbId: Int!, $d: DateString!) { updateArTransactions(inputs: { node: { dbId: $dbId, dueDate: $d, deferredDueDate: $d, text: "t" } }) { edges { node { dbId dueDate deferredDueDate text } } } }';
    expect(
      (await post(mutation, { dbId: Number(row), d: '2026-13-01' })).body.errors![0].message,
    ).toMatch(/dueDate/);
    expect(server.store().updates[row]).toBeUndefined();
    const done = await post(mutation, { dbId: Number(row), d: '2026-04-20' });
    expect(done.body.data!.updateArTransactions.edges[0].node).toEqual({
      dbId: row,
      dueDate: '2026-04-20',
      deferredDueDate: '2026-04-20',
      text: 't',
    });
    expect(server.store().updates[row]).toBe(1);
  });

  it('keeps each entity to its own token', async () => {
    const other = await post(
      '{ customers { edges { node { description } } } }',
      undefined,
      'asdal-xledger-token-00002',
    );
    expect(other.body.data!.customers.edges.map((e) => e.node.description)).toEqual(['Per Haugen']);
    expect(
      (await post('{ customers { edges { node { dbId } } } }', undefined, 'unknown-xledger-token'))
        .status,
    ).toBe(401);
    expect(
      (await post('{ customers { edges { node { dbId } } } }', undefined, 'bad token')).body,
    ).toEqual({
      errors: [{ message: 'Bad format for API token' }],
    });
  });

  it('injects the burst limit for the next N matching requests only', async () => {
    server.faults.set({ mode: 'burst', operations: ['customers'], times: 1 });
    expect((await post('{ companies { edges { node { dbId } } } }')).body.data).toBeDefined();
    expect((await post('{ customers { edges { node { dbId } } } }')).body).toEqual({
      errors: [
        { code: 'BAD_REQUEST.BURST_RATE_LIMIT_REACHED', message: 'Burst rate limit reached' },
      ],
    });
    expect((await post('{ customers { edges { node { dbId } } } }')).body.data).toBeDefined();
  });
});
