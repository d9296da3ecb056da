// The header search box: Pagefind (served from this site) queried in Vietnamese index form, sections ranked so the
// item that best matches what was typed comes first, results opening the item's anchor with the words highlighted.
import { canon, display, fold, indexForm } from "./search-normalise.js";

const MAX_PAGES = 6; // pages whose sections are ranked (each costs one small fragment download)
const MAX_SECTIONS = 10;
const PARAM = "tim"; // ?tim=<query> on a result link: the words to highlight on the opened page

const root = document.querySelector("[data-vn-search]");
const base = new URL(root ? root.dataset.base : "./", document.baseURI);
let pagefind = null;
let seq = 0;

function loadPagefind() {
  if (!pagefind) {
    pagefind = import(new URL("pagefind/pagefind.js", base).href).then(async (pf) => {
      await pf.options({ baseUrl: base.pathname, excerptLength: 24, ranking: { pageLength: 0.2, termFrequency: 0.6 } });
      await pf.init();
      return pf;
    });
  }
  return pagefind;
}

// Query words as the user meant them: canonical (for exact-diacritic ranking) and folded (for matching).
export function queryTerms(query) {
  return canon(query).split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter(Boolean).map((w) => ({ exact: w.toLowerCase(), folded: fold(w), accented: fold(w) !== w.toLowerCase() }));
}

