import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MikroORM } from '@mikro-orm/core';
import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditCheckpoints, AuditService, auditExportCsvRows, auditExportLines } from '../audit';
import { CurrentStaff, municipalitiesWhere, type StaffMember, StaffOnly } from '../auth';
import { todayInNorway } from '../shared/calendar-date';
import { ForMunicipality, type CurrentMunicipality, TenancyService } from '../tenancy';
import { options, problemModel, typedValues } from './audit-form';
import { QueryReader } from './audit-query';

const FORMATS = ['jsonl', 'csv'] as const;
/** Bytes of lines joined into one write to the response. */
const CHUNK = 64 * 1024;

/**
 * Lines joined into writes of about CHUNK: written one line at a time, the response's writes (a
 * chunk header and a system call each) cost more than making the lines.
 */
async function* chunks(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let parts: string[] = [];
  let length = 0;
  for await (const line of lines) {
    parts.push(line);
    length += line.length;
    if (length >= CHUNK) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * Exports of the audit chain for auditors: a period as JSON Lines (with the signed checkpoint that
 * covers it, for the offline verifier) or CSV, streamed a page at a time; the public key to check
 * them with; and a checkpoint on demand, so an export can end at a signature made just now.
 */
@Controller('revisjon/eksport')
@StaffOnly('auditor')
export class ExportController {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
    private readonly tenancy: TenancyService,
  ) {}

  @Get()
  async page(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = await this.served(staff);
    const latest = await this.checkpoints.latest(municipality.id);
    const today = todayInNorway();
    res.render('pages/audit/export', {
      titleKey: 'audit.export.title',
      several: served.length > 1,
      municipalities: options(
        served.map((m) => ({ value: m.slug, label: m.name })),
        municipality.slug,
      ),
      values: { fra: `${today.slice(0, 7)}-01`, til: today, ...typedValues(query) },
      formats: FORMATS,
      key: this.checkpoints.publicKey(),
      latest,
      done: query.ok === 'kontrollpunkt',
      problems: {},
      problemList: [],
    });
  }

  /** The export itself, streamed; recorded in the chain first (who exported what). */
  @Get('fil')
  async download(
    @CurrentStaff() staff: StaffMember,
    @ForMunicipality() municipality: CurrentMunicipality,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const served = await this.served(staff);
    const read = new QueryReader(query);
    const slug = read.choice(
      'kommune',
      served.map((m) => m.slug),
    );
    const { from, to } = read.period('fra', 'til');
    const format = read.choice('format', FORMATS) ?? 'jsonl';
    if (!from) read.problems.push({ field: 'fra', problem: 'missing' });
    if (!to && from) read.problems.push({ field: 'til', problem: 'missing' });
    const target = served.find((m) => m.slug === (slug ?? municipality.slug));
    if (read.problems.length > 0 || !from || !to || !target) {
      const latest = await this.checkpoints.latest(municipality.id);
      res.status(400).render('pages/audit/export', {
        titleKey: 'audit.export.title',
        several: served.length > 1,
        municipalities: options(
          served.map((m) => ({ value: m.slug, label: m.name })),
          slug ?? municipality.slug,
        ),
        values: typedValues(query),
        formats: FORMATS,
        key: this.checkpoints.publicKey(),
        latest,
        ...problemModel(read.problems),
      });
      return;
    }
    await this.orm.em.fork().transactional((em) =>
      this.audit.append(em, {
        municipalityId: target.id,
        type: 'audit.exported',
        subjectId: staff.actor,
        payload: { actor: staff.actor, name: staff.name ?? null, from, to, format },
      }),
    );
    const request = { municipality: target, from, to };
    const em = this.orm.em.fork();
    res.status(200);
    res.setHeader(
      'Content-Type',
      format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="revisjonslogg-${target.slug}-${from}-${to}.${format}"`,
    );
    const rows =
      format === 'csv'
        ? auditExportCsvRows(em, request)
        : (async function* () {
            for await (const line of auditExportLines(em, request)) yield `${line}\n`;
          })();
    // Backpressure: the next page is read only when the client has taken the last one.
    // Two chunks ahead (Readable.from's default is 16): what waits for a slow client is garbage
    // that lives long enough to be moved to the old generation.
    await pipeline(Readable.from(chunks(rows), { highWaterMark: 2 }), res);
  }

  @Post('kontrollpunkt')
  async checkpoint(
    @ForMunicipality() municipality: CurrentMunicipality,
    @Res() res: Response,
  ): Promise<void> {
    await this.checkpoints.checkpointNow(municipality.id);
    res.redirect(303, '/revisjon/eksport?ok=kontrollpunkt');
  }

  private async served(staff: StaffMember) {
    const ids = municipalitiesWhere(staff, 'auditor');
    return (await this.tenancy.all()).filter((m) => ids.includes(m.id));
  }
}
