// The header search box over the site's own sharded index (hooks/notice_archive/search_index.py, files under
// tim-kiem/): the query is cut into the index's terms (search-normalise.js), widened by the archive's
// abbreviations and by the completions of a half-typed last word, only the shards holding those terms are fetched
// (and kept), documents are ranked, and the display data of a page of results is fetched. A result opens the
// item's anchor with ?tim=<query>; there the query's phrases are highlighted and ?tim= leaves the address bar.
import { analyse, EXACT, fnv1a } from "./search-normalise.js";

export const PAGE = 10; // results shown at first, and added by "Xem thêm"
const MAX_SYLLABLES = 30; // coverage is a bit mask
const DEBOUNCE_MS = 90; // a pause between keystrokes: no search (shards, display data) for each half-typed word
const BIGRAM = 1.5; // syllables side by side as typed weigh more than the same syllables apart
const NUMBER = 2; // a whole document number ("464/GM-UBND") or abbreviation weighs more than its parts
const COMPLETION = 0.5; // a completion of a half-typed word weighs less than the word as typed
const COMPLETIONS = 3; // completions of a half-typed word looked up alone (each may cost a shard)
const PAIR_COMPLETIONS = 30; // completions looked up after the word before (in that word's shard: free)
const PARAM = "tim"; // ?tim=<query> on a result link: the words to highlight on the opened page

const browser = typeof document !== "undefined"; // (the ranking also runs in Node, for the unit tests)
const root = browser ? document.querySelector("[data-vn-search]") : null;
const base = browser ? new URL(root ? root.dataset.base : "./", document.baseURI) : null;
const dir = browser ? new URL("tim-kiem/", base) : null;
const files = new Map(); // path -> Promise of parsed JSON; files are immutable for a given manifest hash

function getJSON(path, version) {
  if (!files.has(path)) {
    const url = new URL(path, dir);
    if (version) url.searchParams.set("v", version);
    const p = fetch(url, version ? {} : { cache: "no-cache" }).then((r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return r.json();
    });
    p.catch(() => files.delete(path));
    files.set(path, p);
  }
  return files.get(path);
}

const manifest = () => getJSON("manifest.json");
const shardOf = (key, m) => `i/${fnv1a(key) & (m.shards - 1)}.json`;

// The query's last word while it is being typed (no space after it), when it is letters only: it also matches as
// the beginning of a longer syllable of the archive.
function halfTyped(query, a) {
  if (!a.syllables.length || /[\s\p{P}]$/u.test(query)) return null;
  const last = a.syllables[a.syllables.length - 1];
  return /^\p{L}+$/u.test(last) ? last : null;
}