function wordParts(folded) {
  return folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function matches(term, word, isLast) {
  if (!word) return false;
  if (word === term.folded) return true;
  if (/[^\p{L}\p{N}]/u.test(term.folded) ? word.includes(term.folded) : wordParts(word).includes(term.folded)) return true;
  return isLast && term.folded.length >= 3 && word.startsWith(term.folded); // the word still being typed
}

function clean(word) {
  return display(word).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

// Rank one section: distinct words matched, then words found side by side as typed, then exact diacritics, then
// words in the item's own title, then frequency, then Pagefind's page score.
export function scoreSection(terms, words, locations, title) {
  const hit = terms.map(() => 0);
  const exact = terms.map(() => false);
  let phrase = 0;
  const folded = new Map();
  const f = (loc) => {
    if (!folded.has(loc)) folded.set(loc, fold(clean(words[loc] || "")));
    return folded.get(loc);
  };
  const next = (loc) => { // the next word that is not bare punctuation ("Tài chính - Kế hoạch")
    let n = loc + 1;
    while (n < words.length && !/[\p{L}\p{N}]/u.test(words[n])) n += 1;
    return n;
  };
  for (const loc of locations) {
    const w = f(loc);
    terms.forEach((t, i) => {
      if (!matches(t, w, i === terms.length - 1)) return;
      hit[i] += 1;
      if (t.accented && canon(clean(words[loc])).toLowerCase() === t.exact) exact[i] = true;
      if (i + 1 < terms.length && matches(terms[i + 1], f(next(loc)), i + 1 === terms.length - 1)) phrase += 1;
    });
  }
  const titleWords = wordParts(fold(title));
  const inTitle = terms.filter((t) => titleWords.some((w) => matches(t, w, false)) || fold(title).includes(t.folded)).length;
  return [hit.filter(Boolean).length, Math.min(phrase, 3), exact.filter(Boolean).length, inTitle,
    hit.reduce((a, b) => a + Math.log2(1 + b), 0)];
}

function compare(a, b) {
  for (let i = 0; i < a.key.length; i += 1) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
  return b.pageScore - a.pageScore || a.order - b.order;
}

function selectedFilters() {
  const filters = {};
  root.querySelectorAll("select[data-filter]").forEach((s) => { if (s.value) filters[s.dataset.filter] = s.value; });
  return filters;
}

export async function search(query, filters = {}) {
  const terms = queryTerms(query);
  if (!terms.length) return [];
  const pf = await loadPagefind();
  const found = await pf.search(indexForm(query), { filters });
  if (!found || !found.results) return [];
  const pages = await Promise.all(found.results.slice(0, MAX_PAGES).map((r) => r.data().then((d) => [r, d])));
  const sections = [];
  pages.forEach(([r, d], pageIndex) => {
    const words = d.content.split(" ");
    d.sub_results.forEach((sub, subIndex) => {
      const title = display(sub.title || d.meta.title || "").replace(/\s*[#¶]\s*$/, "");
      const key = scoreSection(terms, words, sub.locations || [], title);
      if (key[0] === 0) return;
      sections.push({ key, pageScore: r.score, order: pageIndex * 1000 + subIndex, url: sub.url, title,
        excerpt: display(sub.excerpt || ""), meta: d.meta, isPage: !sub.anchor });
    });
  });
  sections.sort(compare);
  return sections.slice(0, MAX_SECTIONS);
}

function render(list, sections, query) {
  list.replaceChildren();
  for (const s of sections) {
    const li = document.createElement("li");
    li.className = "vn-search__result";
    const a = document.createElement("a");
    const url = new URL(s.url, location.href);
    url.searchParams.set(PARAM, query);
    a.href = url.href;
    const head = document.createElement("span");
    head.className = "vn-search__notice";
    head.textContent = [s.meta.so ? `Số ${s.meta.so}` : "", s.meta.ngay || ""].filter(Boolean).join(" · ");
    const title = document.createElement("span");
    title.className = "vn-search__title";
    title.textContent = s.isPage ? (s.meta.title || s.title) : s.title;
    const excerpt = document.createElement("span");
    excerpt.className = "vn-search__excerpt";
    // Pagefind's excerpt is HTML-escaped text with <mark> around matched words: keep only those marks.
    const tmp = document.createElement("template");
    tmp.innerHTML = s.excerpt;
    tmp.content.querySelectorAll("*").forEach((el) => { if (el.tagName !== "MARK") el.replaceWith(el.textContent); });
    excerpt.append(tmp.content);
    a.append(title, head, excerpt);
    if (!s.isPage && s.meta.title) {
      const notice = document.createElement("span");
      notice.className = "vn-search__doc";
      notice.textContent = s.meta.title;
      a.append(notice);
    }
    li.append(a);
    list.append(li);
  }
}

async function filterOptions() {
  const pf = await loadPagefind();
  const all = await pf.filters();
  root.querySelectorAll("select[data-filter]").forEach((sel) => {
    if (sel.options.length > 1) return;
    const values = Object.keys(all[sel.dataset.filter] || {}).sort((a, b) => (sel.dataset.filter === "nam"
      ? b.localeCompare(a) : a.localeCompare(b, "vi")));
    for (const v of values) sel.append(new Option(`${v} (${all[sel.dataset.filter][v]})`, v));
  });
}

function setup() {
  if (!root) return;
  const input = root.querySelector("input");
  const panel = root.querySelector(".vn-search__panel");
  const list = root.querySelector(".vn-search__results");
  const status = root.querySelector(".vn-search__status");
  const run = async () => {
    const mine = ++seq;
    const q = input.value;
    if (!q.trim()) { panel.hidden = true; list.replaceChildren(); return; }
    panel.hidden = false;
    let sections;
    try {
      sections = await search(q, selectedFilters());
    } catch (err) {
      if (mine === seq) status.textContent = "Không tải được chỉ mục tìm kiếm.";
      throw err;
    }
    if (mine !== seq) return; // a newer keystroke won
    status.textContent = sections.length ? "" : "Không tìm thấy kết quả phù hợp.";
    render(list, sections, q);
  };
  input.addEventListener("focus", () => { loadPagefind(); }, { once: true });
  let timer = 0; // a short pause between keystrokes: fewer index chunks fetched for half-typed words
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 60); });
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
  const article = document.querySelector("[data-pagefind-body]");
  if (!q || !article) return;
  const terms = queryTerms(q);
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const word = /[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}/\-]*[\p{L}\p{M}\p{N}]|[\p{L}\p{M}\p{N}]/gu;
  for (const node of nodes) {
    const text = node.nodeValue;
    const frag = document.createDocumentFragment();
    let last = 0;
    let any = false;
    for (const m of text.matchAll(word)) {
      const w = fold(m[0]);
      if (!terms.some((t) => matches(t, w, false))) continue;
      any = true;
      frag.append(text.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.className = "vn-search-hit";
      mark.textContent = m[0];
      frag.append(mark);
      last = m.index + m[0].length;
    }
    if (!any) continue;
    frag.append(text.slice(last));
    node.replaceWith(frag);
  }
}

setup();
highlight();
