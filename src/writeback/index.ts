/** What the writeback feature offers the rest of the portal; other features import only this. */
export { WritebackModule } from './writeback.module';
export { WritebackService } from './writeback.service';
