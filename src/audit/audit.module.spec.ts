import { MikroORM } from '@mikro-orm/core';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuditModule } from './audit.module';
import { AuditService } from './audit.service';
import { AuditVerifier } from './verify/audit.verifier';

@Global()
@Module({ providers: [{ provide: MikroORM, useValue: { em: {} } }], exports: [MikroORM] })
class FakeOrmModule {}

describe(AuditModule.name, () => {
  describe('providers', () => {
    it('hands out the service and the verifier when imported next to the ORM', async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [FakeOrmModule, AuditModule],
      }).compile();
      expect(moduleRef.get(AuditService)).toBeInstanceOf(AuditService);
      expect(moduleRef.get(AuditVerifier)).toBeInstanceOf(AuditVerifier);
      await moduleRef.close();
    });
  });
});
