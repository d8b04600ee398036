import { describe, it, expect } from 'vitest';
import { emailKey, isValidEmail, parseEmail, sameEmail } from '../../../core/owners/email';

describe('e-mail validation', () => {
  it('accepts ordinary and internationalised addresses', () => {
    for (const ok of ['alice@example.com', 'a.b+tag@sub.example.co.uk', 'jürgen@bücher.de', 'ユーザー@例え.jp', 'x@xn--bcher-kva.de', "o'neil@example.org"]) {
      expect(isValidEmail(ok), ok).toBe(true);
    }
  });

  it('rejects malformed addresses with a reason', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      ['alice.example.com', 'no-at-sign'],
      ['@example.com', 'bad-local-part'],
      ['a..b@example.com', 'bad-local-part'],
      ['.a@example.com', 'bad-local-part'],
      ['a b@example.com', 'bad-local-part'],
      ['alice@localhost', 'bad-domain'],
      ['alice@exa mple.com', 'bad-domain'],
      ['alice@-example.com', 'bad-domain'],
      ['alice@example.123', 'bad-domain'],
      [`${'a'.repeat(65)}@example.com`, 'local-part-too-long'],
    ];
    for (const [input, problem] of cases) {
      const r = parseEmail(input);
      expect(r.ok, input).toBe(false);
      if (!r.ok) expect(r.problem, input).toBe(problem);
    }
  });

  it('compares case-insensitively and treats a Unicode domain like its punycode', () => {
    expect(sameEmail('Alice@Example.COM', 'alice@example.com')).toBe(true);
    expect(sameEmail('jürgen@BÜCHER.de', 'Jürgen@xn--bcher-kva.de')).toBe(true);
    expect(sameEmail('alice@example.com', 'alicia@example.com')).toBe(false);
    expect(emailKey('  Bob@Example.com ')).toBe('bob@example.com');
  });
});
