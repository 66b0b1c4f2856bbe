import {
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { AuditInclusionProofs } from '../audit';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { decisionEntryQuery } from '../deferrals';
import { DecisionPageService } from './decision-page.service';
import { type ProofCheck, PROOF_TEXT_MAX_BYTES, ProofCheckService } from './proof-check';

const uuid = new ParseUUIDPipe({ version: '4' });
const MAX_MB = PROOF_TEXT_MAX_BYTES / (1024 * 1024);

/**
 * Residents' proofs for auditors: the proof of a decision the auditor reviews (the same file the
 * resident downloads), and a page that checks a proof someone brings, pasted as text, against the
 * portal's public keys and the chain in the database.
 */
@Controller('revisjon')
@StaffOnly('auditor')
export class ProofController {
  constructor(
    private readonly decisions: DecisionPageService,
    private readonly proofs: AuditInclusionProofs,
    private readonly checks: ProofCheckService,
  ) {}

  /** The decision's proof; taking it out is recorded as an opening of the decision. */
  @Get('beslutninger/:id/bevis')
  async download(
    @CurrentStaff() staff: StaffMember,
    @Param('id', uuid) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const found = await this.decisions.find(municipalitiesWhere(staff, 'auditor'), id);
    if (!found) throw new NotFoundException();
    const { request } = found;
    const outcome = await this.proofs.build(decisionEntryQuery(request));
    if (outcome.kind === 'none') throw new NotFoundException();
    if (outcome.kind === 'notCovered') {
      res.status(409).render('pages/proof-not-ready', {
        titleKey: 'proof.notReady.title',
        minutes: this.proofs.intervalMinutes,
        back: `/revisjon/beslutninger/${request.id}`,
        backKey: 'proof.notReady.toDecision',
      });
      return;
    }
    await this.decisions.recordOpened(found, { actor: staff.actor, name: staff.name }, false);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="revisjonsbevis-${request.reference}.json"`,
    );
    res.send(outcome.text);
  }

  @Get('bevis')
  page(@Res() res: Response): void {
    res.render('pages/audit/proof', model(''));
  }

  @Post('bevis')
  async check(
    @CurrentStaff() staff: StaffMember,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const text = typeof body?.bevis === 'string' ? body.bevis : '';
    const result = await this.checks.check(text, municipalitiesWhere(staff, 'auditor'));
    res
      .status(result.kind === 'refused' ? 400 : 200)
      .render('pages/audit/proof', model(text, result));
  }
}

function model(text: string, result?: ProofCheck) {
  const refused = result?.kind === 'refused' ? result.problem : null;
  const checked = result?.kind === 'checked' ? result : null;
  const verdict = checked?.verdict;
  return {
    titleKey: 'proof.audit.title',
    maxMb: MAX_MB,
    // A refused text is shown again to be mended; a checked one too, to check a changed copy.
    text,
    problem: refused,
    verdict: verdict?.ok ? verdict : null,
    failure: verdict && !verdict.ok ? verdict.problem : null,
    chain: checked?.chain ?? null,
    heading: !verdict
      ? null
      : !verdict.ok
        ? 'failed'
        : checked?.chain === 'differs' || checked?.chain === 'missing'
          ? 'chainDiffers'
          : 'verified',
  };
}
