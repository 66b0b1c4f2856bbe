/** What the policy-admin feature offers the rest of the portal: only its module, for the app module. */
export { PolicyAdminModule } from './policy-admin.module';
