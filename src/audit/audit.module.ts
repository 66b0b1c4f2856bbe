import { MikroORM } from '@mikro-orm/core';
import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { AuditVerifier } from './verify/audit.verifier';

/**
 * The append-only decision log. The classes are plain (no Nest imports) so they can be unit
 * tested and used by the CLI; this module only hands them out.
 */
@Module({
  providers: [
    { provide: AuditService, useValue: new AuditService() },
    {
      provide: AuditVerifier,
      useFactory: (orm: MikroORM) => new AuditVerifier(orm.em),
      inject: [MikroORM],
    },
  ],
  exports: [AuditService, AuditVerifier],
})
export class AuditModule {}
