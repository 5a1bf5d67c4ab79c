// Reference for the BPE trainer: HF tokenizers' own BpeTrainer (npm `tokenizers` 0.23.2; its node binding trains
// with the model's default trainer: vocab_size 30000, min_frequency 0, no special tokens, no initial alphabet)
// on a small corpus, with NFC + the Qwen2 split + ByteLevel. Writes trainer_corpus.txt and trainer_hf.json
// (vocab and merges) into tests/Rethinker.Models.Tests/TestData/tokenizer/.
//   node gen_trainer_reference.js
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Tokenizer } = require('tokenizers');
const { buildCorpus } = require('./corpus');

const OUT = path.resolve(__dirname, '../../tests/Rethinker.Models.Tests/TestData/tokenizer');
const QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

function emptyTokenizerJson() {
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  return JSON.stringify({
    version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2 }, behavior: 'Isolated', invert: false }, byteLevel] },
    post_processor: byteLevel, decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] },
  });
}

// Short lines of the parity corpus (a mix of scripts, code, runs), ~40 KB.
const lines = buildCorpus(99).filter((s) => s.length > 0 && s.length < 120).map((s) => s.replace(/\r?\n/g, ' ')).slice(0, 900);
const corpusPath = path.join(OUT, 'trainer_corpus.txt');
fs.writeFileSync(corpusPath, lines.join('\n') + '\n');

const tok = Tokenizer.fromString(emptyTokenizerJson());
tok.train([corpusPath]);
const tmp = path.join(os.tmpdir(), 'trained_tokenizer.json');
tok.save(tmp, false);
const model = JSON.parse(fs.readFileSync(tmp, 'utf8')).model;
fs.writeFileSync(path.join(OUT, 'trainer_hf.json'), JSON.stringify({ vocab_size: Object.keys(model.vocab).length, vocab: model.vocab, merges: model.merges }));
console.log(`corpus ${fs.statSync(corpusPath).size} bytes, vocab ${Object.keys(model.vocab).length}, merges ${model.merges.length}`);
