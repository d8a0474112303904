import { buildFerretDb } from './src/infra/ferretdb';
const t = Date.now();
console.log(await buildFerretDb('/tmp/empty-bin', console.log), Date.now() - t);