// What to look up for a query: each term with the query syllables ("slots") it covers (bit mask), the accented
// syllables it matches exactly, the adjacent pairs it proves (bit i: slots i-1 and i side by side) and how much its
// weight counts. m: the manifest (words, abbreviations), optional.
export function plan(query, m = {}, typing = true) {
  const a = analyse(query);
  const n = Math.min(a.syllables.length, MAX_SYLLABLES);
  const s = a.syllables.slice(0, n);
  const terms = new Map();
  let loose = 0; // pairs that need no proof (beside an abbreviation's slot, whose meaning has other neighbours)
  // whole: the slots it matches as typed (not as a completion of a half-typed word)
  const add = (term, mask, exact, pairs, factor, key = term.split(" ")[0], whole = mask) => {
    const t = terms.get(term);
    const typedPairs = whole === mask ? pairs : 0; // side by side as typed, not through a completion
    if (t) { t.mask |= mask; t.exact |= exact; t.pairs |= pairs; t.whole |= whole; t.typedPairs |= typedPairs; } else {
      terms.set(term, { mask, exact, pairs, factor, key, whole, typedPairs });
    }
  };
  const span = (start, end) => {
    let mask = 0;
    let pairs = 0;
    for (let i = start; i < end; i += 1) { mask |= 1 << i; if (i > start) pairs |= 1 << i; }
    return [mask, pairs];
  };
  for (let i = 0; i < n; i += 1) {
    add(s[i], 1 << i, 0, 0, 1);
    if (i > 0) add(`${s[i - 1]} ${s[i]}`, (1 << i) | (1 << (i - 1)), 0, 1 << i, BIGRAM);
    if (a.exact[i] !== null) add(EXACT + a.exact[i], 1 << i, 1 << i, 0, 1, s[i]);
  }
  for (const [term, start, end] of a.numbers) {
    if (end > n) continue;
    const [mask, pairs] = span(start, end);
    add(term, mask, 0, pairs, NUMBER);
  }
  const abbr = m.abbr || {};
  // "gpmb" typed: the index lists the texts holding its meaning under it too (search_index: abbreviated), so its
  // own term covers them; its neighbours need not be side by side with it (the meaning has other neighbours).
  for (let i = 0; i < n; i += 1) if (abbr[s[i]]) loose |= (1 << i) | (1 << (i + 1));
  for (const [short, meanings] of Object.entries(abbr)) { // "giai phong mat bang" typed: "GPMB" covers it
    for (const meaning of meanings) {
      const ms = meaning.split(" ");
      for (let i = 0; i + ms.length <= n; i += 1) {
        if (ms.every((x, k) => s[i + k] === x)) {
          const [mask, pairs] = span(i, i + ms.length);
          add(short, mask, 0, pairs, NUMBER);
        }
      }
    }
  }
  const last = typing ? halfTyped(query, a) : null;
  const completions = [];
  if (last !== null && n === a.syllables.length && m.words) {
    for (const w of m.words) {
      if (w.length > last.length && w.startsWith(last)) completions.push(w);
      if (completions.length >= PAIR_COMPLETIONS) break;
    }
    const i = n - 1;
    completions.forEach((w, k) => {
      if (i > 0) add(`${s[i - 1]} ${w}`, (1 << i) | (1 << (i - 1)), 0, 1 << i, COMPLETION, s[i - 1], 1 << (i - 1));
      else if (k < COMPLETIONS) add(w, 1 << i, 0, 0, COMPLETION, w, 0);
    });
  }
  const need = n > 1 ? ((1 << n) - 2) & ~loose : 0; // every adjacent pair (bits 1..n-1) that needs a proof
  return { analysis: a, size: n, terms, need, completions, full: (1 << n) - 1 };
}

// While the user types, fetch the shards of the words already complete (all but the last, which may still be
// half-typed): when the search runs, only the last word's shard is left to fetch (its bigrams with the word
// before are in that word's shard).
async function prefetch(query) {
  const complete = query.replace(/[\p{L}\p{N}]+$/u, "");
  if (!complete.trim()) return;
  const m = await manifest();
  const p = plan(complete, m, false);
  for (const t of p.terms.values()) getJSON(shardOf(t.key, m), m.hash).catch(() => {});
}

function bits(x) {
  let c = 0;
  for (let v = x; v; v &= v - 1) c += 1;
  return c;
}

function decode(flat, weighted = true) {
  const out = [];
  let doc = 0;
  const step = weighted ? 2 : 1;
  for (let j = 0; j < flat.length; j += step) { doc += flat[j]; out.push(weighted ? [doc, flat[j + 1]] : [doc, 0]); }
  return out;
}

async function allowedDocs(filters, m) {
  const sets = [];
  for (const [kind, value] of Object.entries(filters)) {
    if (!value) continue;
    if (kind === "nam") {
      const all = await getJSON("f.json", m.hash);
      const row = all.nam.find(([y]) => String(y) === value);
      sets.push(row ? ((d) => d >= row[1] && d < row[2]) : () => false);
    } else {
      const deltas = await getJSON(`f/${kind}/${value}.json`, m.hash);
      const ids = new Set();
      let d = 0;
      for (const g of deltas) { d += g; ids.add(d); }
      sets.push((doc) => ids.has(doc));
    }
  }
  return (doc) => sets.every((ok) => ok(doc));
}

