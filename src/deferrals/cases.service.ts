import { MikroORM } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { WritebackService } from '../writeback';
import { DeferralRequest } from './deferral-request.entity';

export const OFFICER_MESSAGE_MAX = 1000;

export type WritebackState = 'waiting' | 'done' | 'failed' | 'not_applicable';

export interface CaseView {
  request: DeferralRequest;
  writeback: WritebackState;
  writebackCompletedAt: Date | null;
  canSendToOfficer: boolean;
}

/** "Mine saker": a resident's own requests, their decisions and how the write-back is going. */
@Injectable()
export class CasesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly writeback: WritebackService,
  ) {}

  async list(municipalityId: string, pid: string): Promise<CaseView[]> {
    const requests = await this.orm.em
      .fork()
      .find(
        DeferralRequest,
        { municipalityId, pid },
        { orderBy: { createdAt: 'desc' }, limit: 200 },
      );
    return this.withWriteback(municipalityId, requests);
  }

  async get(municipalityId: string, pid: string, reference: string): Promise<CaseView | null> {
    const request = await this.orm.em
      .fork()
      .findOne(DeferralRequest, { municipalityId, pid, reference });
    if (!request) return null;
    return (await this.withWriteback(municipalityId, [request]))[0];
  }

  /**
   * Hands a rejected or manual-review case to a person, with the resident's message. Returns false
   * when the case cannot be sent (approved, already sent); the message is kept as given.
   */
  async sendToOfficer(
    municipalityId: string,
    pid: string,
    reference: string,
    message: string,
  ): Promise<boolean> {
    const em = this.orm.em.fork();
    const updated = await em.nativeUpdate(
      DeferralRequest,
      {
        municipalityId,
        pid,
        reference,
        status: 'decided',
        outcome: { $in: ['rejected', 'manual_review'] },
      },
      { status: 'awaiting_officer', officerMessage: message, sentToOfficerAt: new Date() },
    );
    return updated === 1;
  }

  private async withWriteback(
    municipalityId: string,
    requests: DeferralRequest[],
  ): Promise<CaseView[]> {
    const approved = requests.filter((r) => r.outcome === 'approved').map((r) => r.id);
    const jobs = approved.length
      ? await this.writeback.jobsFor(municipalityId, approved)
      : new Map();
    return requests.map((request) => {
      const job = jobs.get(request.id);
      const writeback: WritebackState =
        request.outcome !== 'approved'
          ? 'not_applicable'
          : !job
            ? 'waiting'
            : job.status === 'done'
              ? 'done'
              : job.status === 'failed'
                ? 'failed'
                : 'waiting';
      return {
        request,
        writeback,
        writebackCompletedAt: job?.completedAt ?? null,
        canSendToOfficer: request.status === 'decided' && request.outcome !== 'approved',
      };
    });
  }
}
