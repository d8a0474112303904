// Tests are TypeScript run through tsx; the root hooks provision FerretDB, Redis, the SMTP sink.
module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  require: ['test/helpers/root-hooks.ts'],
  timeout: 20000,
  recursive: true,
};