// Rank documents. With "tails", also the documents beyond each term's heaviest (fetched now): every match, counted
// exactly (a completion of a half-typed word keeps to its heaviest); tails === "phrase" fetches only the tails of
// the terms that prove a phrase (bigrams, numbers, abbreviations of a phrase), which is what its count needs.
//
// Order: most query syllables covered; then phrase first (every adjacent pair side by side as typed; then with
// the half-typed last word completed); then most syllables matched as typed (not as completions of a half-typed
// word); then most accented syllables matched exactly (when the query has diacritics); then most pairs side by
// side; then the sum of weights (bigrams, numbers and abbreviations counting more); then the newer document. When
// some document has every syllable, only such documents are results; otherwise the nearest are.
//
// With "loaded", only the terms whose shards are already here or on their way (the words typed before the last
// one were prefetched while typing, and with them every bigram that starts with them): a first ranking that
// costs no new request, good enough when it finds a page of documents holding the phrase (see run()).
export async function rank(query, filters = {}, { isStale = () => false, tails = false, typing = true, loaded = false } = {}) {
  const m = await manifest();
  const p = plan(query, m, typing);
  if (!p.size) return { plan: p, ranked: [], manifest: m, complete: true, exact: true, phraseExact: true, count: 0 };
  const here = (key) => !loaded || files.has(shardOf(key, m));
  const lookups = [...p.terms.entries()].filter(([, t]) => here(t.key)).map(([term, t]) => [term, t.key]);
  const skipped = lookups.length < p.terms.size;
  const shards = await Promise.all(lookups.map(([, key]) => getJSON(shardOf(key, m), m.hash)));
  const ok = await allowedDocs(filters, m);
  let exact = !skipped; // every list complete: the counts are exact
  let phraseExact = !skipped; // every list that proves a phrase complete
  const dfs = new Map(); // term -> how many documents hold it
  const lists = new Map(); // term -> [[doc, weight], …]
  const wanted = [];
  lookups.forEach(([term], k) => {
    const shard = shards[k];
    if (!shard.p[term]) return;
    lists.set(term, decode(shard.p[term]));
    const capped = shard.n[term];
    dfs.set(term, capped ? capped[0] : shard.p[term].length / 2);
    if (!capped) return;
    const t = p.terms.get(term);
    const proves = t.pairs !== 0; // a bigram, a document number, an abbreviation of a phrase
    const typed = t.whole === t.mask; // not a completion of a half-typed word (only its heaviest are read)
    if ((tails === true && typed) || (tails === "phrase" && proves && typed)) wanted.push([term, capped[1]]);
    else { exact = false; if (proves) phraseExact = false; }
  });
  const got = await Promise.all(wanted.map(([, k]) => getJSON(`t/${k}.json`, m.hash)));
  wanted.forEach(([term], k) => { lists.get(term).push(...decode(got[k], false)); });
  if (isStale()) return null;
  const { ranked, full, phrases } = order(p, lists, ok);
  // One word, as typed, no filter: its document count is known even before its tail is fetched.
  const single = p.size === 1 && !p.completions.length && !Object.values(filters).some(Boolean);
  const count = exact || !single ? ranked.length : dfs.get(p.analysis.syllables[0]) ?? ranked.length;
  return { plan: p, ranked, manifest: m, complete: exact || tails === true, exact: exact || single, phraseExact, full,
    phrases, count };
}

// The ranking itself (no fetching): lists, term -> [[document, weight], …] for the plan's terms; ok(document): whether the filters let it through. Results in order, how many have every syllable
// ("full") and how many of those hold the phrase.
export function order(p, lists, ok = () => true) {
  const acc = new Map();
  const entry = (doc) => {
    let r = acc.get(doc);
    if (!r) { r = { doc, mask: 0, exact: 0, pairs: 0, whole: 0, typedPairs: 0, score: 0, typedScore: 0 }; acc.set(doc, r); }
    return r;
  };
  for (const [term, t] of p.terms) {
    for (const [doc, w] of lists.get(term) || []) {
      const r = entry(doc);
      r.mask |= t.mask;
      r.exact |= t.exact;
      r.pairs |= t.pairs;
      r.whole |= t.whole;
      r.typedPairs |= t.typedPairs;
      r.score += w * t.factor;
      if (t.whole === t.mask) r.typedScore += w * t.factor;
    }
  }
  const all = [...acc.values()].filter((r) => ok(r.doc)).map((r) => ({
    ...r, cover: bits(r.mask), ex: bits(r.exact), side: bits(r.pairs), typed: bits(r.whole),
    phrase: p.size > 1 && r.mask === p.full && (r.pairs & p.need) === p.need,
    asTyped: p.size > 1 && r.mask === p.full && (r.typedPairs & p.need) === p.need }));
  const full = all.filter((r) => r.mask === p.full);
  const ranked = full.length ? full : all;
  // The phrase as typed when some document holds it ("thanh pho": not "thanh phong"), else with the last word
  // completed ("giai pho": "giai phong"): the documents that count as holding the phrase, and whose weights count.
  const typed = full.some((r) => r.asTyped);
  const weight = typed ? (r) => r.typedScore : (r) => r.score;
  ranked.sort((a, b) => b.cover - a.cover || b.asTyped - a.asTyped || b.phrase - a.phrase || b.typed - a.typed
    || b.ex - a.ex || b.side - a.side || weight(b) - weight(a) || b.doc - a.doc);
  for (const r of full) r.phrase = typed ? r.asTyped : r.phrase;
  const phrases = full.reduce((c, r) => c + r.phrase, 0);
  return { ranked, full: full.length, phrases };
}

