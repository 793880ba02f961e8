// Signpost instant search: a dependency-free ES module.
//
// The pure part (tokenize, stem, createIndex, search) runs anywhere, Node
// included; it reads the static index written by `signpost build` under
// data/search/ and ranks exactly as FTS5's bm25() does in `signpost search`:
// the same tokenizer (unicode61 remove_diacritics 2 + porter), the same
// quoted AND query with the last word as a prefix, the same k1, b, IDF and
// column weights, ties broken by slug (document ids are in slug order).
// The page part (at the end) wires it to the search page.

// ---------------------------------------------------------------------------
// Tokenizer: FTS5 unicode61 with remove_diacritics 2.

const TOKEN_CHAR = /[\p{L}\p{N}\p{Co}]/u;

// SQLite's own list of combining marks that continue a token and vanish
// (fts5_unicode2.c sqlite3Fts5UnicodeIsdiacritic); other marks separate.
function isDiacritic(cp) {
  if (cp < 768 || cp > 817) return false;
  return cp < 800 ? ((0x08029fdf >>> (cp - 768)) & 1) === 1 : ((0x000361f8 >>> (cp - 800)) & 1) === 1;
}

// Lower case, and for Latin letters the base letter without its accents
// (SQLite's table folds only Latin script: Greek and Cyrillic keep theirs).
function fold(ch) {
  const cp = ch.codePointAt(0);
  if (cp < 128) return cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch;
  const lower = ch.toLowerCase();
  const parts = lower.normalize('NFD');
  return isLatin(parts.codePointAt(0)) ? parts.replace(/[\u0300-\u036f]/g, '') : lower;
}

function isLatin(cp) {
  return cp !== undefined && (cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff));
}

