/** What the finance-admin feature offers the rest of the portal: only its module, for the app module. */
export { FinanceAdminModule } from './finance-admin.module';
