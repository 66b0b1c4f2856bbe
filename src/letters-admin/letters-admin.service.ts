import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { type AuditPayload, AuditService } from '../audit';
import type { ActingStaff } from '../auth';
import {
  LETTER_SECRETS,
  LetterChannelTest,
  letterSettingsProblem,
  type SecretLookup,
  type TokenTestResult,
} from '../digital-post';
import { Municipality, TenancyService } from '../tenancy';
import {
  type FieldRefusal,
  fieldOfProblem,
  lettersFromForm,
  type LetterSettingsValues,
  valuesOf,
} from './letter-settings-form';

/** One secret the settings name: the variable and whether it is set (never its value). */
export interface SecretRef {
  name: string;
  set: boolean;
}

/** What an operator sees of one municipality's letter settings. */
export interface LetterSettingsView {
  slug: string;
  name: string;
  channel: 'email' | 'svarut';
  secrets: SecretRef[];
  /** The start-up check's line, or undefined when the settings would work. */
  problem: string | undefined;
  values: LetterSettingsValues;
}

export type SaveOutcome = { saved: true } | { saved: false; refusals: FieldRefusal[] };

/**
 * The letter channel of the municipalities an operator serves: read, checked with the start-up's
 * own check, changed with an audit entry in the same transaction, and a Maskinporten token test.
 */
@Injectable()
export class LettersAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
    private readonly audit: AuditService,
    private readonly channelTest: LetterChannelTest,
    @Inject(LETTER_SECRETS) private readonly secrets: SecretLookup,
  ) {}

  async views(served: readonly string[]): Promise<LetterSettingsView[]> {
    if (served.length === 0) return [];
    const rows = await this.em
      .fork()
      .find(Municipality, { id: { $in: [...served] } }, { orderBy: { slug: 'asc' } });
    return rows.map((row) => this.view(row));
  }

  async save(
    slug: string,
    served: readonly string[],
    who: ActingStaff,
    values: LetterSettingsValues,
  ): Promise<SaveOutcome | undefined> {
    const outcome = await this.em.fork().transactional(async (tx) => {
      const row = await tx.findOne(Municipality, { slug });
      if (!row || !served.includes(row.id)) return undefined;
      const candidate = lettersFromForm(values, row.settings.letters);
      if ('refusals' in candidate) return { saved: false as const, refusals: candidate.refusals };
      const settings = { ...row.settings, letters: candidate.letters };
      const problem = letterSettingsProblem(row.slug, settings, this.secrets);
      if (problem)
        return {
          saved: false as const,
          refusals: [{ field: fieldOfProblem(problem), line: problem }],
        };
      const before = row.settings.letters ?? null;
      row.settings = settings;
      await this.audit.append(tx, {
        municipalityId: row.id,
        type: 'settings.letters_changed',
        subjectId: row.id,
        payload: {
          actor: who.actor,
          name: who.name ?? null,
          municipality: row.slug,
          // Only names of variables are stored, so the settings can be audited as they are.
          before: JSON.parse(JSON.stringify(before)) as AuditPayload,
          after: JSON.parse(JSON.stringify(candidate.letters)) as AuditPayload,
          at: new Date().toISOString(),
        },
      });
      await this.tenancy.notifyChanged(tx, row.id);
      return { saved: true as const };
    });
    if (outcome?.saved) this.tenancy.invalidate();
    return outcome;
  }

  /** A Maskinporten token with the settings as stored; undefined when the slug is not served. */
  async testToken(slug: string, served: readonly string[]): Promise<TokenTestResult | undefined> {
    const row = await this.em.fork().findOne(Municipality, { slug });
    if (!row || !served.includes(row.id)) return undefined;
    return this.channelTest.token(row.slug, { ...row.settings });
  }

  private view(row: Municipality): LetterSettingsView {
    const values = valuesOf(row.settings.letters);
    const names = [values.integrationPasswordEnv, values.privateKeyEnv].filter((n) => n !== '');
    return {
      slug: row.slug,
      name: row.name,
      channel: values.channel === 'svarut' ? 'svarut' : 'email',
      secrets: names.map((name) => ({ name, set: this.secrets(name) !== undefined })),
      problem: letterSettingsProblem(row.slug, { ...row.settings }, this.secrets),
      values,
    };
  }
}
