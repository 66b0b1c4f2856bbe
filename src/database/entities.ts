import { Session } from '../auth/session/session.entity';
import { Municipality } from '../tenancy/municipality.entity';

/** Every entity the ORM maps; the migrations are generated from exactly this list. */
export const ENTITIES = [Municipality, Session];
