import { Module } from '@nestjs/common';
import { ThemeController } from './theme.controller';
import { ThemeService } from './theme.service';
import { ThemeSettingsCheck } from './theme-settings.check';

/**
 * A Designsystemet theme per municipality: its brand colour as the accent colour (contrast checked)
 * and its logo. `themeMiddleware` is mounted by the app factory.
 */
@Module({
  controllers: [ThemeController],
  providers: [ThemeService, ThemeSettingsCheck],
  exports: [ThemeService],
})
export class ThemeModule {}
