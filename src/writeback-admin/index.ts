/** What the writeback-admin feature offers the rest of the portal: only its module, for the app module. */
export { WritebackAdminModule } from './writeback-admin.module';