// The display data of ranked results (a promise each, fetched in parallel).
function display(r, from, to) {
  const size = r.manifest.chunk;
  return r.ranked.slice(from, to).map((x) => getJSON(`d/${Math.floor(x.doc / size)}.json`, r.manifest.hash)
    .then((chunk) => {
      const [ni, anchor, title] = chunk.d[x.doc % size];
      const [url, number, date, noticeTitle] = chunk.n[ni];
      return { url: url + (anchor ? `#${anchor}` : ""), anchor, title, number, date, noticeTitle,
        covered: x.cover, of: r.plan.size, phrase: x.phrase, doc: x.doc };
    }));
}

// The first page of results, each a promise of its display data (null when a newer query won).
export async function searchLazy(query, filters = {}, isStale = () => false) {
  const r = await rank(query, filters, { isStale });
  if (!r || isStale()) return null;
  return display(r, 0, PAGE);
}

// Every result of a query (all tails fetched), with display data, in order: for tests and tools.
export async function search(query, filters = {}, limit = PAGE) {
  const r = await rank(query, filters, { tails: true, typing: false });
  return Promise.all(display(r, 0, limit));
}

// Highlighting: which words of a text to mark for a query. A query of several syllables marks runs of two or more
// of its syllables side by side in the same order (its phrases), never one syllable alone (every notice has a
// "Phòng"); a query of one syllable marks that word; document numbers and abbreviations are marked whole, and so
// are the meanings of an abbreviation typed (and the abbreviation of a meaning typed). The last syllable may be
// the beginning of a word when it is no syllable of the archive (a half-typed word).
export function matcher(query, m = {}) {
  const a = analyse(query);
  const q = a.syllables.slice(0, MAX_SYLLABLES);
  const words = new Set(m.words || []);
  const lastPrefix = q.length && halfTyped(query, a) !== null && m.words && !words.has(q[q.length - 1]);
  const patterns = [{ seq: q, min: q.length > 1 ? 2 : 1, prefix: lastPrefix }];
  for (const [n] of a.numbers) patterns.push({ seq: [n], min: 1, number: true });
  const abbr = m.abbr || {};
  for (const s of q) for (const meaning of abbr[s] || []) patterns.push({ seq: meaning.split(" "), min: 0 }, { seq: [s], min: 1 });
  for (const [short, meanings] of Object.entries(abbr)) {
    for (const meaning of meanings) {
      const ms = meaning.split(" ");
      if (` ${q.join(" ")} `.includes(` ${meaning} `) && ms.length > 1) patterns.push({ seq: [short], min: 1 });
    }
  }
  const same = (pat, k, syl) => syl === pat.seq[k] || (pat.prefix && k === pat.seq.length - 1 && syl.startsWith(pat.seq[k]));
  // tokens: [{ syllables, number }] of a text's words; returns the indexes of the words to mark.
  return (tokens) => {
    const flat = []; // [syllable, word index]
    tokens.forEach((t, w) => t.syllables.forEach((s) => flat.push([s, w])));
    const hit = new Set();
    tokens.forEach((t, w) => { if (patterns.some((p) => p.number && t.numbers.some(([n]) => n === p.seq[0]))) hit.add(w); });
    for (const pat of patterns) {
      if (pat.number || !pat.seq.length) continue;
      const min = pat.min || pat.seq.length; // 0: the whole pattern
      for (let i = 0; i < flat.length; i += 1) {
        for (let j = 0; j < pat.seq.length; j += 1) {
          let len = 0;
          while (i + len < flat.length && j + len < pat.seq.length && same(pat, j + len, flat[i + len][0])) len += 1;
          if (len >= min) for (let k = 0; k < len; k += 1) hit.add(flat[i + k][1]);
        }
      }
    }
    return hit;
  };
}

const WORDS = /[\p{L}\p{M}\p{N}]+(?:[/.\-][\p{L}\p{M}\p{N}]+)*/gu;

