/** What the officer-cases feature offers the rest of the portal: only its module, for the app module. */
export { OfficerCasesModule } from './officer-cases.module';
