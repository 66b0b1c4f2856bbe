import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { createTransport, type Mail } from 'nodemailer';
import type { ResidentLetter } from './case-question-letter';
import type { RenderedLetter } from './deferral-receipt-letter';
import { describeLetter } from './letter-name';
import { type MailConfig, mailConfig } from './mail.config';
import { ReceiptLetterRenderer } from './receipt-letter.renderer';
import { domainOf, toRecipient } from './recipient-address';

export type ReceiptNotSentReason =
  'mail-disabled' | 'invalid-address' | 'invalid-letter' | 'smtp-failed';

/** Expected outcomes as values: a receipt that could not be sent never fails the decision. */
export type ReceiptSendResult =
  | { readonly sent: true; readonly messageId: string }
  | {
      readonly sent: false;
      readonly reason: ReceiptNotSentReason;
      readonly detail?: string;
      /** The server refused for good (a 5xx reply): sending the same message again cannot help. */
      readonly permanent?: boolean;
    };

/**
 * Sends receipts by SMTP (called by the receipt outbox's worker). This never throws: it
 * answers with a value, and every send is bounded by SMTP_TIMEOUT_MS in total. Logs name the
 * recipient's domain and the case reference, never the address's local part or letter contents.
 */
@Injectable()
export class MailService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Mail | null;

  constructor(
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    private readonly renderer: ReceiptLetterRenderer,
  ) {
    this.transport = config.url
      ? createTransport({
          url: config.url,
          connectionTimeout: config.timeoutMs,
          greetingTimeout: config.timeoutMs,
          socketTimeout: config.timeoutMs,
          dnsTimeout: config.timeoutMs,
          // Letters never attach files or fetch URLs; refuse both outright.
          disableFileAccess: true,
          disableUrlAccess: true,
        })
      : null;
  }

  onModuleInit(): void {
    if (this.transport) this.logger.log(`Receipts are e-mailed through ${this.config.server}`);
    else
      this.logger.warn(
        'E-mail is off (SMTP_URL is not set): deferral receipts will not be e-mailed',
      );
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  /** Sends any letter to a resident: a receipt or an officer's question. */
  async sendDeferralReceipt(to: string, receipt: ResidentLetter): Promise<ReceiptSendResult> {
    if (!this.transport) return { sent: false, reason: 'mail-disabled' };
    const recipient = toRecipient(to);
    if (!recipient) return { sent: false, reason: 'invalid-address' };

    let letter: RenderedLetter;
    try {
      letter = this.renderer.render(receipt);
    } catch (error) {
      const detail = (error as { message?: unknown } | null)?.message;
      const text = typeof detail === 'string' ? detail : String(error);
      this.logger.error(`${describeLetter(receipt)} could not be written: ${text}`);
      return { sent: false, reason: 'invalid-letter', detail: text };
    }

    try {
      const info = await this.transport.sendMail({
        from: this.config.from,
        to: recipient,
        subject: letter.subject,
        text: letter.text,
        // A plain-text letter (an audit checkpoint) has no HTML part to differ from its text.
        html: letter.html === '' ? undefined : letter.html,
        headers: {
          'Content-Language': letter.language,
          // RFC 3834: an automatic message; asks auto-responders (and Exchange) not to answer it.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      return { sent: true, messageId: String(info.messageId) };
    } catch (error) {
      const detail = describeSmtpError(error);
      this.logger.warn(
        `${describeLetter(receipt)} to an address at ${domainOf(recipient)} was not sent: ${detail}`,
      );
      return { sent: false, reason: 'smtp-failed', detail, permanent: isPermanent(error) };
    }
  }
}

/** RFC 5321: a 5yz reply is a permanent failure; 4yz and a lost connection may pass. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/**
 * Codes only. The server's reply text and nodemailer's message often quote the recipient's
 * address, so neither is logged or returned.
 */
function describeSmtpError(error: unknown): string {
  // Duck-typed: socket errors are not always `instanceof Error` of this realm (Jest's VM, workers).
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const e = error as {
    name?: unknown;
    code?: unknown;
    originalCode?: unknown;
    timeoutType?: unknown;
    responseCode?: unknown;
  };
  const parts = [e.code, e.originalCode, e.timeoutType, e.responseCode].filter(
    (part) => typeof part === 'string' || typeof part === 'number',
  );
  if (parts.length > 0) return parts.join(' ');
  return typeof e.name === 'string' ? e.name : 'unknown error';
}
