// The header search box over the site's own sharded index (hooks/notice_archive/search_index.py, files under
// tim-kiem/): the query is cut into the index's terms (search-normalise.js), only the shards holding those terms
// are fetched (and kept), documents are ranked, and the display data of the best few is fetched. A result opens
// the item's anchor with ?tim=<query>, and the matched words are highlighted there.
import { analyse, EXACT, fnv1a, fold } from "./search-normalise.js";

const MAX_RESULTS = 10;
const MAX_SYLLABLES = 30; // coverage is a bit mask
const DEBOUNCE_MS = 40; // a pause between keystrokes: fewer shards fetched for half-typed words
const BIGRAM = 1.5; // syllables side by side as typed weigh more than the same syllables apart
const NUMBER = 2; // a whole document number ("464/GM-UBND") weighs more than its parts
const PARAM = "tim"; // ?tim=<query> on a result link: the words to highlight on the opened page

const root = document.querySelector("[data-vn-search]");
const base = new URL(root ? root.dataset.base : "./", document.baseURI);
const dir = new URL("tim-kiem/", base);
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

// What to look up for a query: each term with the query syllables it covers (bit mask), the accented syllables it
// matches exactly, and how much its weight counts.
export function plan(query) {
  const a = analyse(query);
  const n = Math.min(a.syllables.length, MAX_SYLLABLES);
  const terms = new Map();
  // mask: syllables covered; exact: accented syllables matched as typed; pairs: adjacent pairs (i-1, i) found side
  // by side, as bit i.
  // key: what the term's shard is chosen by (an exact form shares its folded syllable's shard).
  const add = (term, mask, exact, pairs, factor, key = term) => {
    const t = terms.get(term);
    if (t) { t.mask |= mask; t.exact |= exact; t.pairs |= pairs; } else terms.set(term, { mask, exact, pairs, factor, key });
  };
  for (let i = 0; i < n; i += 1) {
    add(a.syllables[i], 1 << i, 0, 0, 1);
    if (i > 0) add(`${a.syllables[i - 1]} ${a.syllables[i]}`, (1 << i) | (1 << (i - 1)), 0, 1 << i, BIGRAM);
    if (a.exact[i] !== null) add(EXACT + a.exact[i], 1 << i, 1 << i, 0, 1, a.syllables[i]);
  }
  for (const [term, start, end] of a.numbers) {
    if (end > n) continue;
    let mask = 0;
    let pairs = 0;
    for (let i = start; i < end; i += 1) { mask |= 1 << i; if (i > start) pairs |= 1 << i; }
    add(term, mask, 0, pairs, NUMBER);
  }
  return { analysis: a, size: n, terms };
}

// While the user types, fetch the shards of the words already complete (all but the last, which may still be
// half-typed): when the search runs, only the last word's shards are left to fetch.
async function prefetch(query) {
  const complete = query.replace(/[\p{L}\p{N}]+$/u, "");
  if (!complete.trim()) return;
  const p = plan(complete);
  const m = await manifest();
  for (const t of p.terms.values()) getJSON(`i/${fnv1a(t.key) & (m.shards - 1)}.json`, m.hash).catch(() => {});
}