// Text with the matched words wrapped in <mark class="vn-search-hit">, as a fragment (no HTML parsing); null when
// nothing matched.
function marked(text, hit) {
  const found = [...text.matchAll(WORDS)];
  if (!found.length) return null;
  const marks = hit(found.map((f) => analyse(f[0])));
  if (!marks.size) return null;
  const frag = document.createDocumentFragment();
  let last = 0;
  found.forEach((f, w) => {
    if (!marks.has(w)) return;
    frag.append(text.slice(last, f.index));
    const mark = document.createElement("mark");
    mark.className = "vn-search-hit";
    mark.textContent = f[0];
    frag.append(mark);
    last = f.index + f[0].length;
  });
  frag.append(text.slice(last));
  return frag;
}

function resultItem(s, query, hit) {
  const li = document.createElement("li");
  li.className = "vn-search__result";
  const a = document.createElement("a");
  const url = new URL(s.url, base);
  url.searchParams.set(PARAM, query);
  a.href = url.href;
  const title = document.createElement("span");
  title.className = "vn-search__title";
  title.append(marked(s.title, hit) || s.title);
  const head = document.createElement("span");
  head.className = "vn-search__notice";
  head.textContent = [`Số ${s.number}`, s.date].filter(Boolean).join(" · ");
  a.append(title, head);
  if (s.anchor) {
    const notice = document.createElement("span");
    notice.className = "vn-search__doc";
    notice.textContent = s.noticeTitle;
    a.append(notice);
  }
  li.append(a);
  return li;
}

const number = (x) => x.toLocaleString("vi-VN");

// The count line: how many hold the phrase, how many the words apart ("ít nhất": before every tail is in).
function countText(r, query) {
  const n = r.count;
  if (!n) return "Không tìm thấy kết quả phù hợp.";
  const about = r.exact ? "" : "ít nhất ";
  if (!r.full) return `Không có mục nào chứa đủ các từ đã gõ; ${about}${number(n)} mục gần nhất:`;
  if (r.plan.size < 2) return `${r.exact ? "" : "Ít nhất "}${number(n)} kết quả`;
  const shown = query.trim();
  const apart = r.full - r.phrases;
  const phrases = `${r.phraseExact ? "" : "ít nhất "}${number(r.phrases)}`;
  if (!r.phrases) return `Không mục nào chứa liền cụm từ «${shown}»; ${about}${number(apart)} mục có đủ các từ.`;
  return `${phrases.replace(/^./, (c) => c.toUpperCase())} mục chứa cụm từ «${shown}»`
    + (apart || !r.exact ? `; ${about}${number(apart)} mục khác có đủ các từ ở chỗ khác.` : ".");
}

async function filterOptions() {
  const m = await manifest();
  const all = await getJSON("f.json", m.hash);
  root.querySelectorAll("select[data-filter]").forEach((sel) => {
    if (sel.options.length > 1) return;
    const rows = all[sel.dataset.filter] || [];
    if (sel.dataset.filter === "nam") {
      for (const [y, first, end] of [...rows].reverse()) sel.append(new Option(`${y} (${end - first})`, String(y)));
    } else {
      const sorted = [...rows].sort((a, b) => a[1].localeCompare(b[1], "vi"));
      for (const [key, name, count] of sorted) sel.append(new Option(`${name} (${count})`, key));
    }
  });
}

function selectedFilters() {
  const filters = {};
  root.querySelectorAll("select[data-filter]").forEach((s) => { if (s.value) filters[s.dataset.filter] = s.value; });
  return filters;
}

