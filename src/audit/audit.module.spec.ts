import { MikroORM } from '@mikro-orm/core';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuditModule } from './audit.module';
import { AuditService } from './audit.service';
import { AuditCheckpoints } from './checkpoints/audit-checkpoints';
import { AuditVerifier } from './verify/audit.verifier';

@Global()
@Module({ providers: [{ provide: MikroORM, useValue: { em: {} } }], exports: [MikroORM] })
class FakeOrmModule {}

describe(AuditModule.name, () => {
  describe('providers', () => {
    it('hands out the service, the verifier and the checkpoints when imported next to the ORM', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [FakeOrmModule, AuditModule],
      }).compile();
      expect(moduleRef.get(AuditService)).toBeInstanceOf(AuditService);
      expect(moduleRef.get(AuditVerifier)).toBeInstanceOf(AuditVerifier);
      expect(moduleRef.get(AuditCheckpoints).publicKey().pem).toMatch(/BEGIN PUBLIC KEY/);
      await moduleRef.close();
    });
  });
});
