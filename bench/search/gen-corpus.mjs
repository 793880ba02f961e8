// A synthetic directory of N service entries for the search benchmarks
// (bench/gen_corpus, owned by the benchmark work, did not exist when this
// was written; use it instead once it does). Deterministic: the same N gives
// the same files. Words come from the sample entries with their real
// frequencies (Zipf-like), names and summaries are varied enough that the
// look-alike check does not fire, every phone number and website is unique.
//
//   node bench/search/gen-corpus.mjs OUT_DIR [N=10000]
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.argv[2];
const n = Number(process.argv[3] ?? 10000);
if (!out) {
  console.error('usage: gen-corpus.mjs OUT_DIR [N]');
  process.exit(2);
}

let seed = 0x5eed;
function random() { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const some = (list, min, max) => {
  const k = min + Math.floor(random() * (max - min + 1));
  const copy = [...list];
  const chosen = [];
  while (chosen.length < k && copy.length) chosen.push(copy.splice(Math.floor(random() * copy.length), 1)[0]);
  return chosen;
};

// Vocabulary with frequencies from the sample bodies.
const sample = readdirSync(join(repo, 'content/services'))
  .map((f) => readFileSync(join(repo, 'content/services', f), 'utf8').split('+++')[2] ?? '')
  .join(' ');
const counts = new Map();
for (const w of sample.toLowerCase().match(/[a-z][a-z']+/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
const vocab = [...counts.entries()].sort((a, b) => b[1] - a[1]);
const cumulative = [];
let total = 0;
for (const [, c] of vocab) cumulative.push((total += c));
function word() {
  const r = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return vocab[lo][0];
}
const words = (k) => Array.from({ length: k }, word).join(' ');
const rareWords = vocab.filter(([, c]) => c <= 3).map(([w]) => w);

// Taxonomy slugs and synonyms from the sample taxonomy (TOML read loosely).
const taxonomy = readFileSync(join(repo, 'content/taxonomy.toml'), 'utf8');
const blocks = (kind) => taxonomy.split(`[[${kind}]]`).slice(1);
const field = (block, key) => (block.match(new RegExp(`^${key} = "(.*)"`, 'm')) ?? [])[1];
const categories = blocks('categories').map((b) => ({
  slug: field(b, 'slug'),
  name: field(b, 'name'),
  synonyms: [...((b.match(/^synonyms = \[(.*)\]/m) ?? [])[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]),
}));
const tiers = blocks('tiers').map((b) => field(b, 'slug'));
const areas = blocks('areas').map((b) => field(b, 'slug'));

const places = ['Northgate', 'Hollybrook', 'Millfield', 'Eastbridge', 'Ashford Green', 'Canal Side', 'Southmoor',
  'Fernleigh', 'Kingsfield', 'Westwood', 'Larkhill', 'Riverside', 'Market Quarter', 'Exampleton', 'Oakdene',
  'Birchfield', 'Stonebridge', 'Meadowbank', 'Highcross', 'Lowfield', 'Brookside', 'Elmstead', 'Greyfriars',
  'Harbourside', 'Ivybridge', 'Juniper Hill', 'Kestrel Park', 'Linden Vale', 'Mossley', 'Netherby'];
const kinds = ['Support Group', 'Drop-in', 'Advice Service', 'Helpline', 'Project', 'Hub', 'Network', 'Circle',
  'Programme', 'Clinic', 'Team', 'Café', 'Club', 'Workshop', 'Partnership', 'Trust', 'Collective', 'Centre'];
const orgs = ['Mind', 'Citizens Advice', 'NHS Foundation Trust', 'Borough Council', 'Carers Centre', 'Age Well',
  'Recovery Partnership', 'Youth Trust', 'Community Foundation', 'Wellbeing Alliance', 'Volunteer Centre'];
const referrals = ['self', 'gp', 'professional', 'carer'];
const costs = ['free', 'free', 'free', 'donation', 'low-cost', 'paid'];
const dramaPhones = ['0113 496 0', '0114 496 0', '0115 496 0', '0116 496 0', '0117 496 0', '0118 496 0',
  '0121 496 0', '0131 496 0', '0141 496 0', '0151 496 0', '0161 496 0', '020 7946 0', '0191 498 0',
  '029 2018 0'];
const title = (s) => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
const sentence = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const q = (s) => JSON.stringify(s);

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'services'), { recursive: true });
cpSync(join(repo, 'content/site.toml'), join(out, 'site.toml'));
cpSync(join(repo, 'content/taxonomy.toml'), join(out, 'taxonomy.toml'));

const names = new Set();
for (let i = 0; i < n; i++) {
  const cats = some(categories, 1, 2);
  const main = cats[0];
  let name;
  do {
    name = `${pick(places)} ${title(pick(main.synonyms.length ? main.synonyms : [main.name]))} ${pick(kinds)} ${title(pick(rareWords))}`;
  } while (names.has(name));
  names.add(name);
  const slug = `bench-${String(i).padStart(5, '0')}-${name.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`.slice(0, 80).replace(/-$/, '');
  const summary = `${sentence(words(3))} ${pick(main.synonyms) ?? ''} ${words(8 + Math.floor(random() * 10))} for people in ${pick(places)}.`.slice(0, 198);
  const body = [
    '## What happens', '', `${sentence(words(20 + Math.floor(random() * 40)))}.`, '',
    `- ${words(6)}`, `- ${pick(main.synonyms) ?? ''} ${words(5)}`, `- ${words(7)}`, '',
    '## Who it is for', '', `${sentence(words(20 + Math.floor(random() * 60)))}.`, '',
    '## How to get in touch', '', `${sentence(words(15 + Math.floor(random() * 30)))}.`, '',
  ].join('\n');
  const ageMin = random() < 0.5 ? 18 : random() < 0.3 ? 16 : null;
  const entry = [
    '+++',
    `name = ${q(name)}`,
    `organisation = ${q(`${pick(places)} ${pick(orgs)}`)}`,
    `summary = ${q(summary)}`,
    `categories = [${cats.map((c) => q(c.slug)).join(', ')}]`,
    `tier = ${q(pick(tiers))}`,
    `areas = [${(random() < 0.3 ? ['all'] : some(areas, 1, 2)).map(q).join(', ')}]`,
    `referral = [${some(referrals, 1, 3).map(q).join(', ')}]`,
    `cost = ${q(pick(costs))}`,
    'last_reviewed = 2026-09-01',
    ageMin ? `ages = { min = ${ageMin} }` : '',
    `keywords = [${some(main.synonyms, 0, 3).map(q).join(', ')}]`,
    '',
    '[contact]',
    `phone = ${q(dramaPhones[Math.floor(i / 1000) % dramaPhones.length] + String(i % 1000).padStart(3, '0'))}`,
    `website = ${q(`https://service-${i}.example.org/`)}`,
    '+++',
    body,
  ].filter((l) => l !== '').join('\n').replace('+++\n## What', '+++\n\n## What');
  writeFileSync(join(out, 'services', `${slug}.md`), entry + '\n');
}
console.error(`wrote ${n} entries to ${out}`);
