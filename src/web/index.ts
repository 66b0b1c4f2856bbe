/** What the web feature offers the rest of the portal; other features import only this. */
export { formatAccountNumber } from './format';
