// The browser search module (templates/assets/search.js, run under Node)
// against `signpost search --json` on the built sample site: same top 10 in
// the same order for plain-word queries, the same filters, the same
// tokenizer and stemmer as FTS5; plus GP-style relevance checks and hostile
// queries. Set SIGNPOST_SITE to test an already built site instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareTokenizer, probeFts5TokenChars } from './lib/fts5-probe.mjs';

// Not lib/harness.mjs: that needs playwright-core, and this test needs no browser.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const binary = process.env.SIGNPOST_BINARY || join(repo, 'build/signpost');

function buildSite() {
  const out = join(mkdtempSync(join(tmpdir(), 'signpost-search-')), 'site');
  const r = spawnSync(binary, ['build', '--content', join(repo, 'content'), '--templates',
    join(repo, 'templates'), '--out', out, '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`signpost build failed (${r.status}):\n${r.stderr}`);
  return out;
}

const searchModule = await import(join(repo, 'templates/assets/search.js'));
const { createIndex, search, stem, tokenize, nearestWord, compareTerms } = searchModule;

const QUERIES = [
  'anxiety', 'debt', 'IAPT', 'counselling', 'job', 'lonely', 'recov', 'carer', 'alcohol',
  'young', 'housing', 'bereavement', 'peer support', 'back to work', 'low mood', 'crisis',
  'talking therapies', 'money', 'benefits', 'eating', 'pregnancy', 'walking', 'volunteering',
  'suicidal', 'gambling', 'student', 'therapy', 'support', 'mind', 'group', 'free', 'cafe', 'café',
  'NHS', 'GP', 'CBT', 'psychosis', 'children', 'older people', 'sleep', 'a', 'an', 'the',
  'self referral', 'mental health', 'work', 'wellbeing', 'Polish',
];

let site;
let ownSite = false;
let index;
let db;

function cli(args) {
  const r = spawnSync(binary, ['search', '--index', db, ...args], { encoding: 'utf8' });
  return r;
}

function cliJson(query, extra = []) {
  const r = cli(['--json', '--limit', '10', ...extra, '--', query]);
  assert.equal(r.status, 0, `signpost search ${query}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(() => {
  if (process.env.SIGNPOST_SITE) {
    site = process.env.SIGNPOST_SITE;
  } else {
    site = buildSite();
    ownSite = true;
  }
  db = join(site, 'data/directory.sqlite3');
  const base = join(site, 'data/search') + '/';
  index = createIndex(base, async (file) => JSON.parse(readFileSync(file, 'utf8')));
});

after(() => {
  if (ownSite) rmSync(dirname(site), { recursive: true, force: true });
});

describe('browser module ranks exactly like signpost search', () => {
  for (const q of QUERIES) {
    test(`top 10 for "${q}"`, async () => {
      const expected = cliJson(q);
      const got = await search(index, q, {}, { limit: 10 });
      assert.deepEqual(got.results.map((r) => r.slug), expected.results.map((r) => r.slug));
      got.results.forEach((r, i) => {
        const want = expected.results[i].score;
        assert.ok(Math.abs(r.score - want) <= 1e-9 * Math.max(1, Math.abs(want)),
          `${r.slug}: score ${r.score} vs ${want}`);
      });
    });
  }

  const filtered = [
    ['support', { category: 'peer-support' }, ['--category', 'peer-support']],
    ['support', { area: 'example-east' }, ['--area', 'example-east']],
    ['support', { tier: 'primary-care' }, ['--tier', 'primary-care']],
    ['support', { selfReferral: true }, ['--self-referral']],
    ['help', { selfReferral: true, area: 'example-north', category: 'talking-therapies' },
      ['--self-referral', '--area', 'example-north', '--category', 'talking-therapies']],
  ];
  for (const [q, filters, args] of filtered) {
    test(`filters ${JSON.stringify(filters)} on "${q}"`, async () => {
      const expected = cliJson(q, args);
      const got = await search(index, q, filters, { limit: 10 });
      assert.deepEqual(got.results.map((r) => r.slug), expected.results.map((r) => r.slug));
      assert.ok(expected.results.length > 0, 'the filter case should not be empty');
    });
  }

  test('the area filter keeps services that cover all areas', async () => {
    const got = await search(index, 'support', { area: 'example-east' }, { limit: 100 });
    assert.ok(got.results.some((r) => r.card.areas.includes('all')));
    assert.ok(got.results.every((r) => r.card.areas.includes('all') || r.card.areas.includes('example-east')));
  });
});

describe('GP-style queries find the right service first', () => {
  const categoriesOf = (slug) => cliJson(slug.replace(/-/g, ' ')).results.find((r) => r.slug === slug)?.categories ?? [];
  const first = async (q) => (await search(index, q, {}, { limit: 10 })).results.map((r) => r.slug);
  test('"IAPT" and "counselling" find talking therapies', async () => {
    assert.equal((await first('IAPT'))[0], 'example-nhs-talking-therapies');
    assert.ok(categoriesOf((await first('counselling'))[0]).includes('talking-therapies'));
  });
  test('"talking therapies", "IAPT" and "counselling" find each other (synonyms expanded at index time)', async () => {
    for (const q of ['talking therapies', 'IAPT', 'counselling', 'CBT']) {
      const top = await first(q);
      assert.ok(categoriesOf(top[0]).includes('talking-therapies'), `${q}: ${top[0]}`);
      assert.ok(top.slice(0, 3).includes('example-nhs-talking-therapies') || q === 'counselling', `${q}: ${top}`);
    }
  });
  test('"job" finds employment support', async () => {
    assert.ok(categoriesOf((await first('job'))[0]).includes('employment-support'));
  });
  test('"lonely" finds social prescribing or peer support', async () => {
    const c = categoriesOf((await first('lonely'))[0]);
    assert.ok(c.includes('social-prescribing') || c.includes('peer-support'), String(c));
  });
  test('"recov" (as typed) finds the Recovery College near the top', async () => {
    // BM25 puts the Recovery Community peer groups (recovery in its name,
    // organisation, summary three times and keywords) just above the
    // Recovery College; both are right answers to "recov".
    assert.ok((await first('recov')).slice(0, 2).includes('example-recovery-college'));
  });
  test('"debt" finds debt advice', async () => {
    assert.ok(categoriesOf((await first('debt'))[0]).includes('debt-and-money'));
  });
});

describe('did you mean', () => {
  test('a misspelt word suggests the nearest indexed word', async () => {
    const got = await search(index, 'anxeity', {}, { limit: 10 });
    assert.equal(got.total, 0);
    assert.equal(got.suggestion, 'anxiety');
    const fixed = await search(index, got.suggestion, {}, { limit: 10 });
    assert.ok(fixed.total > 0);
  });
  test('a word that is close to nothing suggests nothing', async () => {
    const got = await search(index, 'qqqqqqqqzzzz', {}, { limit: 10 });
    assert.equal(got.suggestion, null);
  });
  test('nearestWord prefers the smallest edit distance', () => {
    assert.equal(nearestWord('conselling', ['counselling', 'cancelling', 'selling']), 'counselling');
    assert.equal(nearestWord('xyz', ['counselling']), null);
  });
});

describe('hostile queries give a result list, never an error', () => {
  const cases = {
    'ten thousand characters': 'anxiety '.repeat(1250),
    'one huge word': 'a'.repeat(10000),
    'only punctuation': '!!! ??? ... ,,, ;;; ::: ---',
    'FTS5 operators': 'anxiety AND OR NOT NEAR(debt, 2) * ^ : " ( ) - {name}: +',
    'unbalanced quote': '"anxiety',
    'column filter': 'name:debt',
    emoji: '😀 🧠 anxiety 🙂',
    'right-to-left text': 'مرحبا שלום anxiety',
    'lone surrogate': 'anx\uD800iety \uDC00',
    'NUL and controls': 'debt\u0000\u0001\u001f',
    'combining marks only': '\u0301\u0302\u0303',
    'many words': Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '),
  };
  for (const [name, q] of Object.entries(cases)) {
    test(name, async () => {
      const got = await search(index, q, {}, { limit: 10 });
      assert.ok(Array.isArray(got.results));
      if (!q.includes('\u0000')) {
        // The CLI takes the same text (NUL cannot be passed in argv).
        const expected = cliJson(q);
        assert.deepEqual(got.results.map((r) => r.slug), expected.results.map((r) => r.slug), name);
      }
    });
  }
});

describe('tokenizer and stemmer match FTS5', () => {
  // Words from the sample, English words with every Porter suffix, and
  // Unicode cases; each goes into an FTS5 table as its own row and the
  // terms FTS5 stores are compared with tokenize() + stem().
  function sampleWords() {
    const text = spawnSync('sh', ['-c', `cat ${join(repo, 'content/services')}/*.md ${join(repo, 'content/taxonomy.toml')}`], { encoding: 'utf8' }).stdout;
    return [...new Set(text.split(/\s+/).filter(Boolean))];
  }
  const tricky = [
    'caresses', 'ponies', 'ties', 'caress', 'cats', 'feed', 'agreed', 'plastered', 'bled', 'motoring', 'sing',
    'conflated', 'troubled', 'sized', 'hopping', 'tanned', 'falling', 'hissing', 'fizzed', 'failing', 'filing',
    'happy', 'sky', 'relational', 'conditional', 'rational', 'valenci', 'hesitanci', 'digitizer', 'conformabli',
    'radicalli', 'differentli', 'vileli', 'analogousli', 'vietnamization', 'predication', 'operator', 'feudalism',
    'decisiveness', 'hopefulness', 'callousness', 'formaliti', 'sensitiviti', 'sensibiliti', 'triplicate',
    'formative', 'formalize', 'electriciti', 'electrical', 'hopeful', 'goodness', 'revival', 'allowance',
    'inference', 'airliner', 'gyroscopic', 'adjustable', 'defensible', 'irritant', 'replacement', 'adjustment',
    'dependent', 'adoption', 'homologou', 'communism', 'activate', 'angulariti', 'homologous', 'effective',
    'bowdlerize', 'probate', 'rate', 'cease', 'controll', 'roll', 'generalizations', 'oscillators', 'ied', 'aed',
    'eed', 'ing', 'ying', 'yes', 'bye', 'ss', 'is', 'us', 'abs', 'sses', 'ies', 'ais', 'xies', 'ees', 'eies',
    'youths', 'counselling', 'counseling', 'therapies', 'therapy', 'recovery', 'recov', 'anxiety', 'anxious',
    'loneliness', 'lonely', 'isolated', 'bereavement', 'bereaved', 'employment', 'employed', 'housing',
    'Straße', 'Café', 'naïve', 'résumé', 'Ærøskøbing', 'Łódź', 'İstanbul', 'ǅemal', 'Ωμέγα', 'Москва', 'ÉCOLE',
    'x\u0301y', 'cafe\u0301', 'fiancée', 'coöperate', 'zoë', 'œuvre', 'ﬁle', 'ｆｕｌｌ', 'ⅻ', '½', '①②', '٣',
    'a_b', "don't", 'co-op', '24/7', '16-25', 'E.g.', 'x😀y', 'שָׁלוֹם', 'مَرْحَبًا', 'aéed', 'éing', 'ßing',
    'a'.repeat(63) + 'ing', 'a'.repeat(62) + 'ing', 'ab', 'abc',
  ];

  test('every word, via sqlite3', () => {
    const words = [...sampleWords(), ...tricky];
    const dir = mkdtempSync(join(tmpdir(), 'signpost-tok-'));
    try {
      const sql = ["CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2');",
        'BEGIN;',
        ...words.map((w, i) => `INSERT INTO t(rowid, x) VALUES(${i + 1}, '${w.replace(/'/g, "''")}');`),
        'COMMIT;',
        'CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);',
        ".mode json",
        'SELECT doc, term, offset FROM v ORDER BY doc, offset;'].join('\n');
      writeFileSync(join(dir, 'in.sql'), sql);
      const r = spawnSync('sqlite3', [':memory:', `.read ${join(dir, 'in.sql')}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, `sqlite3 (from the sqlite3 package) failed: ${r.stderr}`);
      const expected = new Map();
      for (const row of JSON.parse(r.stdout || '[]')) {
        if (!expected.has(row.doc)) expected.set(row.doc, []);
        expected.get(row.doc).push(row.term);
      }
      const wrong = [];
      words.forEach((w, i) => {
        const want = expected.get(i + 1) ?? [];
        const got = tokenize(w).map(stem);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${w}: ${JSON.stringify(got)} vs FTS5 ${JSON.stringify(want)}`);
      });
      assert.deepEqual(wrong, []);
      assert.ok(words.length > 1000, `only ${words.length} words`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every indexed word stems to a term the index holds', async () => {
    const m = await index.manifest();
    const words = await index.get(m.words);
    const terms = new Set();
    for (const [, file] of m.shards) Object.keys(await index.get(file)).forEach((t) => terms.add(t));
    const missing = words.filter((w) => !terms.has(stem(w)));
    assert.deepEqual(missing, []);
  });

  test('every code point splits and folds as in FTS5', () => {
    const wrong = compareTokenizer(tokenize, probeFts5TokenChars());
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} code points differ`);
  });

  test('terms are ordered as SQLite orders them', () => {
    assert.ok(compareTerms('a', 'b') < 0);
    assert.ok(compareTerms('ab', 'a') > 0);
    assert.ok(compareTerms('z', 'é') < 0);
    assert.ok(compareTerms('\uffff', '\u{1F600}') < 0); // code points, not UTF-16 units
  });
});
