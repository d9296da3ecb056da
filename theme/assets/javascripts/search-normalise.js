// Vietnamese text forms and search terms: the same rules as hooks/notice_archive/search.py, tested against the same
// tables (tests/search_normalise_cases.json, tests/search_terms_cases.json). canon: NFC, plain spaces, tone marks in
// the old place (hoà -> hòa); fold: accent-free lower case, đ -> d; analyse/terms: syllables, bigrams, document
// numbers and exact forms, as the index (hooks/notice_archive/search_index.py) was built from.
const SPACES = /[\u00a0\u2007\u202f\u2000-\u200a\u3000]/g;
const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
const TONES = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const OLD_STYLE = /(?<![qQ])([oOuU])([aAeEyY])$/;
const LETTERS = /\p{L}+/gu;
const WORD = /[\p{L}\p{N}]+(?:[/.\-][\p{L}\p{N}]+)*/gu;
const PART = /[\p{L}\p{N}]+/gu;
const DIGIT = /\p{Nd}/u;
const LEADING_ZEROS = /(?<![\p{L}\p{N}])0+(?=[0-9])/gu;
export const EXACT = "=";

function tonePlace(word) {
  const decomposed = [...word.normalize("NFD")];
  const tones = decomposed.filter((ch) => TONES.has(ch));
  if (tones.length !== 1) return word;
  const bare = decomposed.filter((ch) => !TONES.has(ch)).join("").normalize("NFC");
  const m = OLD_STYLE.exec(bare);
  if (!m) return word;
  const pos = m.index;
  return (bare.slice(0, pos + 1) + tones[0] + bare.slice(pos + 1)).normalize("NFC");
}

export function canon(text) {
  const t = text.normalize("NFC").replace(SPACES, " ").replace(ZERO_WIDTH, "");
  return t.replace(LETTERS, (w) => tonePlace(w));
}

export function fold(text) {
  return canon(text).normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

// Syllables (folded), their exact forms (null without diacritics) and document numbers [folded, first, end].
export function analyse(text) {
  const syllables = [];
  const exact = [];
  const numbers = [];
  const t = text.normalize("NFC").replace(SPACES, " ").replace(ZERO_WIDTH, "");
  for (const [word] of t.matchAll(WORD)) {
    const start = syllables.length;
    for (const [part] of word.matchAll(PART)) {
      const f = fold(part);
      const e = canon(part).toLowerCase();
      syllables.push(f.replace(LEADING_ZEROS, ""));
      exact.push(e !== f ? e : null);
    }
    if (syllables.length - start > 1 && DIGIT.test(word)) {
      numbers.push([fold(word).replace(LEADING_ZEROS, ""), start, syllables.length]);
    }
  }
  return { syllables, exact, numbers };
}

// Every term, with repeats, in the index's order: syllables, bigrams, document numbers, exact forms.
export function terms(a) {
  const s = a.syllables;
  const out = [...s];
  for (let i = 1; i < s.length; i += 1) out.push(`${s[i - 1]} ${s[i]}`);
  for (const [n] of a.numbers) out.push(n);
  for (const e of a.exact) if (e !== null) out.push(EXACT + e);
  return out;
}

// 32-bit FNV-1a of the UTF-8 bytes: which shard holds a term.
export function fnv1a(term) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}
