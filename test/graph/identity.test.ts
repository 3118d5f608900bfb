import { describe, expect, it } from 'vitest';
import { carriesSurname, type IdentityCandidate, isSurnameKey, resolveSurname } from '../../src/graph/identity.js';

const spokesman = { title: 'spokesman', organization: 'Foreign Ministry' };
const hongLei: IdentityCandidate = { id: 1, key: 'hong lei', roles: [spokesman] };
const hongXiuzhu: IdentityCandidate = { id: 2, key: 'hong xiuzhu', roles: [{ title: 'minister', organization: 'Commerce Ministry' }] };
const johnKerry: IdentityCandidate = { id: 3, key: 'john kerry', roles: [{ title: 'secretary of state', organization: 'U.S.' }] };
const unknownRoleHong: IdentityCandidate = { id: 4, key: 'hong kil-dong', roles: [] };

describe('isSurnameKey and carriesSurname', () => {
  it('only single names are resolved', () => {
    expect(isSurnameKey('hong')).toBe(true);
    expect(isSurnameKey('hong lei')).toBe(false);
    expect(isSurnameKey('')).toBe(false);
  });

  it('a full name carries the surname at either end (surname-first names too), never in the middle or as part of a word', () => {
    expect(carriesSurname('hong lei', 'hong')).toBe(true);
    expect(carriesSurname('john kerry', 'kerry')).toBe(true);
    expect(carriesSurname('ban ki-moon', 'ki-moon')).toBe(true);
    expect(carriesSurname('lee hsien loong', 'hsien')).toBe(false);
    expect(carriesSurname('hongbo lei', 'hong')).toBe(false);
    expect(carriesSurname('hong', 'hong')).toBe(false);
  });
});

describe('resolveSurname', () => {
  it('"Foreign Ministry spokesman Hong" is Hong Lei: same surname, same role', () => {
    expect(resolveSurname({ key: 'hong', role: spokesman }, [hongLei, hongXiuzhu, johnKerry])).toBe(1);
  });

  it('a shared title or a shared organization is enough when it singles one person out', () => {
    expect(resolveSurname({ key: 'hong', role: { title: 'spokesman', organization: null } }, [hongLei, hongXiuzhu])).toBe(1);
    expect(resolveSurname({ key: 'hong', role: { title: 'vice minister', organization: 'Commerce Ministry' } }, [hongLei, hongXiuzhu])).toBe(2);
  });

  it('title and organization together beat either alone', () => {
    const otherSpokesman: IdentityCandidate = { id: 5, key: 'hong tao', roles: [{ title: 'spokesman', organization: 'Defense Ministry' }] };
    expect(resolveSurname({ key: 'hong', role: spokesman }, [otherSpokesman, hongLei])).toBe(1);
    // Two people agree equally: ambiguous, kept separate.
    expect(resolveSurname({ key: 'hong', role: { title: 'spokesman', organization: null } }, [otherSpokesman, hongLei])).toBeNull();
  });

  it('the only person with the surname, when no stated role contradicts it', () => {
    expect(resolveSurname({ key: 'kerry', role: null }, [hongLei, johnKerry])).toBe(3);
    expect(resolveSurname({ key: 'hong', role: spokesman }, [unknownRoleHong])).toBe(4);
    expect(resolveSurname({ key: 'hong', role: null }, [hongLei])).toBe(1);
  });

  it('keeps a single name separate when the roles contradict, when several people share it, or when no one carries it', () => {
    expect(resolveSurname({ key: 'hong', role: { title: 'defense secretary', organization: 'U.S.' } }, [hongLei])).toBeNull();
    expect(resolveSurname({ key: 'hong', role: null }, [hongLei, hongXiuzhu])).toBeNull();
    expect(resolveSurname({ key: 'hong', role: { title: 'mayor', organization: 'Shanghai' } }, [hongLei, hongXiuzhu])).toBeNull();
    expect(resolveSurname({ key: 'wang', role: spokesman }, [hongLei, johnKerry])).toBeNull();
    expect(resolveSurname({ key: 'hong lei', role: spokesman }, [hongLei])).toBeNull();
  });

  it('matches roles regardless of case and spacing, and a candidate listed twice counts once', () => {
    expect(resolveSurname({ key: 'hong', role: { title: 'Spokesman', organization: 'foreign  ministry' } }, [hongLei, hongLei])).toBe(1);
  });
});