function bits(x) {
  let c = 0;
  for (let v = x; v; v &= v - 1) c += 1;
  return c;
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

// Rank documents: most query syllables covered, then most accented syllables matched exactly (when the query has
// diacritics), then most syllables side by side as typed, then the sum of weights (bigrams and document numbers
// counting more), then the newer document.
export async function rank(query, filters = {}, isStale = () => false) {
  const p = plan(query);
  if (!p.size) return { plan: p, ranked: [] };
  const m = await manifest();
  const list = [...p.terms.keys()];
  const shards = await Promise.all(list.map((t) => getJSON(`i/${fnv1a(p.terms.get(t).key) & (m.shards - 1)}.json`,
    m.hash)));
  const ok = await allowedDocs(filters, m);
  const acc = new Map();
  list.forEach((term, k) => {
    const postings = shards[k][term];
    if (!postings) return;
    const t = p.terms.get(term);
    let doc = 0;
    for (let j = 0; j < postings.length; j += 2) {
      doc += postings[j];
      let r = acc.get(doc);
      if (!r) { r = { doc, mask: 0, exact: 0, pairs: 0, score: 0 }; acc.set(doc, r); }
      r.mask |= t.mask;
      r.exact |= t.exact;
      r.pairs |= t.pairs;
      r.score += postings[j + 1] * t.factor;
    }
  });
  if (isStale()) return null;
  const ranked = [...acc.values()].filter((r) => ok(r.doc))
    .map((r) => ({ ...r, cover: bits(r.mask), ex: bits(r.exact), side: bits(r.pairs) }));
  ranked.sort((a, b) => b.cover - a.cover || b.ex - a.ex || b.side - a.side || b.score - a.score || b.doc - a.doc);
  return { plan: p, ranked, manifest: m };
}

// The best results, each a promise of its display data (fetched in parallel; null when a newer query won).
export async function searchLazy(query, filters = {}, isStale = () => false) {
  const r = await rank(query, filters, isStale);
  if (!r || isStale()) return null;
  const size = r.manifest?.chunk;
  return r.ranked.slice(0, MAX_RESULTS).map((x) => getJSON(`d/${Math.floor(x.doc / size)}.json`, r.manifest.hash)
    .then((chunk) => {
      const [ni, anchor, title] = chunk.d[x.doc % size];
      const [url, number, date, noticeTitle] = chunk.n[ni];
      return { url: url + (anchor ? `#${anchor}` : ""), anchor, title, number, date, noticeTitle,
        covered: x.cover, of: r.plan.size };
    }));
}

export async function search(query, filters = {}) {
  return Promise.all((await searchLazy(query, filters)) || []);
}

// Matching words on a page or in a title: the query's syllables, and its document numbers whole.
function matcher(query) {
  const a = analyse(query);
  const inNumber = new Set();
  for (const [, s, e] of a.numbers) for (let i = s; i < e; i += 1) inNumber.add(i);
  const free = new Set(a.syllables.filter((_, i) => !inNumber.has(i)));
  const numbers = new Set(a.numbers.map(([n]) => n));
  return (word) => {
    const w = analyse(word);
    return w.numbers.some(([n]) => numbers.has(n)) || w.syllables.some((s) => free.has(s));
  };
}

const WORDS = /[\p{L}\p{M}\p{N}]+(?:[/.\-][\p{L}\p{M}\p{N}]+)*/gu;

// Text with the matched words wrapped in <mark class="vn-search-hit">, as a fragment (no HTML parsing).
function marked(text, hit) {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(WORDS)) {
    if (!hit(m[0])) continue;
    frag.append(text.slice(last, m.index));
    const mark = document.createElement("mark");
    mark.className = "vn-search-hit";
    mark.textContent = m[0];
    frag.append(mark);
    last = m.index + m[0].length;
  }
  if (last === 0) return null;
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
  const input = root.querySelector("input");
  const panel = root.querySelector(".vn-search__panel");
  const list = root.querySelector(".vn-search__results");
  const status = root.querySelector(".vn-search__status");
  let seq = 0;
  const run = async () => {
    const mine = ++seq;
    const q = input.value;
    if (!q.trim()) { panel.hidden = true; list.replaceChildren(); return; }
    panel.hidden = false;
    const stale = () => mine !== seq; // a newer keystroke won
    try {
      const results = await searchLazy(q, selectedFilters(), stale);
      if (results === null || stale()) return;
      if (!results.length) {
        status.textContent = "Không tìm thấy kết quả phù hợp.";
        list.replaceChildren();
        return;
      }
      // Shown in order as their data arrives: the first result does not wait for the tenth.
      const hit = matcher(q);
      for (const [k, p] of results.entries()) {
        const s = await p;
        if (stale()) return;
        if (k === 0) {
          list.replaceChildren();
          status.textContent = s.covered < s.of ? "Không có mục nào chứa đủ các từ đã gõ; các mục gần nhất:" : "";
        }
        list.append(resultItem(s, q, hit));
      }
    } catch (err) {
      if (!stale()) status.textContent = "Không tải được chỉ mục tìm kiếm.";
      throw err;
    }
  };
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

// On a page opened from a result: mark the searched words in the notice (accent-insensitively, đ = d).
function highlight() {
  const q = new URLSearchParams(location.search).get(PARAM);
  const article = document.querySelector("[data-search-body]");
  if (!q || !article || !fold(q).trim()) return;
  const hit = matcher(q);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const frag = marked(node.nodeValue, hit);
    if (frag) node.replaceWith(frag);
  }
}

setup();
highlight();
