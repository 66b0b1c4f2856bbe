import { AuditChainHead } from './audit/audit-chain-head.entity';
import { AuditCheckpoint } from './audit/checkpoints/audit-checkpoint.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { VerificationRun } from './audit-review/verification/verification-run.entity';
import { Session } from './auth/session/session.entity';
import { CaseMessage } from './deferrals/case-message.entity';
import { DeferralRequest } from './deferrals/deferral-request.entity';
import { DigitalLetterJob } from './digital-post/digital-letter-job.entity';
import { LedgerDueDateChange } from './finance/ledger/ledger-due-date-change.entity';
import { LedgerInvoice } from './finance/ledger/ledger-invoice.entity';
import { LedgerPaymentEvent } from './finance/ledger/ledger-payment-event.entity';
import { ReceiptMailJob } from './mail/receipt-mail-job.entity';
import { PolicyActivation } from './policy/versions/policy-activation.entity';
import { PolicyVersion } from './policy/versions/policy-version.entity';
import { PolicyDraft } from './policy/drafts/policy-draft.entity';
import { PolicySimulation } from './policy/simulation/policy-simulation.entity';
import { Municipality } from './tenancy/municipality.entity';
import { WritebackJob } from './writeback/writeback-job.entity';

/**
 * Every entity the ORM maps, from every feature; the migrations are generated from exactly this
 * list. It lives beside the app module (a composition root), so the database feature itself
 * depends on none of the features whose tables it holds.
 */
export const ENTITIES = [
  Municipality,
  Session,
  LedgerInvoice,
  LedgerPaymentEvent,
  LedgerDueDateChange,
  PolicyVersion,
  PolicyActivation,
  PolicyDraft,
  PolicySimulation,
  DeferralRequest,
  CaseMessage,
  AuditEntry,
  AuditChainHead,
  AuditCheckpoint,
  VerificationRun,
  WritebackJob,
  ReceiptMailJob,
  DigitalLetterJob,
];
