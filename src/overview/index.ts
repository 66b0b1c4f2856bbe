/** What the overview feature offers the rest of the portal: only its module, for the app module. */
export { OverviewModule } from './overview.module';
