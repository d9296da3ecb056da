// Vietnamese text forms for search: the same rules as hooks/notice_archive/search.py (tested against the same
// table, tests/search_normalise_cases.json). canon: NFC, plain spaces, tone marks in the old place (hoà -> hòa);
// fold: accent-free lower case, đ -> d; indexForm: canon with đ as "d" + U+0335, the form Pagefind indexed.
export const STROKE = "\u0335";
const SPACES = /[\u00a0\u2007\u202f\u2000-\u200a\u3000]/g;
const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff\u00ad]/g;
const TONES = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const OLD_STYLE = /(?<![qQ])([oOuU])([aAeEyY])$/;
const LETTERS = /\p{L}+/gu;

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

export function indexForm(text) {
  return canon(text).replace(/đ/g, "d" + STROKE).replace(/Đ/g, "D" + STROKE);
}

// Pagefind returns excerpts and titles in index form: show "đ" again.
export function display(text) {
  return text.replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
}
