import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** How a municipality's portal behaves; later features add their settings here. */
export interface MunicipalitySettings {
  /** Which finance system adapter serves this municipality's invoices. */
  financeAdapter?: 'embedded' | 'http' | 'visma' | 'xledger';
  /** Base URL of the finance system's REST API when `financeAdapter` is `http`. */
  financeBaseUrl?: string;
  /**
   * Visma.net ERP when `financeAdapter` is `visma` (checked at start-up, see
   * src/finance/visma/visma-settings.ts): tenant and client id, the VISMA_* variable holding the
   * client secret, the customer field with the identity number, payee and account.
   */
  visma?: Record<string, unknown>;
  /**
   * Xledger when `financeAdapter` is `xledger` (checked at start-up, see
   * src/finance/xledger/xledger-settings.ts): the GraphQL endpoint, the XLEDGER_* variable holding
   * the entity's API token, payee (and per account), fallback account, the source codes'
   * categories, the payment statuses of collection, and the collection agency.
   */
  xledger?: Record<string, unknown>;
  /**
   * False when the system behind the REST API has no write path (`http` only; true when absent):
   * approved due dates are then handed over to the finance team (`cases.handoverEmail` and the
   * officers' page) and a periodic read closes each once it is registered.
   */
  financeWritesDueDates?: boolean;
  /**
   * The file in `rules/` that seeds this municipality's deferral policy, e.g. `asdal.policy.json`;
   * `default.policy.json` when unset. Read only while the municipality has no version in force.
   */
  policyFile?: string;
  /**
   * The municipality's look (Designsystemet): `brandColor` (`#rrggbb`) becomes the accent colour of
   * buttons, links and the header band, adjusted if its contrast fails WCAG AA; `logo` is a file
   * name in `public/logos/` (.svg or .png). Checked at start-up by the theme feature.
   */
  theme?: { brandColor?: string; logo?: string };
  /**
   * How cases that need a person are handled (checked at start-up by the deferrals feature):
   * `usualAnswerDays` (told to residents, 10 by default), `minutesPerManualCase` (the dashboard's
   * hours saved, 10), `claimStaleHours` (when another officer may take a case over, 24),
   * `rejectionTexts` (the standard reasons, `{ code, label, text }` with nb/nn/en each), and
   * `handoverEmail` (the finance team's mailbox for due dates their system cannot take).
   */
  cases?: Record<string, unknown>;
  /**
   * How decision letters reach residents (checked at start-up, see
   * src/digital-post/letter-settings.ts): `channel` `email` (the address the resident gave, as
   * before) or `svarut` (digital post to the identity number through KS Fiks SvarUt), and for
   * that the account, the Fiks integration and Maskinporten client, with secrets by env name.
   */
  letters?: Record<string, unknown>;
  /**
   * How long a closed request keeps the resident's personal data after its decision, as the
   * municipality's archive plan says (checked at start-up, see src/retention/retention-settings.ts):
   * `years`, a whole number from 1 to 100; the installation's RETENTION_YEARS (5) when absent.
   */
  retention?: { years?: number };
}

/**
 * A tenant. One installation serves several municipalities (inter-municipal IT cooperations); every
 * row that belongs to one carries its id, and each request is served for exactly one.
 */
@Entity({ tableName: 'municipalities' })
export class Municipality {
  [OptionalProps]?: 'createdAt' | 'settings' | 'hostnames';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stable short name used in configuration, e.g. `fjordvik`. */
  @Property({ length: 64, unique: true })
  slug!: string;

  @Property({ length: 200 })
  name!: string;

  /** Organisasjonsnummer (9 digits). */
  @Property({ length: 9 })
  orgNumber!: string;

  /** Host names this municipality's portal answers on, lower case, without port. */
  @Property({ type: 'json' })
  hostnames: string[] = [];

  @Property({ length: 200 })
  contactEmail!: string;

  @Property({ length: 40 })
  contactPhone!: string;

  @Property({ type: 'json' })
  settings: MunicipalitySettings = {};

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
