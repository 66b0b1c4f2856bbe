import type { Provider } from '@nestjs/common';
import { discoverOidcClient } from '../oidc-client.provider';
import { STAFF_OIDC_CLIENT } from './staff-oidc.strategy';
import { type StaffOidcConfig, staffOidcConfig } from './staff-oidc.config';

/** The staff provider's metadata, discovered once at start like ID-porten's (signatures checked). */
export const staffOidcClientProvider: Provider = {
  provide: STAFF_OIDC_CLIENT,
  inject: [staffOidcConfig.KEY],
  useFactory: (settings: StaffOidcConfig) => discoverOidcClient(settings),
};
