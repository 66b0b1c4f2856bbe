import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { IDENTITY_NUMBER_FORMAT, maskNationalId } from '../../src/shared/national-identity-number';
import { checkGrant, publicKeyOf } from './maskinporten-grant';
import { parseMultipart } from './multipart';
import { SvarUtFaults, type SvarUtFaultConfig } from './svarut-faults';

/**
 * A stand-in for KS Fiks SvarUt's REST API v2 and the Maskinporten token endpoint in front of it,
 * keeping what it receives in memory: for tests and demos of the digital post feature.
 * - `POST /api/v2/kontoer/{kontoId}/forsendelser/`: sends a forsendelse; the request shape is the
 *   one documented at developers.fiks.ks.no/tjenester/svarut/restv2, the answer `{ id }` as the
 *   `SendForsendelseResponse` of ks-no/fiks-svarut-klient's openapi/forsendelse-send-api-v2.json.
 * - `GET /api/v2/kontoer/{kontoId}/forsendelser?eksternRef=…`: the ids of the account's
 *   forsendelser carrying that `eksternReferanse`, `{ forsendelseIds: [...] }`, as
 *   openapi/forsendelse-eksternref-api-v1.json there documents it (REST v1's
 *   `GET /eksternref/{eksternref}`).
 * What SvarUt does with a second forsendelse carrying an `eksternReferanse` it has seen is not
 * documented: `repeatedReference` picks `first-id` (its id again, nothing stored: an idempotent
 * service) or `new-forsendelse` (stored and sent as another letter: all the documentation allows).
 * The error body is the Fiks platform's as far as known; neither is confirmed against the service.
 */
export interface SvarUtServerOptions {
  port?: number;
  host?: string;
  /** Maskinporten clients allowed to ask for tokens: client id → public key (PEM). */
  clients?: Readonly<Record<string, string>>;
  /** SvarUt accounts and the Fiks integration allowed on them. */
  accounts?: readonly SvarUtAccount[];
  tokenLifetimeSeconds?: number;
  faults?: SvarUtFaultConfig;
  /** What a forsendelse with an `eksternReferanse` seen before makes (default `first-id`). */
  repeatedReference?: RepeatedReference;
}

export const REPEATED_REFERENCE_MODES = ['first-id', 'new-forsendelse'] as const;
export type RepeatedReference = (typeof REPEATED_REFERENCE_MODES)[number];

export interface SvarUtAccount {
  accountId: string;
  integrationId: string;
  integrationPassword: string;
}

export interface ReceivedShipment {
  id: string;
  accountId: string;
  receivedAt: Date;
  metadata: Record<string, unknown> & {
    tittel: string;
    eksternReferanse?: string;
    mottaker: { digitalId?: string };
  };
  documents: { name: string; filename: string | null; contentType: string | null; body: Buffer }[];
}

export interface RunningSvarUtServer {
  /** SvarUt's base URL (settings.letters.svarut.baseUrl). */
  url: string;
  /** The token endpoint (settings.letters.svarut.maskinporten.tokenUrl). */
  tokenUrl: string;
  /** The `aud` a grant must name (settings.letters.svarut.maskinporten.audience). */
  audience: string;
  faults: SvarUtFaults;
  /** Switches how a repeated `eksternReferanse` is taken, until `reset`. */
  setRepeatedReference: (mode: RepeatedReference) => void;
  /** Every forsendelse stored, in order (in `first-id` mode a repeated one is not stored again). */
  received: () => ReceivedShipment[];
  /**
   * Request counts per route shape and outcome, e.g. `POST forsendelser 200`,
   * `GET forsendelser?eksternRef 200`, `duplicate eksternReferanse`; never ids.
   */
  requests: () => Record<string, number>;
  tokensIssued: () => number;
  revokeTokens: () => void;
  reset: () => void;
  close: () => Promise<void>;
}

