import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditCheckpoints, type SignedCheckpoint } from '../audit';
import type { AuditCheckpointLetter } from './audit-checkpoint-letter';
import { ReceiptOutbox } from './receipt-outbox';

/**
 * Sends each new audit checkpoint to AUDIT_CHECKPOINT_EMAIL through the outbox, queued in the
 * transaction that stores the checkpoint, so a copy leaves the system even if the portal and its
 * database are later in other hands. Subscribes here rather than being called by the audit
 * feature, which the mail feature already depends on.
 */
@Injectable()
export class CheckpointMailer implements OnModuleInit {
  private readonly logger = new Logger('AuditCheckpoints');

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    private readonly outbox: ReceiptOutbox,
  ) {}

  onModuleInit(): void {
    const to = this.checkpoints.emailTo;
    if (!to) return;
    if (!this.outbox.enabled) {
      this.logger.warn(
        'AUDIT_CHECKPOINT_EMAIL is set but e-mail is off (SMTP_URL is not set): checkpoints are not e-mailed',
      );
      return;
    }
    const { fingerprint } = this.checkpoints.publicKey();
    this.checkpoints.onCheckpoint((em, checkpoint) =>
      this.outbox.enqueueMany(em, [
        {
          municipalityId: checkpoint.municipalityId,
          subjectId: `audit-checkpoint:${checkpoint.id}`,
          to,
          letter: letterOf(checkpoint, fingerprint),
        },
      ]),
    );
  }
}

function letterOf(checkpoint: SignedCheckpoint, fingerprint: string): AuditCheckpointLetter {
  const signed = JSON.parse(checkpoint.statement) as { municipality?: unknown };
  const municipality =
    typeof signed.municipality === 'string' ? signed.municipality : checkpoint.municipalityId;
  return {
    kind: 'audit-checkpoint',
    language: 'nb',
    reference: `${municipality} seq ${checkpoint.seq}`,
    municipality,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    time: checkpoint.createdAt.toISOString(),
    keyId: checkpoint.keyId,
    fingerprint,
    statement: checkpoint.statement,
    signature: checkpoint.signature,
  };
}
