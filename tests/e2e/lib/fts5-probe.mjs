// Asks SQLite (the sqlite3 command) how FTS5's unicode61 tokenizer with
// remove_diacritics 2 treats every code point: for each one, the text
// "x<cp>x" is indexed; one term means <cp> is a token character (the term
// shows its folded form), two terms "x" mean it separates words.
import { spawnSync } from 'node:child_process';

/** Map from code point (>= 128) to its folded form, for token characters only. */
export function probeFts5TokenChars() {
  const sql = `CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2');
BEGIN;
WITH RECURSIVE c(cp) AS (SELECT 128 UNION ALL SELECT cp+1 FROM c WHERE cp < 1114111)
INSERT INTO t(rowid, x) SELECT cp, 'x' || char(cp) || 'x' FROM c WHERE cp < 55296 OR cp > 57343;
COMMIT;
CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);
.mode list
.separator " "
SELECT doc, hex(term) FROM v WHERE term <> 'x' ORDER BY doc;
`;
  const r = spawnSync('sqlite3', [':memory:'], { input: sql, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  const folded = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [doc, hex] = line.split(' ');
    folded.set(Number(doc), Buffer.from(hex, 'hex').toString('utf8').slice(1, -1));
  }
  return folded;
}

/** Code points >= 128 (no surrogates) where `tokenize` disagrees with FTS5. */
export function compareTokenizer(tokenize, folded) {
  const wrong = [];
  for (let cp = 128; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const got = tokenize('x' + String.fromCodePoint(cp) + 'x');
    const want = folded.has(cp) ? ['x' + folded.get(cp) + 'x'] : ['x', 'x'];
    if (got.length !== want.length || got.some((t, i) => t !== want[i])) wrong.push({ cp, got, want });
  }
  return wrong;
}