function setup() {
  if (!root) return;
  const form = root.querySelector("form");
  const input = root.querySelector("input");
  const panel = root.querySelector(".vn-search__panel");
  const list = root.querySelector(".vn-search__results");
  const status = root.querySelector(".vn-search__status");
  const more = root.querySelector(".vn-search__more");
  let seq = 0;
  let current = null; // { r, q, shown, hit, mine }

  // Append results from..to of r (display data in parallel, shown in order as it arrives).
  const show = async (state, from, to, focusFirst = false) => {
    const { r, q, hit, mine } = state;
    const end = Math.min(to, r.ranked.length);
    // The first result's display data alone, then the others together: the first does not share the network.
    const first = display(r, from, from + 1);
    let rest = null;
    for (let k = 0; from + k < end; k += 1) {
      if (k === 1) rest = display(r, from + 1, end);
      const s = await (k === 0 ? first[0] : rest[k - 1]);
      if (mine !== seq) return false;
      if (from + k === 0) list.replaceChildren();
      if (r.plan.size > 1 && r.phrases && !s.phrase && (from + k === 0 || r.ranked[from + k - 1].phrase)) {
        const sep = document.createElement("li");
        sep.className = "vn-search__separator";
        sep.textContent = "Các mục có đủ các từ ở chỗ khác:";
        list.append(sep);
      }
      const li = resultItem(s, q, hit);
      list.append(li);
      if (focusFirst && k === 0) li.querySelector("a").focus();
    }
    state.shown = Math.max(state.shown, to);
    more.hidden = state.shown >= state.r.ranked.length && state.r.complete;
    return true;
  };

  const run = async () => {
    const mine = ++seq;
    const q = input.value;
    more.hidden = true;
    if (!q.trim()) { panel.hidden = true; list.replaceChildren(); status.textContent = ""; current = null; return; }
    panel.hidden = false;
    const stale = () => mine !== seq; // a newer keystroke won
    try {
      const filters = selectedFilters();
      let state = null;
      // Show a ranking's first page (or as many as are shown), unless the same documents are already shown.
      const present = async (r) => {
        if (r === null || stale()) return false;
        const before = state ? state.r.ranked.slice(0, state.shown).map((x) => x.doc).join() : null;
        if (!state) { state = { r, q, hit: matcher(q, r.manifest), mine, shown: 0 }; current = state; }
        state.r = r;
        status.textContent = countText(r, q);
        if (!r.ranked.length) { list.replaceChildren(); return true; }
        const upTo = Math.max(state.shown, PAGE);
        if (r.ranked.slice(0, upTo).map((x) => x.doc).join() !== before) return show(state, 0, upTo);
        more.hidden = state.shown >= r.ranked.length && r.complete;
        return true;
      };
      if (analyse(q).syllables.length > 1) {
        // The shards already here: a page of documents holding the phrase costs no new request.
        const quick = await rank(q, filters, { isStale: stale, loaded: true });
        if (quick === null || stale()) return;
        if (quick.phrases >= PAGE && !(await present(quick))) return;
      }
      const r = await rank(q, filters, { isStale: stale });
      if (!(await present(r)) || r.phraseExact || r.plan.size < 2) return;
      // Then the phrase's tails: its count is exact, and a phrase beyond the heaviest documents ranks as one.
      await present(await rank(q, filters, { isStale: stale, tails: "phrase" }));
    } catch (err) {
      if (!stale()) status.textContent = "Không tải được chỉ mục tìm kiếm.";
      throw err;
    }
  };

  more.addEventListener("click", async () => {
    const state = current;
    if (!state) return;
    more.disabled = true;
    try {
      if (!state.r.complete && state.shown + PAGE > state.r.ranked.length - PAGE) {
        // Near the end of what the heaviest documents give: fetch every tail, count exactly, rank every match.
        const full = await rank(state.q, selectedFilters(), { isStale: () => state.mine !== seq, tails: true });
        if (full === null || state.mine !== seq) return;
        state.r = full;
        status.textContent = countText(full, state.q);
      }
      await show(state, state.shown, state.shown + PAGE, true);
    } finally {
      more.disabled = false;
    }
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("focus", () => { manifest().catch(() => {}); }, { once: true });
  // Enter searches in place: the form goes nowhere (no inline onsubmit: the Content-Security-Policy blocks it).
  root.querySelector("form").addEventListener("submit", (e) => e.preventDefault());
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
    prefetch(input.value).catch(() => {});
  });
  root.querySelectorAll("select[data-filter]").forEach((s) => s.addEventListener("change", run));
  root.querySelector("details").addEventListener("toggle", (e) => { if (e.target.open) filterOptions(); });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") panel.hidden = true;
    if (e.key === "/" && document.activeElement !== input && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault(); input.focus();
    }
  });
  document.addEventListener("click", (e) => { if (!root.contains(e.target)) panel.hidden = true; });
  input.addEventListener("focus", () => { if (list.childElementCount) panel.hidden = false; });
}

// On a page opened from a result: mark the query's phrases in the notice (accent-insensitively, đ = d), then take
// ?tim= out of the address bar: the address a reader copies is the permanent one.
async function highlight() {
  const params = new URLSearchParams(location.search);
  const q = params.get(PARAM);
  if (q === null) return;
  params.delete(PARAM);
  const rest = params.toString();
  history.replaceState(history.state, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
  const article = document.querySelector("[data-search-body]");
  if (!article || !analyse(q).syllables.length) return;
  let m = {};
  try { m = await manifest(); } catch { /* no abbreviations or completions: the phrases still are marked */ }
  const hit = matcher(q, m);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const frag = marked(node.nodeValue, hit);
    if (frag) node.replaceWith(frag);
  }
}

if (browser) {
  setup();
  highlight();
}
