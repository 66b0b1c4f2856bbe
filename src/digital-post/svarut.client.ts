import { DigitalPostError, httpFailure, transportFailure } from './digital-post.errors';
import type { MaskinportenClient } from './maskinporten.client';
import type { SvarUtSettings } from './letter-settings';

/** One letter to one resident: a single PDF. */
export interface Shipment {
  title: string;
  /** The resident's fødselsnummer or D-number; sent to SvarUt, never logged or returned. */
  identityNumber: string;
  /**
   * Stable per letter (`eksternReferanse`): the same on every try, so a retry can first ask SvarUt
   * whether an earlier try's forsendelse exists (`findByExternalReference`), and an operator
   * searching SvarUt's log finds every forsendelse of the letter.
   */
  externalReference: string;
  fileName: string;
  pdf: Buffer;
}

/** An identifier SvarUt gave the shipment; the PDF and the resident are not repeated back. */
export interface Shipped {
  shipmentId: string;
}

const SYSTEM = 'minside-faktura';
/** A forsendelse id: a UUID (`ForsendelsesId`; `format: uuid` in KS's openapi). */
const SHIPMENT_ID = /^[0-9a-f-]{36}$/i;
/** Error codes of a lookup (`svarut-lookup-http-500`), told apart from a send's in the job. */
const LOOKUP = 'svarut-lookup';

/**
 * KS Fiks SvarUt's REST API v2 (developers.fiks.ks.no/tjenester/svarut/restv2), with a
 * Maskinporten bearer token plus the Fiks integration's `IntegrasjonId`/`IntegrasjonPassord`
 * headers on every call:
 * - `send`: POST `/api/v2/kontoer/{kontoId}/forsendelser/` as multipart, the first part
 *   `forsendelse` (JSON metadata), then one part per document, named as the metadata names it.
 * - `findByExternalReference`: GET `/api/v2/kontoer/{kontoId}/forsendelser/?eksternRef=…`, the
 *   ids of the account's forsendelser carrying that `eksternReferanse` (`{ forsendelseIds }`; KS's
 *   openapi/forsendelse-eksternref-api-v1.json and EksternRefKlientV2 in ks-no/fiks-svarut-klient;
 *   REST v1's `GET /eksternref/{eksternref}`).
 *
 * SvarUt documents no idempotent send: v2 has no counterpart of REST v1's `startNyForsendelse` +
 * `/{id}/sendForsendelse` (an id reserved first, so a retry re-sends the same id), and nothing
 * says a second forsendelse with a known `eksternReferanse` is refused or merged. So the sender
 * asks `findByExternalReference` before any retry instead (see `DigitalPostSender`).
 *
 * Not confirmed against the real service, for want of a test account: the send answer's shape
 * (read as `{ id }`, the documented `SendForsendelseResponse`, or `{ forsendelseId }`), the error
 * body (Fiks platform errors; only the status is used), and how soon after a send its
 * `eksternReferanse` can be looked up. A 409 naming an id is taken as that forsendelse (harmless
 * if SvarUt never answers so).
 */
export class SvarUtClient {
  constructor(
    private readonly maskinporten: MaskinportenClient,
    private readonly timeoutMs: number,
  ) {}

  async send(settings: SvarUtSettings, shipment: Shipment): Promise<Shipped> {
    const url = `${settings.baseUrl}/api/v2/kontoer/${settings.accountId}/forsendelser/`;
    let res = await this.post(url, settings, shipment);
    if (res.status === 401) {
      // The token was revoked or expired early: one fresh token, then the answer stands.
      this.maskinporten.forget(settings.maskinporten);
      res = await this.post(url, settings, shipment);
    }
    if (res.ok || res.status === 409) {
      const id = await shipmentIdOf(res);
      if (id) return { shipmentId: id };
      if (res.ok) throw new DigitalPostError('svarut-bad-answer', true);
    }
    await res.body?.cancel();
    throw httpFailure('svarut', res.status);
  }

  /**
   * The ids of the forsendelser SvarUt has under this `eksternReferanse` (none: it has not taken
   * one). Throws a `DigitalPostError` (`svarut-lookup-…`) when it cannot tell, so no caller
   * mistakes that for none.
   */
  async findByExternalReference(
    settings: SvarUtSettings,
    externalReference: string,
  ): Promise<string[]> {
    const url = `${settings.baseUrl}/api/v2/kontoer/${settings.accountId}/forsendelser/?eksternRef=${encodeURIComponent(externalReference)}`;
    let res = await this.call(url, settings, undefined, LOOKUP);
    if (res.status === 401) {
      this.maskinporten.forget(settings.maskinporten);
      res = await this.call(url, settings, undefined, LOOKUP);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw httpFailure(LOOKUP, res.status);
    }
    const body = (await res.json().catch(() => null)) as { forsendelseIds?: unknown } | null;
    const ids = body?.forsendelseIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && SHIPMENT_ID.test(id)))
      throw new DigitalPostError(`${LOOKUP}-bad-answer`, true);
    return ids as string[];
  }

  private async post(url: string, settings: SvarUtSettings, shipment: Shipment) {
    const form = new FormData();
    form.append(
      'forsendelse',
      new Blob([JSON.stringify(metadataOf(settings, shipment))], {
        type: 'application/json;charset=UTF-8',
      }),
    );
    form.append(
      shipment.fileName,
      new Blob([new Uint8Array(shipment.pdf)], { type: 'application/pdf' }),
      shipment.fileName,
    );
    return this.call(url, settings, form);
  }

  private async call(url: string, settings: SvarUtSettings, form?: FormData, service = 'svarut') {
    const token = await this.maskinporten.token(settings.maskinporten);
    try {
      return await fetch(url, {
        method: form ? 'POST' : 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          IntegrasjonId: settings.integrationId,
          IntegrasjonPassord: settings.integrationPassword,
          accept: 'application/json',
        },
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw transportFailure(service, error);
    }
  }
}

/** The forsendelse's metadata as the v2 example gives it. */
export function metadataOf(settings: SvarUtSettings, shipment: Shipment) {
  return {
    // No postal address: SvarUt looks the resident up in the population register for print.
    mottaker: { digitalId: shipment.identityNumber },
    avgivendeSystem: SYSTEM,
    tittel: shipment.title,
    eksternReferanse: shipment.externalReference,
    kunDigitalLevering: settings.digitalOnly,
    krevNiva4Innlogging: settings.requireHighLevelLogin,
    kryptert: false,
    svarPaForsendelseLink: false,
    utskriftskonfigurasjon: { utskriftMedFarger: false, tosidig: true },
    dokumenter: [{ filnavn: shipment.fileName, mimeType: 'application/pdf' }],
  };
}

async function shipmentIdOf(res: Response): Promise<string | null> {
  const body = (await res.json().catch(() => null)) as {
    id?: unknown;
    forsendelseId?: unknown;
  } | null;
  const id = body?.forsendelseId ?? body?.id;
  return typeof id === 'string' && SHIPMENT_ID.test(id) ? id : null;
}
