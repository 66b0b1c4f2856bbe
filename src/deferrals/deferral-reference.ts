import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: a reference is read out on the phone.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short, unguessable case reference like `UTS-7K3M-Q9TX`. */
export function newDeferralReference(): string {
  const part = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `UTS-${part()}-${part()}`;
}
