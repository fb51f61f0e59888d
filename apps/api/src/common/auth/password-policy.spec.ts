import { passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  const email = 'nora.new@demo.kept.test';
  it.each([
    ['a-long-password', []],
    ['correct horse battery', []],
    ['ünïcödé-pässwörd', []],
    ['short-pass1', ['must have at least 12 characters']],
    ['🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂', ['must have at least 12 characters', 'must not be one character or a short pattern repeated']],
    ['nora.new@demo.kept.test', ['must not be the e-mail address']],
    ['NORA.NEW@DEMO.KEPT.TEST', ['must not be the e-mail address']],
    ['xnora.new@demo.kept.test1', ['must not be the e-mail address']],
    ['aaaaaaaaaaaaaaaa', ['must not be one character or a short pattern repeated']],
    ['1q2w3e4r5t6y', ['is a commonly used password']],
    ['zzzzzzzzzzzzz', ['must not be one character or a short pattern repeated']],
    ['abcabcabcabcabc', ['must not be one character or a short pattern repeated']],
    ['qwerty123456', ['is a commonly used password']],
    ['PasswordPassword', ['is a commonly used password']],
  ])('%s → %j', (password, expected) => {
    expect(passwordProblems(password, email)).toEqual(expected);
  });
});
