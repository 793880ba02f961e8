// Regenerates the SQLITE_* tables at the top of templates/assets/search.js:
// where the SQLite build's Unicode tables disagree with the JavaScript
// engine's \p{L}\p{N}\p{Co}\p{Cn} and toLowerCase/NFD. Run with the tables
// emptied (SQLITE_TOKEN = '' etc.) after a SQLite or Node upgrade, then paste
// the output over them; tests/e2e/search-consistency.test.mjs checks every
// code point.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeFts5TokenChars } from '../../tests/e2e/lib/fts5-probe.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { tokenize } = await import(join(repo, 'templates/assets/search.js'));
const folded = probeFts5TokenChars();
const extra = [];
const not = [];
const unfolded = [];
const fold = {};
for (let cp = 128; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = String.fromCodePoint(cp);
  const got = tokenize('x' + ch + 'x');
  if (!folded.has(cp)) {
    if (got.length !== 2) not.push(cp);
  } else if (got.length !== 1) {
    extra.push(cp);
  } else if (got[0] !== `x${folded.get(cp)}x`) {
    if (folded.get(cp) === ch) unfolded.push(cp);
    else fold[cp.toString(36)] = folded.get(cp);
  }
}
const ranges = (list) => {
  const out = [];
  for (const c of list) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === c) last[1]++;
    else out.push([c, 1]);
  }
  return out.map(([a, n]) => a.toString(36) + (n > 1 ? '+' + n.toString(36) : '')).join(',');
};
console.log(`const SQLITE_TOKEN = '${ranges(extra)}';`);
console.log(`const SQLITE_SEPARATOR = '${ranges(not)}';`);
console.log(`const SQLITE_UNFOLDED = '${ranges(unfolded)}';`);
console.log(`const SQLITE_FOLD = ${JSON.stringify(fold)};`);
