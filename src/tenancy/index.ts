/** What the tenancy feature offers the rest of the portal; other features import only this. */
export { ForMunicipality, publicOrigin } from './current-municipality';
export type { CurrentMunicipality } from './current-municipality';
export { DEMO_MUNICIPALITY_SLUGS } from './demo-seed';
export { Municipality } from './municipality.entity';
export { municipalitySlugOf } from './municipality-slug';
export { TenancyModule } from './tenancy.module';
export { TenancyService } from './tenancy.service';
