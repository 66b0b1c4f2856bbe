import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit';
import { TenancyService, type CurrentMunicipality } from '../../tenancy';
import type { StaffIdentity } from '../identity';
import { SessionService } from '../session/session.service';
import { staffActor } from './staff-member';
import { rolesIn } from './staff-role-map';
import type { StaffRole } from './staff-role';
import type { StaffLogin } from './staff-oidc.strategy';
import { type StaffOidcConfig, staffOidcConfig } from './staff-oidc.config';

/**
 * A staff login or logout on one municipality's host: the roles there from the claim mapping, the
 * staff session, and an entry in that municipality's audit chain saying who (never a token).
 */
@Injectable()
export class StaffLoginService {
  constructor(
    private readonly orm: MikroORM,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly tenancy: TenancyService,
    @Inject(staffOidcConfig.KEY) private readonly settings: StaffOidcConfig,
  ) {}

  async logIn(req: Request, login: StaffLogin, municipality: CurrentMunicipality): Promise<void> {
    const roles = rolesIn(this.settings.roleMap, login.roleClaim, municipality.slug);
    // The roles in every other municipality the claim maps too, so an officer of an
    // inter-municipal office sees the cases of all the municipalities they serve from one login.
    // The session still belongs to this host: what it opens elsewhere is checked per case.
    const everywhere: Record<string, StaffRole[]> = { [municipality.id]: roles };
    for (const other of await this.tenancy.all()) {
      if (other.id === municipality.id) continue;
      const there = rolesIn(this.settings.roleMap, login.roleClaim, other.slug);
      if (there.length > 0) everywhere[other.id] = there;
    }
    const identity: StaffIdentity = {
      kind: 'staff',
      subject: login.subject,
      issuer: login.issuer,
      name: login.name,
      roles: everywhere,
      idToken: login.idToken,
      sid: login.sid,
    };
    // Recorded before the session exists: a login the audit chain cannot hold does not happen.
    await this.record(municipality.id, 'staff.login', identity, { roles: [...roles] });
    await this.sessions.startStaffSession(req, identity);
  }

  async logOut(req: Request, identity: StaffIdentity, municipalityId: string): Promise<void> {
    await this.record(municipalityId, 'staff.logout', identity, {});
    await this.sessions.end(req);
  }

  /**
   * A provider's front-channel logout: ends every session behind its session `sid` (a resident's
   * from ID-porten, a member of staff's from the staff provider; in the demo one provider is both)
   * and, in the same transaction, records a `staff.logout` for each staff session in the chain of
   * the municipality it was made on. Returns how many sessions ended.
   */
  async endProviderSession(issuer: string, sid: string): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const ended = await this.sessions.endByOidcSid(em, issuer, sid);
      const entries = ended.flatMap((data) =>
        data?.staff
          ? [
              staffEntry(data.staff.municipalityId, 'staff.logout', data.staff, {
                endedByProvider: true,
              }),
            ]
          : [],
      );
      if (entries.length > 0) await this.audit.appendMany(em, entries);
      return ended.length;
    });
  }

  private async record(
    municipalityId: string,
    type: 'staff.login' | 'staff.logout',
    identity: StaffIdentity,
    extra: { roles?: string[] },
  ): Promise<void> {
    await this.orm.em
      .fork()
      .transactional((em) =>
        this.audit.append(em, staffEntry(municipalityId, type, identity, extra)),
      );
  }
}

/** A login's or logout's entry: who (never a token), with `extra` before the time. */
function staffEntry(
  municipalityId: string,
  type: 'staff.login' | 'staff.logout',
  identity: StaffIdentity,
  extra: Record<string, unknown>,
) {
  const actor = staffActor(identity.subject);
  return {
    municipalityId,
    type,
    subjectId: actor,
    payload: {
      actor,
      name: identity.name ?? null,
      issuer: identity.issuer,
      ...extra,
      at: new Date().toISOString(),
    },
  };
}
