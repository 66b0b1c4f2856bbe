import { domainOf, toRecipient } from './recipient-address';

describe('toRecipient', () => {
  it.each([
    'kari@example.no',
    ' kari.nordmann+faktura@post.example.no ',
    'ola@ås.kommune.no',
    'x@xn--s-1fa.no',
  ])('accepts %p', (address) => {
    expect(toRecipient(address)).toBe(address.trim());
  });

  it.each([
    '',
    'kari',
    'kari@',
    '@example.no',
    'kari@localhost',
    'kari@example',
    'kari@@example.no',
    'Kari <kari@example.no>',
    'kari@example.no, ola@example.no',
    'kari@example.no\r\nBcc: ola@example.no',
    'kari nordmann@example.no',
    'kari..n@example.no',
    'kåri@example.no',
    `${'k'.repeat(65)}@example.no`,
    'kari@-example.no',
  ])('refuses %p', (address) => {
    expect(toRecipient(address)).toBeNull();
  });

  it('refuses what is not a string', () => {
    expect(toRecipient(undefined)).toBeNull();
  });
});

describe('domainOf', () => {
  it('gives the domain only, in lower case', () => {
    expect(domainOf('Kari.Nordmann@Example.NO')).toBe('example.no');
  });
});
