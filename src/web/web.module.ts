import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HomeController } from './home.controller';
import { HttpExceptionFilter } from './http-exception.filter';
import { i18nModule } from './i18n.setup';
import { LanguageController } from './language.controller';

@Module({
  imports: [i18nModule],
  controllers: [HomeController, LanguageController],
  providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
})
export class WebModule {}