/** Splits text into folded tokens as FTS5's unicode61 tokenizer does. */
export function tokenize(text) {
  const tokens = [];
  let current = null;
  for (const ch of String(text)) {
    const cp = ch.codePointAt(0);
    if (TOKEN_CHAR.test(ch)) {
      current = (current ?? '') + fold(ch);
    } else if (current !== null && isDiacritic(cp)) {
      // absorbed into the token, as SQLite does
    } else if (current !== null) {
      if (current !== '') tokens.push(current);
      current = null;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

// ---------------------------------------------------------------------------
// Stemmer: the Porter (1980) algorithm exactly as FTS5's porter tokenizer
// runs it: on UTF-8 bytes, only for tokens of 3 to 64 bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const A = 97, E = 101, I = 105, O = 111, U = 117, Y = 121;

function isVowel(c, yIsVowel) {
  return c === A || c === E || c === I || c === O || c === U || (yIsVowel && c === Y);
}

// Length of the leading [C]VC of b[from, from+n), or 0 when there is none.
function gobbleVC(b, from, n, prevCons) {
  let cons = prevCons;
  let i;
  for (i = 0; i < n; i++) {
    cons = !isVowel(b[from + i], cons);
    if (!cons) break;
  }
  for (i++; i < n; i++) {
    cons = !isVowel(b[from + i], cons);
    if (cons) return i + 1;
  }
  return 0;
}

const mGt0 = (b, n) => gobbleVC(b, 0, n, false) !== 0;
function mGt1(b, n) {
  const k = gobbleVC(b, 0, n, false);
  return k !== 0 && gobbleVC(b, k, n - k, true) !== 0;
}
function mEq1(b, n) {
  const k = gobbleVC(b, 0, n, false);
  return k !== 0 && gobbleVC(b, k, n - k, true) === 0;
}
function oStar(b, n) {
  const last = b[n - 1];
  if (last === 119 || last === 120 || last === Y) return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(b[i], cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 7;
  }
  return mask === 5;
}
function hasVowel(b, n) {
  for (let i = 0; i < n; i++) if (isVowel(b[i], i > 0)) return true;
  return false;
}
const mGt1ST = (b, n) => (b[n - 1] === 115 || b[n - 1] === 116) && mGt1(b, n);

const rules = (cond, list) => list.map(([s, r]) => [Array.from(s, (c) => c.charCodeAt(0)), Array.from(r, (c) => c.charCodeAt(0)), cond]);
const STEP2 = rules(mGt0, [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
  ['logi', 'log'], ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'],
  ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'],
  ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'],
]);
const STEP3 = rules(mGt0, [
  ['ical', 'ic'], ['ness', ''], ['icate', 'ic'], ['iciti', 'ic'], ['ful', ''], ['ative', ''], ['alize', 'al'],
]);
const STEP4 = [
  ...rules(mGt1, [['al', ''], ['ance', ''], ['ence', ''], ['er', ''], ['ic', ''], ['able', ''], ['ible', ''], ['ant', ''], ['ement', ''], ['ment', ''], ['ent', '']]),
  ...rules(mGt1ST, [['ion', '']]),
  ...rules(mGt1, [['ou', ''], ['ism', ''], ['ate', ''], ['iti', ''], ['ous', ''], ['ive', ''], ['ize', '']]),
];

function endsWith(b, suffix) {
  const n = b.length;
  if (n <= suffix.length) return false; // FTS5 requires a non-empty stem
  for (let i = 0; i < suffix.length; i++) if (b[n - suffix.length + i] !== suffix[i]) return false;
  return true;
}

// Applies the first rule whose suffix matches (if its condition holds).
function applyRules(b, list) {
  for (const [suffix, replacement, cond] of list) {
    if (!endsWith(b, suffix)) continue;
    const stem = b.length - suffix.length;
    if (cond(b, stem)) {
      b.length = stem;
      b.push(...replacement);
    }
    return;
  }
}

/** The FTS5 porter stem of one folded token. */
export function stem(token) {
  const bytes = encoder.encode(token);
  if (bytes.length < 3 || bytes.length > 64) return token;
  const b = Array.from(bytes);
  // Step 1a.
  if (b[b.length - 1] === 115) {
    const n = b.length;
    if (b[n - 2] === E) {
      b.length = (n > 4 && b[n - 4] === 115 && b[n - 3] === 115) || (n > 3 && b[n - 3] === I) ? n - 2 : n - 1;
    } else if (b[n - 2] !== 115) {
      b.length = n - 1;
    }
  }
  // Step 1b.
  let removed = false;
  if (endsWith(b, [E, E, 100])) {
    if (mGt0(b, b.length - 3)) b.length -= 1;
  } else if (endsWith(b, [E, 100])) {
    if (hasVowel(b, b.length - 2)) { b.length -= 2; removed = true; }
  } else if (endsWith(b, [I, 110, 103])) {
    if (hasVowel(b, b.length - 3)) { b.length -= 3; removed = true; }
  }
  if (removed) {
    if (endsWith(b, [A, 116]) || endsWith(b, [98, 108]) || endsWith(b, [I, 122])) {
      b.push(E);
    } else {
      const n = b.length;
      const c = b[n - 1];
      if (!isVowel(c, false) && c !== 108 && c !== 115 && c !== 122 && c === b[n - 2]) {
        b.length = n - 1;
      } else if (mEq1(b, n) && oStar(b, n)) {
        b.push(E);
      }
    }
  }
  // Step 1c.
  if (b[b.length - 1] === Y && hasVowel(b, b.length - 1)) b[b.length - 1] = I;
  applyRules(b, STEP2);
  applyRules(b, STEP3);
  applyRules(b, STEP4);
  // Step 5a.
  if (b[b.length - 1] === E) {
    const n = b.length - 1;
    if (mGt1(b, n) || (mEq1(b, n) && !oStar(b, n))) b.length = n;
  }
  // Step 5b.
  const n = b.length;
  if (n > 1 && b[n - 1] === 108 && b[n - 2] === 108 && mGt1(b, n - 1)) b.length = n - 1;
  return decoder.decode(new Uint8Array(b));
}

// ---------------------------------------------------------------------------
// The index and the query.

/** Orders strings by UTF-8 bytes (= code points), as SQLite orders terms. */
export function compareTerms(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * An index reader for the folder `base` (a URL or path ending in '/').
 * `fetchJson(url)` returns a promise of the parsed file; files are fetched
 * once and kept.
 */
export function createIndex(base, fetchJson) {
  const cache = new Map();
  const get = (file) => {
    if (!cache.has(file)) {
      const p = fetchJson(base + file);
      p.catch(() => cache.delete(file)); // allow a retry after a network error
      cache.set(file, p);
    }
    return cache.get(file);
  };
  return { base, get, manifest: () => get('manifest.json') };
}

function shardOf(shards, term) {
  let lo = 0;
  let hi = shards.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (compareTerms(shards[mid][0], term) <= 0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function shardsFor(shards, term, prefix) {
  const first = shardOf(shards, term);
  const out = [first];
  if (prefix) {
    for (let i = first + 1; i < shards.length && shards[i][0].startsWith(term); i++) out.push(i);
  }
  return out;
}

function decodePostings(list, into) {
  let doc = 0;
  for (let i = 0; i + 1 < list.length; i += 2) {
    doc += list[i];
    into.set(doc, (into.get(doc) ?? 0) + list[i + 1]);
  }
}

function decodeIds(list) {
  const ids = new Set();
  let id = 0;
  for (const d of list) ids.add((id += d));
  return ids;
}

function editDistance(a, b) {
  const x = [...a];
  const y = [...b];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[y.length];
}

/** The indexed word nearest to `word` (a likely typo fix), or null. */
export function nearestWord(word, words) {
  const length = [...word].length;
  if (length > 40) return null;
  const allowed = Math.max(2, Math.floor(length / 3));
  let best = null;
  let bestDistance = allowed + 1;
  for (const w of words) {
    if (Math.abs([...w].length - length) >= bestDistance) continue;
    const d = editDistance(word, w);
    if (d < bestDistance && w !== word) {
      best = w;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Runs `query` with `filters` ({category, area, tier, selfReferral, free})
 * against `index` (from createIndex). Resolves to
 * {tokens, total, results: [{id, slug, score, card}], suggestion}: the top
 * `limit` results with their cards; `suggestion` is a corrected query when
 * a word matched nothing.
 */
export async function search(index, query, filters = {}, { limit = 10 } = {}) {
  const m = await index.manifest();
  const tokens = tokenize(query).slice(0, m.maxTokens);
  const empty = { tokens, total: 0, results: [], suggestion: null };
  if (tokens.length === 0 || m.n === 0) return empty;
  const terms = tokens.map(stem);
  const last = terms.length - 1;

  const needed = new Set();
  terms.forEach((t, i) => shardsFor(m.shards, t, i === last).forEach((s) => needed.add(s)));
  const [lengths, ...loaded] = await Promise.all([
    index.get(m.lengths),
    ...[...needed].map((s) => index.get(m.shards[s][1]).then((data) => [s, data])),
  ]);
  const shardData = new Map(loaded);

  // Per query word (an FTS5 phrase): document -> weighted term frequency.
  const phrases = terms.map((t, i) => {
    const freq = new Map();
    for (const s of shardsFor(m.shards, t, i === last)) {
      const data = shardData.get(s);
      if (i !== last) {
        if (Object.hasOwn(data, t)) decodePostings(data[t], freq);
      } else {
        for (const term of Object.keys(data)) if (term.startsWith(t)) decodePostings(data[term], freq);
      }
    }
    return freq;
  });

  if (phrases.some((p) => p.size === 0)) {
    const missing = tokens.filter((_, i) => phrases[i].size === 0);
    const words = await index.get(m.words);
    let changed = false;
    const fixed = tokens.map((t) => {
      if (!missing.includes(t)) return t;
      const w = nearestWord(t, words);
      if (w) changed = true;
      return w ?? t;
    });
    return { ...empty, suggestion: changed ? fixed.join(' ') : null };
  }

  // Documents containing every word, then the filters (which never change a
  // score: FTS5's statistics cover the whole table).
  const order = phrases.map((_, i) => i).sort((a, b) => phrases[a].size - phrases[b].size);
  let candidates = [...phrases[order[0]].keys()].filter((d) => order.every((i) => phrases[i].has(d)));
  for (const allowed of await facetSets(index, m, filters)) {
    candidates = candidates.filter((d) => allowed.has(d));
  }

  const { k1, b } = m;
  const avgdl = m.tokens / m.n;
  const idf = phrases.map((p) => {
    const value = Math.log((m.n - p.size + 0.5) / (p.size + 0.5));
    return value <= 0 ? 1e-6 : value;
  });
  const scored = candidates.map((doc) => {
    const D = lengths[doc - 1];
    let score = 0;
    for (let i = 0; i < phrases.length; i++) {
      const f = phrases[i].get(doc);
      score += idf[i] * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * D / avgdl)));
    }
    return { id: doc, score };
  });
  scored.sort((x, y) => y.score - x.score || x.id - y.id);
  const top = scored.slice(0, limit);
  const chunks = await Promise.all(top.map((r) => index.get(m.cards[Math.floor((r.id - 1) / m.chunk)])));
  const results = top.map((r, i) => {
    const card = chunks[i][(r.id - 1) % m.chunk];
    return { id: r.id, slug: card.slug, score: r.score, card };
  });
  return { tokens, total: scored.length, results, suggestion: null };
}

async function facetSets(index, m, filters) {
  const facet = async (kind, value) => {
    const entry = (m.facets[kind] ?? []).find((f) => f.value === value);
    return entry ? decodeIds(await index.get(entry.file)) : new Set();
  };
  const sets = [];
  if (filters.category) sets.push(facet('category', filters.category));
  if (filters.tier) sets.push(facet('tier', filters.tier));
  if (filters.selfReferral) sets.push(facet('referral', 'self'));
  if (filters.free) sets.push(facet('cost', 'free'));
  if (filters.area) {
    sets.push(Promise.all([facet('area', filters.area), facet('area', 'all')]).then(([a, all]) => new Set([...a, ...all])));
  }
  return Promise.all(sets);
}

// ---------------------------------------------------------------------------
// The search page.

const REFERRAL = { self: 'Self-referral', gp: 'GP referral', professional: 'Referral by a professional', carer: 'Referral by a carer or family member' };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function ages([min, max]) {
  if (min != null && max != null) return `Ages ${min} to ${max}`;
  if (min != null) return `Ages ${min} and over`;
  if (max != null) return `Ages up to ${max}`;
  return 'All ages';
}

function renderCard(card, root, areaLabels) {
  const facts = el('ul', { class: 'signpost-search-card__facts' });
  const fact = (label, value) => facts.append(el('li', {}, el('strong', { text: `${label}: ` }), value));
  fact('How to get in', (card.referral ?? []).map((r) => REFERRAL[r] ?? r).join(', ') || 'Ask the service');
  fact('Who', ages(card.ages ?? [null, null]));
  if (card.phone) {
    fact('Phone', el('a', { href: `tel:${card.phone.replace(/[^0-9+]/g, '')}`, text: card.phone }));
  }
  const areas = card.areas ?? [];
  fact('Area', areas.includes('all') ? 'All areas' : areas.map((a) => areaLabels.get(a) ?? a).join(', '));
  if (card.cost === 'free') fact('Cost', 'Free');
  const link = el('a', { href: new URL(card.url, root).href, class: 'signpost-search-card__link', text: card.name });
  return el('li', { class: 'signpost-search-card' },
    el('h3', { class: 'nhsuk-heading-s' }, link),
    el('p', { text: card.summary }),
    facts);
}

function readState(url) {
  const p = new URL(url).searchParams;
  return {
    q: p.get('q') ?? '',
    category: p.get('category') ?? '',
    area: p.get('area') ?? '',
    selfReferral: p.get('self') === '1',
    free: p.get('free') === '1',
  };
}

function stateUrl(state) {
  const url = new URL(window.location.href);
  const p = url.searchParams;
  const set = (k, v) => (v ? p.set(k, v) : p.delete(k));
  set('q', state.q);
  set('category', state.category);
  set('area', state.area);
  set('self', state.selfReferral ? '1' : '');
  set('free', state.free ? '1' : '');
  return url.href;
}

async function boot() {
  const app = document.getElementById('search-app');
  const region = document.getElementById('search-results');
  if (!app || !region) return;
  const input = document.querySelector('input[name="q"]');
  const form = input?.form;
  if (!input || !form) return;
  const base = new URL(app.dataset.index || 'data/search/', document.baseURI).href;
  const root = new URL('../../', base).href;
  const index = createIndex(base, (url) => fetch(url).then((r) => {
    if (!r.ok) throw new Error(`${r.status} ${url}`);
    return r.json();
  }));
  const m = await index.manifest();
  const areaLabels = new Map((m.facets.area ?? []).map((f) => [f.value, f.label]));

  // Filters, built from the manifest so the page template stays simple.
  const select = (name, label, values) => {
    const id = `search-${name}`;
    const s = el('select', { id, name, class: 'nhsuk-select' }, el('option', { value: '', text: `Any ${label.toLowerCase()}` }));
    for (const f of values) s.append(el('option', { value: f.value, text: f.label }));
    return [s, el('div', { class: 'nhsuk-form-group' }, el('label', { for: id, class: 'nhsuk-label', text: label }), s)];
  };
  const check = (name, label) => {
    const id = `search-${name}`;
    const c = el('input', { type: 'checkbox', id, name, value: '1', class: 'nhsuk-checkboxes__input' });
    return [c, el('div', { class: 'nhsuk-checkboxes__item' }, c, el('label', { for: id, class: 'nhsuk-label nhsuk-checkboxes__label', text: label }))];
  };
  const [category, categoryGroup] = select('category', 'Category', m.facets.category ?? []);
  const [area, areaGroup] = select('area', 'Area', (m.facets.area ?? []).filter((f) => f.value !== 'all'));
  const [self, selfItem] = check('self', 'Self-referral only');
  const [free, freeItem] = check('free', 'Free only');
  const fieldset = el('fieldset', { class: 'nhsuk-fieldset signpost-search-filters' },
    el('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s', text: 'Filter results' }),
    categoryGroup, areaGroup, el('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small' }, selfItem, freeItem));
  app.replaceChildren(fieldset);

  const current = () => ({ q: input.value, category: category.value, area: area.value, selfReferral: self.checked, free: free.checked });
  const apply = (s) => {
    input.value = s.q;
    category.value = s.category;
    area.value = s.area;
    self.checked = s.selfReferral;
    free.checked = s.free;
  };

  let generation = 0;
  const run = async () => {
    const s = current();
    const mine = ++generation;
    if (tokenize(s.q).length === 0) {
      region.replaceChildren();
      return;
    }
    let outcome;
    try {
      outcome = await search(index, s.q, s, { limit: 20 });
    } catch (error) {
      if (mine === generation) region.replaceChildren(el('p', { text: 'Search is not available right now. Browse the categories instead.' }));
      return;
    }
    if (mine !== generation) return; // a newer keystroke won
    const count = outcome.total === 1 ? '1 service found' : `${outcome.total} services found`;
    const children = [el('p', { class: 'signpost-search-count', text: `${count} for “${s.q.trim()}”` })];
    if (outcome.suggestion) {
      const fix = el('a', { href: stateUrl({ ...s, q: outcome.suggestion }), text: outcome.suggestion });
      fix.addEventListener('click', (e) => {
        e.preventDefault();
        input.value = outcome.suggestion;
        history.pushState(null, '', stateUrl(current()));
        run();
      });
      children.push(el('p', { class: 'signpost-search-suggestion' }, 'Did you mean ', fix, '?'));
    }
    if (outcome.results.length) {
      children.push(el('ol', { class: 'signpost-search-list' }, ...outcome.results.map((r) => renderCard(r.card, root, areaLabels))));
    }
    region.replaceChildren(...children);
  };

  let timer = 0;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      history.replaceState(null, '', stateUrl(current()));
      run();
    }, 100);
  };
  input.addEventListener('input', schedule);
  for (const control of [category, area, self, free]) {
    control.addEventListener('change', () => {
      history.replaceState(null, '', stateUrl(current()));
      run();
    });
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    history.pushState(null, '', stateUrl(current()));
    run();
  });
  window.addEventListener('popstate', () => {
    apply(readState(window.location.href));
    run();
  });

  // Keyboard: "/" focuses the box; arrows move through the results.
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...region.querySelectorAll('.signpost-search-card__link')];
    if (!links.length) return;
    const at = links.indexOf(document.activeElement);
    if (target === input && e.key === 'ArrowDown') {
      e.preventDefault();
      links[0].focus();
    } else if (at >= 0) {
      e.preventDefault();
      if (e.key === 'ArrowDown') links[Math.min(at + 1, links.length - 1)].focus();
      else if (at === 0) input.focus();
      else links[at - 1].focus();
    }
  });

  apply(readState(window.location.href));
  if (input.value) run();
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => boot());
  else boot();
}
