import { Controller, Get, Render } from '@nestjs/common';
import { Public } from '../auth';

@Controller()
export class HomeController {
  @Public()
  @Get()
  @Render('pages/home')
  home(): Record<string, unknown> {
    return {};
  }
}
