import { DigitalPostError, httpFailure, transportFailure } from './digital-post.errors';
import type { MaskinportenClient } from './maskinporten.client';
import type { SvarUtSettings } from './letter-settings';

/** One letter to one resident: a single PDF. */
export interface Shipment {
  title: string;
  /** The resident's fødselsnummer or D-number; sent to SvarUt, never logged or returned. */
  identityNumber: string;
  /**
   * Stable per letter (`eksternReferanse`): the same letter sent again carries the same one, so
   * SvarUt (or an operator searching its log) can tell a retry from a second letter.
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

/**
 * Sends a letter through KS Fiks SvarUt's REST API v2: POST
 * `/api/v2/kontoer/{kontoId}/forsendelser/` as multipart, the first part `forsendelse` (JSON
 * metadata), then one part per document, named as the metadata names it; a Maskinporten bearer
 * token plus the Fiks integration's `IntegrasjonId`/`IntegrasjonPassord` headers
 * (developers.fiks.ks.no/tjenester/svarut/restv2).
 *
 * Not confirmed against the real service, for want of a test account: the answer's shape (read
 * here as `{ id }` as REST v1 answered, or `{ forsendelseId }`), the error body (Fiks platform
 * errors; only the status is used), and what SvarUt does with a second forsendelse carrying an
 * `eksternReferanse` it has seen. That is treated as success when it answers with the first
 * one's id (200, or 409 naming it): the simulator does that.
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

  private async post(url: string, settings: SvarUtSettings, shipment: Shipment) {
    const token = await this.maskinporten.token(settings.maskinporten);
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
    try {
      return await fetch(url, {
        method: 'POST',
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
      throw transportFailure('svarut', error);
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
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}
