import { DEMO_RESIDENTS } from '../demo-residents';
import {
  VISMA_DEMO_CLIENT,
  VISMA_DEMO_TENANTS,
  startVismaServer,
  type RunningVismaServer,
} from './visma-server';

const KARI = DEMO_RESIDENTS.find((r) => r.name === 'Kari Nordmann')!.pid;

describe('startVismaServer', () => {
  let server: RunningVismaServer;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(server.url + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });

  beforeEach(async () => {
    server = await startVismaServer({ today: '2026-03-10', maxPageSize: 2 });
    const response = await fetch(server.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: VISMA_DEMO_CLIENT.clientId,
        client_secret: VISMA_DEMO_CLIENT.clientSecret,
        tenant_id: VISMA_DEMO_TENANTS.fjordvik,
        scope: 'vismanet_erp_service_api:read vismanet_erp_service_api:update',
      }),
    });
    expect(response.status).toBe(200);
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  afterEach(() => server.close());

  const kariInvoice = async () => {
    const [customer] = (await (await api(`/v1/customer?corporateId=${KARI}`)).json()) as {
      number: string;
    }[];
    const page = (await (await api(`/v1/customer/${customer.number}/invoice`)).json()) as {
      referenceNumber: string;
      status: string;
    }[];
    return page.find((i) => i.status === 'Open')!.referenceNumber;
  };

  it('answers 401 without a token, and issues none for a wrong secret', async () => {
    expect((await fetch(`${server.url}/v1/customer`)).status).toBe(401);
    const refused = await fetch(server.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: VISMA_DEMO_CLIENT.clientId,
        client_secret: 'wrong',
        tenant_id: VISMA_DEMO_TENANTS.fjordvik,
      }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_client' });
  });

  it('pages lists up to maxPageSize, with the total in every item’s metadata', async () => {
    const [customer] = (await (await api(`/v1/customer?corporateId=${KARI}`)).json()) as {
      number: string;
    }[];
    const first = (await (
      await api(`/v1/customer/${customer.number}/invoice?pageNumber=1&pageSize=50`)
    ).json()) as { metadata: unknown }[];
    expect(first).toHaveLength(2);
    expect(first[0].metadata).toEqual({ totalCount: 4, maxPageSize: 2 });
    const third = await (await api(`/v1/customer/${customer.number}/invoice?pageNumber=3`)).json();
    expect(third).toEqual([]);
  });

  it('updates an invoice only with {"value": …} fields and the current ETag; a stale one gets 412', async () => {
    const number = await kariInvoice();
    const read = await api(`/v1/customerinvoice/${number}`);
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`"${((await read.json()) as { timeStamp: string }).timeStamp}"`);
    const put = (body: unknown, ifMatch: string) =>
      api(`/v1/customerinvoice/${number}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-match': ifMatch },
        body: JSON.stringify(body),
      });

    expect((await put({ documentDueDate: '2026-05-01' }, etag)).status).toBe(400);
    const updated = await put({ documentDueDate: { value: '2026-05-01T00:00:00' } }, etag);
    expect(updated.status).toBe(204);
    expect(updated.headers.get('etag')).not.toBe(etag);
    expect((await put({ documentDueDate: { value: '2026-05-02' } }, etag)).status).toBe(412);
    const after = (await (await api(`/v1/customerinvoice/${number}`)).json()) as {
      documentDueDate: string;
    };
    expect(after.documentDueDate).toBe('2026-05-01T00:00:00');
    expect(server.store().appliedPerInvoice).toEqual({ [number]: 1 });
  });
});
