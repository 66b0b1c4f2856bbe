/** What the letters-admin feature offers the rest of the portal: only its module, for the app module. */
export { LettersAdminModule } from './letters-admin.module';
