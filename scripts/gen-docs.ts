// Writes docs/commands.md from the commander program (npm run docs).
import { writeFileSync } from 'node:fs';
import { commandReference } from '../src/cli/docs.js';

const target = new URL('../docs/commands.md', import.meta.url);
writeFileSync(target, await commandReference());
console.log('wrote docs/commands.md');
