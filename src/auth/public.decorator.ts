import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/** Opens a route to visitors without a session; every other route is closed by the global guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
