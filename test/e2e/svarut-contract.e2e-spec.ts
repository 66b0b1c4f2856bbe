import {
  makeClientKey,
  startSvarUtServer,
  SVARUT_DEMO,
  type RunningSvarUtServer,
} from '../../dev/svarut-server/svarut-server';
import { DigitalPostError } from '../../src/digital-post/digital-post.errors';
import type { SvarUtSettings } from '../../src/digital-post/letter-settings';
import { MaskinportenClient } from '../../src/digital-post/maskinporten.client';
import { SvarUtClient, type Shipment } from '../../src/digital-post/svarut.client';

const key = makeClientKey();
const PID = '01019912345';

/** The SvarUt client against the SvarUt stand-in and its Maskinporten token endpoint. */
describe('SvarUtClient against the SvarUt simulator (contract)', () => {
  let svarut: RunningSvarUtServer;
  let settings: SvarUtSettings;
  let client: SvarUtClient;

  beforeAll(async () => {
    svarut = await startSvarUtServer({ clients: { [SVARUT_DEMO.clientId]: key.publicKey } });
  });
  afterAll(() => svarut.close());
  beforeEach(() => {
    svarut.reset();
    settings = {
      baseUrl: svarut.url,
      accountId: SVARUT_DEMO.accountId,
      integrationId: SVARUT_DEMO.integrationId,
      integrationPassword: SVARUT_DEMO.integrationPassword,
      digitalOnly: false,
      requireHighLevelLogin: false,
      maskinporten: {
        tokenUrl: svarut.tokenUrl,
        audience: svarut.audience,
        clientId: SVARUT_DEMO.clientId,
        keyId: null,
        privateKey: key.privateKey,
        scope: 'ks:fiks',
      },
    };
    client = new SvarUtClient(new MaskinportenClient(1_000), 1_000);
  });

  const shipment = (overrides: Partial<Shipment> = {}): Shipment => ({
    title: 'Betalingsutsettelse innvilget',
    identityNumber: PID,
    externalReference: 'UTS-2026-000001:receipt',
    fileName: 'vedtak.pdf',
    pdf: Buffer.from('%PDF-1.7 a letter'),
    ...overrides,
  });

  async function failure(promise: Promise<unknown>): Promise<DigitalPostError> {
    const error: unknown = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DigitalPostError);
    return error as DigitalPostError;
  }

  it('sends one forsendelse to the identity number, with the PDF as its document', async () => {
    const shipped = await client.send(settings, shipment());
    const [received] = svarut.received();
    expect(received.id).toBe(shipped.shipmentId);
    expect(received.metadata).toMatchObject({
      tittel: 'Betalingsutsettelse innvilget',
      eksternReferanse: 'UTS-2026-000001:receipt',
      mottaker: { digitalId: PID },
      dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf' }],
      kunDigitalLevering: false,
    });
    expect(received.documents).toHaveLength(1);
    expect(received.documents[0].body.toString()).toBe('%PDF-1.7 a letter');
  });

  it('sending the same letter again (a lost answer) makes no second forsendelse', async () => {
    const first = await client.send(settings, shipment());
    const again = await client.send(settings, shipment());
    expect(again.shipmentId).toBe(first.shipmentId);
    expect(svarut.received()).toHaveLength(1);
    expect(svarut.requests()['duplicate eksternReferanse']).toBe(1);
  });

  it('a lost answer: stored, connection cut, retried → one forsendelse', async () => {
    svarut.faults.set({ mode: 'drop', paths: ['forsendelser'], times: 1 });
    const lost = await failure(client.send(settings, shipment()));
    expect(lost.retryable).toBe(true);
    const again = await client.send(settings, shipment());
    expect(svarut.received()).toHaveLength(1);
    expect(again.shipmentId).toBe(svarut.received()[0].id);
  });

  it('where SvarUt takes a repeated eksternReferanse as a new letter, a lookup finds the one sent', async () => {
    svarut.setRepeatedReference('new-forsendelse');
    svarut.faults.set({ mode: 'drop', paths: ['POST /api/v2'], times: 1 });
    const lost = await failure(client.send(settings, shipment()));
    expect(lost.retryable).toBe(true);
    expect(await client.findByExternalReference(settings, 'UTS-2026-000001:receipt')).toEqual([
      svarut.received()[0].id,
    ]);
    // What a blind retry would do here: a second letter to the resident.
    await client.send(settings, shipment());
    expect(svarut.received()).toHaveLength(2);
    expect(await client.findByExternalReference(settings, 'UTS-2026-000001:receipt')).toEqual(
      svarut.received().map((r) => r.id),
    );
  });

  it('a lookup of an eksternReferanse never sent finds nothing; of another account, refused', async () => {
    await client.send(settings, shipment({ externalReference: 'UTS-2026-000002:receipt' }));
    expect(await client.findByExternalReference(settings, 'UTS-2026-000001:receipt')).toEqual([]);
    const other = { ...settings, accountId: '00000000-0000-4000-8000-000000000000' };
    const error = await failure(client.findByExternalReference(other, 'UTS-2026-000002:receipt'));
    expect(error).toMatchObject({ code: 'svarut-lookup-http-403', retryable: false });
  });

  it('a lookup that fails (500, lost answer, revoked token) is retryable or renewed', async () => {
    svarut.faults.set({ mode: 'error500', paths: ['GET /api/v2'], times: 1 });
    const error = await failure(client.findByExternalReference(settings, 'x'));
    expect(error).toMatchObject({ code: 'svarut-lookup-http-500', retryable: true });
    svarut.faults.set({ mode: 'drop', paths: ['GET /api/v2'], times: 1 });
    expect(await failure(client.findByExternalReference(settings, 'x'))).toMatchObject({
      code: expect.stringMatching(/^svarut-lookup-(ECONNRESET|network|UND_ERR_SOCKET)$/),
      retryable: true,
    });
    svarut.revokeTokens();
    expect(await client.findByExternalReference(settings, 'x')).toEqual([]);
    expect(svarut.tokensIssued()).toBe(2);
  });

  it('a 400 (a required field missing) fails for good with a code, not retried', async () => {
    const error = await failure(client.send(settings, shipment({ title: '' })));
    expect(error).toMatchObject({ code: 'svarut-http-400', retryable: false });
    expect(error.message).not.toContain(PID);
    expect(svarut.received()).toHaveLength(0);
  });

  it('a 500 is retryable, and the next try succeeds', async () => {
    svarut.faults.set({ mode: 'error500', paths: ['forsendelser'], times: 1 });
    const error = await failure(client.send(settings, shipment()));
    expect(error).toMatchObject({ code: 'svarut-http-500', retryable: true });
    await client.send(settings, shipment());
    expect(svarut.received()).toHaveLength(1);
  });

  it('a slow answer times out (bounded), retryable', async () => {
    svarut.faults.set({ mode: 'slow', paths: ['forsendelser'], times: 1, delayMs: 3_000 });
    const started = Date.now();
    const error = await failure(client.send(settings, shipment()));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(error).toMatchObject({ code: 'svarut-timeout', retryable: true });
  });

  it('reuses a token while it lives, and gets a new one when it was revoked (401)', async () => {
    await client.send(settings, shipment({ externalReference: 'a' }));
    await client.send(settings, shipment({ externalReference: 'b' }));
    expect(svarut.tokensIssued()).toBe(1);
    svarut.revokeTokens();
    await client.send(settings, shipment({ externalReference: 'c' }));
    expect(svarut.tokensIssued()).toBe(2);
    expect(svarut.received()).toHaveLength(3);
  });

  it('letters sent at once share one token request', async () => {
    await Promise.all(
      ['a', 'b', 'c'].map((ref) => client.send(settings, shipment({ externalReference: ref }))),
    );
    expect(svarut.tokensIssued()).toBe(1);
    expect(svarut.received()).toHaveLength(3);
  });

  it('renews a token shortly before it expires, not after', async () => {
    // Tokens of 31 s: the client renews 30 s before expiry, so one is good for about a second.
    const shortLived = await startSvarUtServer({
      clients: { [SVARUT_DEMO.clientId]: key.publicKey },
      tokenLifetimeSeconds: 31,
    });
    try {
      const there = {
        ...settings,
        baseUrl: shortLived.url,
        maskinporten: {
          ...settings.maskinporten,
          tokenUrl: shortLived.tokenUrl,
          audience: shortLived.audience,
        },
      };
      await client.send(there, shipment({ externalReference: 'a' }));
      await client.send(there, shipment({ externalReference: 'b' }));
      expect(shortLived.tokensIssued()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await client.send(there, shipment({ externalReference: 'c' }));
      expect(shortLived.tokensIssued()).toBe(2);
    } finally {
      await shortLived.close();
    }
  });

  it('Maskinporten refuses a grant signed with a key not registered for the client', async () => {
    const other = makeClientKey();
    const error = await failure(
      client.send(
        { ...settings, maskinporten: { ...settings.maskinporten, privateKey: other.privateKey } },
        shipment(),
      ),
    );
    expect(error).toMatchObject({ code: 'maskinporten-invalid_grant', retryable: false });
    expect(svarut.received()).toHaveLength(0);
  });

  it('Maskinporten refuses a grant for another audience', async () => {
    const error = await failure(
      client.send(
        {
          ...settings,
          maskinporten: { ...settings.maskinporten, audience: 'https://maskinporten.no/' },
        },
        shipment(),
      ),
    );
    expect(error.code).toBe('maskinporten-invalid_grant');
  });

  it('a token endpoint that is down is retryable', async () => {
    svarut.faults.set({ mode: 'token-down', paths: ['/token'], times: 1 });
    const error = await failure(client.send(settings, shipment()));
    expect(error).toMatchObject({ code: 'maskinporten-http-503', retryable: true });
  });

  it('a wrong integration password is refused (403), not retried', async () => {
    const error = await failure(
      client.send({ ...settings, integrationPassword: 'wrong' }, shipment()),
    );
    expect(error).toMatchObject({ code: 'svarut-http-403', retryable: false });
  });
});
