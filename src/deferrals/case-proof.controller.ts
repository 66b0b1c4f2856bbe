import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentResident } from '../auth';
import type { ResidentIdentity } from '../auth';
import { ForMunicipality, type CurrentMunicipality } from '../tenancy';
import { CaseProofs } from './case-proofs';
import { CasesService } from './cases.service';

/**
 * The resident's proof that their decision is in the audit chain, as a file to keep or hand to a
 * lawyer: only for their own case (404 for anyone else's, as the case page), and only once a
 * signed checkpoint covers the decision's entry (until then the case page says when).
 */
@Controller('saker')
export class CaseProofController {
  constructor(
    private readonly cases: CasesService,
    private readonly proofs: CaseProofs,
  ) {}

  @Get(':reference/bevis')
  async download(
    @ForMunicipality() municipality: CurrentMunicipality,
    @CurrentResident() resident: ResidentIdentity,
    @Param('reference') reference: string,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.cases.get(municipality.id, resident.pid, reference);
    if (!view) throw new NotFoundException();
    const { request } = view;
    const outcome = await this.proofs.build(request);
    if (outcome.kind === 'none') throw new NotFoundException();
    if (outcome.kind === 'notCovered') {
      res.status(409).render('pages/proof-not-ready', {
        titleKey: 'proof.notReady.title',
        minutes: this.proofs.intervalMinutes,
        back: `/saker/${encodeURIComponent(request.reference)}`,
        backKey: 'proof.notReady.toCase',
      });
      return;
    }
    sendProof(res, request.reference, outcome.text);
  }
}

/** The proof as a download, `revisjonsbevis-<reference>.json` (the reference is the stored one). */
function sendProof(res: Response, reference: string, text: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="revisjonsbevis-${reference}.json"`);
  res.send(text);
}
