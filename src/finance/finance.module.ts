import { MikroORM } from '@mikro-orm/core';
import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { type FinanceConfig, financeConfig } from './finance.config';
import { FinanceSettingsCheck } from './finance-settings.check';
import { FinanceSystem } from './finance-system.port';
import { HttpFinanceSystem } from './http-finance-system';
import { EmbeddedLedgerFinanceSystem } from './ledger/embedded-ledger.finance-system';
import { RoutingFinanceSystem } from './routing-finance-system';
import { VismaFinanceSystem } from './visma/visma.finance-system';
import { vismaSecretsFrom } from './visma/visma-settings';
import { XledgerFinanceSystem } from './xledger/xledger.finance-system';
import { xledgerSecretsFrom } from './xledger/xledger-settings';

/** The only module that knows finance adapters; everything else injects the FinanceSystem port. */
@Module({
  imports: [ConfigModule.forFeature(financeConfig)],
  providers: [
    {
      provide: FinanceSystem,
      inject: [MikroORM, financeConfig.KEY],
      useFactory: (orm: MikroORM, config: FinanceConfig) =>
        new RoutingFinanceSystem(
          {
            embedded: new EmbeddedLedgerFinanceSystem(orm),
            http: new HttpFinanceSystem({
              apiKeyFor: (tenant) => config.apiKeys[tenant.slug] ?? config.defaultApiKey,
              logger: new Logger('HttpFinanceSystem'),
              readTimeoutMs: config.readTimeoutMs,
              writeTimeoutMs: config.writeTimeoutMs,
            }),
            visma: new VismaFinanceSystem({
              logger: new Logger('VismaFinanceSystem'),
              env: vismaSecretsFrom(process.env),
              readTimeoutMs: config.readTimeoutMs,
              writeTimeoutMs: config.writeTimeoutMs,
            }),
            xledger: new XledgerFinanceSystem({
              logger: new Logger('XledgerFinanceSystem'),
              env: xledgerSecretsFrom(process.env),
              readTimeoutMs: config.readTimeoutMs,
              writeTimeoutMs: config.writeTimeoutMs,
            }),
          },
          new Logger('FinanceSettings'),
        ),
    },
    FinanceSettingsCheck,
  ],
  exports: [FinanceSystem],
})
export class FinanceModule {}
