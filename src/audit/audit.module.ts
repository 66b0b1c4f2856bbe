import { MikroORM } from '@mikro-orm/core';
import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditService } from './audit.service';
import {
  type AuditCheckpointConfig,
  auditCheckpointConfig,
} from './checkpoints/audit-checkpoint.config';
import { AuditCheckpointScheduler } from './checkpoints/audit-checkpoint.scheduler';
import { AuditCheckpoints } from './checkpoints/audit-checkpoints';
import { previousPublicKeys, resolveSigningKey } from './checkpoints/resolve-signing-key';
import { AuditInclusionProofs } from './proof/inclusion-proofs';
import { AuditVerifier } from './verify/audit.verifier';

/**
 * The append-only decision log and its signed checkpoints. The classes are plain (no Nest
 * imports) so they can be unit tested and used by the CLI; this module only hands them out, and
 * runs the checkpoint timer.
 */
@Module({
  imports: [ConfigModule.forFeature(auditCheckpointConfig)],
  providers: [
    { provide: AuditService, useValue: new AuditService() },
    {
      provide: AuditCheckpoints,
      useFactory: (orm: MikroORM, config: AuditCheckpointConfig) => {
        const logger = new Logger('AuditCheckpoints');
        return new AuditCheckpoints(
          orm.em,
          resolveSigningKey(config, (line) => logger.warn(line)),
          { previousKeys: previousPublicKeys(config), emailTo: config.email },
        );
      },
      inject: [MikroORM, auditCheckpointConfig.KEY],
    },
    {
      provide: AuditVerifier,
      useFactory: (orm: MikroORM, checkpoints: AuditCheckpoints) =>
        new AuditVerifier(orm.em, undefined, { publicKeys: checkpoints.trustedKeys() }),
      inject: [MikroORM, AuditCheckpoints],
    },
    {
      provide: AuditInclusionProofs,
      useFactory: (
        orm: MikroORM,
        audit: AuditService,
        checkpoints: AuditCheckpoints,
        config: AuditCheckpointConfig,
      ) => new AuditInclusionProofs(orm.em, audit, checkpoints, config.intervalMs / 60_000),
      inject: [MikroORM, AuditService, AuditCheckpoints, auditCheckpointConfig.KEY],
    },
    AuditCheckpointScheduler,
  ],
  exports: [AuditService, AuditVerifier, AuditCheckpoints, AuditInclusionProofs],
})
export class AuditModule {}
