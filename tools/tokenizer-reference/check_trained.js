// Loads a tokenizer directory written by `rethinker tokenizer train` with HF's Rust tokenizer and tokenizes a
// JSONL of {"id","text"} rows into {"id","ids"}, the same format as `rethinker tokenize`, so the two outputs can
// be compared with diff:
//   node check_trained.js TOKENIZER_DIR IN.jsonl OUT.jsonl
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

async function main() {
  const [dir, inPath, outPath] = process.argv.slice(2);
  const tok = Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  const out = [];
  for (const line of fs.readFileSync(inPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    out.push(JSON.stringify({ id: row.id, ids: (await tok.encode(row.text)).getIds() }));
  }
  fs.writeFileSync(outPath, out.join('\n') + '\n');
}
main().catch((e) => { console.error(e); process.exit(1); });
