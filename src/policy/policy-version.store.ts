import { MikroORM, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import type { CompiledPolicy } from './compiled-policy';
import { canonicalJson } from './policy-hash';
import { PolicyVersion } from './policy-version.entity';

/** Stores each policy version the first time it decides for a municipality; remembers the row id. */
@Injectable()
export class PolicyVersionStore {
  private readonly known = new Map<string, string>();

  constructor(private readonly orm: MikroORM) {}

  async idFor(municipalityId: string, compiled: CompiledPolicy): Promise<string> {
    const key = `${municipalityId}:${compiled.hash}`;
    const cached = this.known.get(key);
    if (cached) return cached;
    const em = this.orm.em.fork();
    let row = await em.findOne(PolicyVersion, { municipalityId, hash: compiled.hash });
    if (!row) {
      try {
        row = em.create(PolicyVersion, {
          municipalityId,
          policyId: compiled.policy.id,
          version: compiled.policy.version,
          hash: compiled.hash,
          text: canonicalJson(compiled.policy),
        });
        await em.flush();
      } catch (error) {
        // Another request stored the same version first.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        row = await this.orm.em
          .fork()
          .findOneOrFail(PolicyVersion, { municipalityId, hash: compiled.hash });
      }
    }
    this.known.set(key, row.id);
    return row.id;
  }
}
