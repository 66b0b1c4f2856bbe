/** What the theme feature offers the rest of the portal; other features import only this. */
export { themeMiddleware } from './theme.middleware';
export { ThemeModule } from './theme.module';
export { ThemeService } from './theme.service';
export type { Theme } from './theme.service';
