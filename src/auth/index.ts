/** What the auth feature offers the rest of the portal; other features import only this. */
export { CurrentResident, isResident } from './identity';
export { Public } from './public.decorator';
export type { ResidentIdentity } from './resident-identity';