/** The demo's Maskinporten client and Fiks integration (a key made at each start). */
export const SVARUT_DEMO = {
  clientId: 'minside-faktura-demo',
  accountId: '5a7c0f3e-2b1d-4c8e-9f6a-1d2e3f4a5b6c',
  integrationId: '8d9e0f1a-2b3c-4d5e-8f70-81a2b3c4d5e6',
  integrationPassword: 'svarut-demo-integration-password',
};

/** A fresh RSA key pair as PEM, for tests and the demo. */
export function makeClientKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const FORSENDELSER = /^\/api\/v2\/kontoer\/([0-9a-f-]{36})\/forsendelser\/?$/;

export async function startSvarUtServer(
  options: SvarUtServerOptions = {},
): Promise<RunningSvarUtServer> {
  const clients = new Map<string, KeyObject>(
    Object.entries(options.clients ?? {}).map(([id, pem]) => [id, publicKeyOf(pem)]),
  );
  const accounts = options.accounts ?? [
    {
      accountId: SVARUT_DEMO.accountId,
      integrationId: SVARUT_DEMO.integrationId,
      integrationPassword: SVARUT_DEMO.integrationPassword,
    },
  ];
  const lifetime = options.tokenLifetimeSeconds ?? 120;
  const faults = new SvarUtFaults();
  if (options.faults) faults.set(options.faults);
  let tokens = new Map<string, number>();
  let seenJti = new Set<string>();
  let received: ReceivedShipment[] = [];
  let requests: Record<string, number> = {};
  let issued = 0;
  let audience = '';
  let repeatedReference: RepeatedReference = options.repeatedReference ?? 'first-id';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) fiksError(res, 500, 'Internal Server Error', req.url ?? '');
      else res.destroy();
    });
  });

  const count = (what: string) => (requests[what] = (requests[what] ?? 0) + 1);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://svarut.invalid').pathname;
    const method = req.method ?? 'GET';
    const fault = faults.draw(`${method} ${path}`);
    if (fault?.mode === 'slow') await sleep(fault.delayMs ?? 5_000);
    if (fault?.mode === 'revoke-tokens') tokens.clear();
    const body = await readBody(req);
    if (method === 'POST' && path === '/token') {
      if (fault?.mode === 'token-down') return json(res, 503, { error: 'temporarily_unavailable' });
      return token(res, body);
    }
    if (method === 'GET' && path.startsWith('/admin/')) return admin(res, path);
    const route = FORSENDELSER.exec(path);
    if (route && method === 'GET') {
      const what = 'GET forsendelser?eksternRef';
      if (fault?.mode === 'error500') {
        count(`${what} 500`);
        return fiksError(res, 500, 'Internal Server Error', path);
      }
      const answer = lookup(req, route[1], path);
      count(`${what} ${answer.status}`);
      if (fault?.mode === 'drop') return void req.socket.destroy();
      if (answer.status === 200) return json(res, 200, answer.body);
      return fiksError(res, answer.status, answer.error, path, answer.message);
    }
    if (!route || method !== 'POST') return fiksError(res, 404, 'Not Found', path);
    if (fault?.mode === 'error500') {
      count('POST forsendelser 500');
      return fiksError(res, 500, 'Internal Server Error', path);
    }
    const answer = send(req, route[1], body, path);
    count(`POST forsendelser ${answer.status}`);
    if (fault?.mode === 'late') await sleep(fault.delayMs ?? 5_000);
    if (fault?.mode === 'drop' && answer.status === 200) {
      req.socket.destroy();
      return;
    }
    if (answer.status === 200) return json(res, 200, answer.body);
    return fiksError(res, answer.status, answer.error, path, answer.message);
  }

  /**
   * What the stand-in received, for a person trying the demo (not part of SvarUt): the list with
   * identity numbers masked, and each document as it came.
   */
  function admin(res: ServerResponse, path: string): void {
    if (path === '/admin/forsendelser')
      return json(
        res,
        200,
        received.map((r) => ({
          id: r.id,
          receivedAt: r.receivedAt.toISOString(),
          tittel: r.metadata.tittel,
          eksternReferanse: r.metadata.eksternReferanse ?? null,
          mottaker: maskNationalId(String(r.metadata.mottaker.digitalId ?? '')),
          dokumenter: r.documents.map((d, i) => ({
            filnavn: d.filename,
            url: `/admin/forsendelser/${r.id}/dokumenter/${i}`,
          })),
        })),
      );
    const match = /^\/admin\/forsendelser\/([0-9a-f-]{36})\/dokumenter\/(\d+)$/.exec(path);
    const document = match && received.find((r) => r.id === match[1])?.documents[Number(match[2])];
    if (!document) return fiksError(res, 404, 'Not Found', path);
    res.writeHead(200, {
      'content-type': document.contentType ?? 'application/octet-stream',
      'content-disposition': `inline; filename="${(document.filename ?? 'dokument').replace(/[^\w.-]/g, '_')}"`,
    });
    res.end(document.body);
  }

  function token(res: ServerResponse, body: Buffer): void {
    const form = new URLSearchParams(body.toString('utf8'));
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return json(res, 400, { error: 'unsupported_grant_type' });
    const result = checkGrant(form.get('assertion') ?? '', {
      audience,
      clients,
      seenJti,
      now: Date.now(),
    });
    if (!result.ok)
      return json(res, 400, { error: 'invalid_grant', error_description: result.description });
    if (!result.scope.split(' ').includes('ks:fiks'))
      return json(res, 400, { error: 'invalid_scope', error_description: 'ks:fiks required' });
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, Date.now() + lifetime * 1000);
    issued++;
    return json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: result.scope,
    });
  }

  type Refusal = { status: 400 | 401 | 403; error: string; message: string };
  type Answer = { status: 200; body: { id: string } } | Refusal;

  /** The bearer token and the Fiks integration's headers, as for every SvarUt v2 call. */
  function refusal(req: IncomingMessage, accountId: string, path: string): Refusal | undefined {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (!expiry || expiry < Date.now())
      return { status: 401, error: 'Unauthorized', message: 'Ugyldig eller utløpt token' };
    const account = accounts.find((a) => a.accountId === accountId);
    if (
      !account ||
      req.headers.integrasjonid !== account.integrationId ||
      req.headers.integrasjonpassord !== account.integrationPassword
    )
      return { status: 403, error: 'Forbidden', message: `Ingen tilgang til ${path}` };
    return undefined;
  }

  /** The account's forsendelser with this eksternRef, oldest first (the order is not documented). */
  function lookup(
    req: IncomingMessage,
    accountId: string,
    path: string,
  ): { status: 200; body: { forsendelseIds: string[] } } | Refusal {
    const refused = refusal(req, accountId, path);
    if (refused) return refused;
    const eksternRef = new URL(req.url ?? '/', 'http://svarut.invalid').searchParams.get(
      'eksternRef',
    );
    if (!eksternRef) return invalid('eksternRef må være utfylt');
    const forsendelseIds = received
      .filter((r) => r.accountId === accountId && r.metadata.eksternReferanse === eksternRef)
      .map((r) => r.id);
    return { status: 200, body: { forsendelseIds } };
  }

  function send(req: IncomingMessage, accountId: string, body: Buffer, path: string): Answer {
    const refused = refusal(req, accountId, path);
    if (refused) return refused;
    const parts = parseMultipart(req.headers['content-type'], body);
    if (!parts || parts[0]?.name !== 'forsendelse')
      return invalid('Første part må hete "forsendelse"');
    let metadata: ReceivedShipment['metadata'];
    try {
      metadata = JSON.parse(parts[0].body.toString('utf8')) as ReceivedShipment['metadata'];
    } catch {
      return invalid('forsendelse er ikke gyldig JSON');
    }
    const problem = validate(
      metadata,
      parts.slice(1).map((p) => p.name),
    );
    if (problem) return invalid(problem);
    const earlier = metadata.eksternReferanse
      ? received.find(
          (r) =>
            r.accountId === accountId && r.metadata.eksternReferanse === metadata.eksternReferanse,
        )
      : undefined;
    if (earlier) count('duplicate eksternReferanse');
    if (earlier && repeatedReference === 'first-id')
      return { status: 200, body: { id: earlier.id } };
    const shipment: ReceivedShipment = {
      id: randomUUID(),
      accountId,
      receivedAt: new Date(),
      metadata,
      documents: parts.slice(1).map((p) => ({ ...p })),
    };
    received.push(shipment);
    return { status: 200, body: { id: shipment.id } };
  }

  const invalid = (message: string): Refusal => ({ status: 400, error: 'Bad Request', message });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  audience = `${url}/`;
  return {
    url,
    tokenUrl: `${url}/token`,
    audience,
    faults,
    setRepeatedReference: (mode) => {
      if (!REPEATED_REFERENCE_MODES.includes(mode)) throw new Error(`unknown mode ${mode}`);
      repeatedReference = mode;
    },
    received: () => [...received],
    requests: () => ({ ...requests }),
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    reset: () => {
      tokens = new Map();
      seenJti = new Set();
      received = [];
      requests = {};
      issued = 0;
      repeatedReference = options.repeatedReference ?? 'first-id';
      faults.set({ mode: 'none' });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The fields SvarUt requires, as its documentation lists them; the first problem, in Norwegian. */
function validate(m: ReceivedShipment['metadata'], fileParts: string[]): string | undefined {
  if (typeof m.tittel !== 'string' || m.tittel.trim() === '') return 'tittel må være utfylt';
  if (typeof m.mottaker !== 'object' || m.mottaker === null) return 'mottaker må være utfylt';
  const mottaker = m.mottaker as Record<string, unknown>;
  const digital = typeof mottaker.digitalId === 'string' && mottaker.digitalId !== '';
  if (
    digital &&
    !IDENTITY_NUMBER_FORMAT.test(mottaker.digitalId as string) &&
    !/^\d{9}$/.test(mottaker.digitalId as string)
  )
    return 'mottaker.digitalId må være et fødselsnummer (11 siffer) eller organisasjonsnummer (9 siffer)';
  const postal = ['navn', 'postnummer', 'poststed'].every(
    (field) => typeof mottaker[field] === 'string' && mottaker[field] !== '',
  );
  if (!digital && !postal) return 'mottaker må ha digitalId eller navn, postnummer og poststed';
  const docs = (m as { dokumenter?: unknown }).dokumenter;
  if (!Array.isArray(docs) || docs.length === 0) return 'dokumenter må ha minst ett dokument';
  for (const doc of docs as { filnavn?: unknown; mimeType?: unknown }[]) {
    if (typeof doc.filnavn !== 'string' || /["<>?*|:\\/]/.test(doc.filnavn) || doc.filnavn === '')
      return 'dokumenter.filnavn må være utfylt og uten " < > ? * | : \\ /';
    if (typeof doc.mimeType !== 'string' || doc.mimeType === '')
      return 'dokumenter.mimeType må være utfylt';
  }
  const names = (docs as { filnavn: string }[]).map((d) => d.filnavn);
  if (names.join('\n') !== fileParts.join('\n'))
    return 'filene må komme i samme rekkefølge og med samme navn som i dokumenter';
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The Fiks platform's error shape as far as known (status, error, errorId, path, message). */
function fiksError(
  res: ServerResponse,
  status: number,
  error: string,
  path: string,
  message = error,
): void {
  json(res, status, {
    timestamp: Date.now(),
    status,
    error,
    errorId: randomUUID(),
    path,
    originalPath: path,
    message,
  });
}
