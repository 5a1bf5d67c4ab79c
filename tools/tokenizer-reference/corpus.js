// Seeded generator of varied tokenizer test strings: English, Chinese, Japanese, Korean, code, LaTeX, emoji,
// astral-plane letters and digits, long digit / whitespace / punctuation runs, special tokens inside text,
// U+0085 and other exotic whitespace, contractions in every case, combining marks (NFC), random soups.
'use strict';

function mulberry32(seed) {
  return function () {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = `the quick brown fox jumps over lazy dog model reasoning answer question image vision language policy reward
gradient optimization because therefore however although sample replay rethinking wait let me check again triangle area
angle degree probability velocity function derivative integral matrix vector tensor Hello World OpenAI Qwen GRPO SSR
don't can't won't it's I'm you're they've we'll she'd ISN'T WE'LL THEY'RE O'Neil rock'n'roll`.split(/\s+/);
const ZH = '我们今天学习数学问题图像中的三角形面积是多少请仔细思考然后回答答案是因为所以但是模型推理视觉语言强化学习奖励';
const JA = 'これは日本語のテキストですカタカナとひらがなと漢字が混ざっています東京大学の研究者が新しいモデルを発表しました';
const KO = '안녕하세요 한국어 텍스트입니다 모델이 이미지를 보고 질문에 답합니다';
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇯🇵', '🇺🇸', '❤️', '🤔', '🚀', '✅', '🧠', '🏳️‍🌈', '👩🏻‍💻', '🙂', '🎉', '☕'];
const ASTRAL = ['𝟏', '𝟐', '𝟑', '𝟗', '𠮷', '𝐀', '𝐁', '𝒳', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '𐐷', '𐍈', '𝕏', '𝟘𝟙', '𖼀', '𞤀', '𝛼𝛽', '𓀀', '𝄞', '🄰', '𑁦', '𐌰𐌱'];
const SPECIAL = ['<|im_start|>', '<|im_end|>', '<|endoftext|>', '<|vision_start|>', '<|image_pad|>', '<|vision_end|>', '<think>', '</think>',
  '<tool_call>', '</tool_call>', '<|fim_prefix|>', '<|box_start|>', '<|im_sta', '|im_end|>', '<|im_start|><|im_end|>', '<|<|im_end|>|>'];
const WS = [' ', '  ', '\t', '\n', '\r\n', '\n\n', ' \n ', '\u0085', '\u00a0', '\u2028', '\u2029', '\u3000', '\u1680', '\u2009', '\u000b', '\u000c', '\u202f', '\u205f', '\u180e', '\u200b', '\u001c', '\u001f'];
const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~¡¿…—–«»“”‘’·•€£¥©®°±×÷→←≤≥≠∞√∑∫∂∇∈∉∀∃';
const COMBINING = ['e\u0301', 'a\u030a', 'o\u0308\u0304', 'q\u0323\u0307', 'q\u0307\u0323', '\u1100\u1161\u11a8', '\u1100\u1161', 'Å', 'ﬁ', '\u212b',
  '\u2126', 'ḍ̇', 'd\u0307\u0323', '\u0344', '\u0958', 'ก\u0e33', '\u0627\u0653', 'ゕ\u3099', 'か\u3099', '\u0b47\u0b3e', '\u00e9\u0301', 'A\u0328\u0301'];
const CODE = [
  'def f(x):\n    return x ** 2 + 3*x - 1\n',
  'for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }',
  'const foo = async () => { await fetch("https://example.com/api?q=1&r=2"); };',
  '#include <stdio.h>\nint main(void) {\n\tprintf("%d\\n", 42);\n\treturn 0;\n}\n',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;',
  '    if (x != null && x.Length > 0)\r\n        Console.WriteLine($"{x}: {y,8:F2}");\r\n',
  '<div class="a-b"><span id=\'x\'>&nbsp;&lt;tag&gt;</span></div>',
  'x = [1, 2, 3]\ny = {k: v for k, v in zip("abc", x)}\nprint(y)  # {\'a\': 1}',
  'fn main() -> Result<(), Box<dyn Error>> { let v: Vec<u8> = vec![0xFF; 16]; Ok(()) }',
  '$ ls -la /usr/local/bin | grep -E "^-.*x" > out.txt 2>&1',
];
const LATEX = ['\\frac{a}{b}', '\\sqrt{x^2 + y^2}', '\\int_0^\\infty e^{-x^2} dx = \\frac{\\sqrt{\\pi}}{2}', '\\boxed{42}', '\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}',
  '$\\angle ABC = 30^\\circ$', '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}', '\\mathbb{R}^{3}', '\\text{area} = \\pi r^2', 'x_{1,2} = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}'];

function buildCorpus(seed) {
  const rnd = mulberry32(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const slice = (s) => { const cs = [...s]; const a = int(0, cs.length - 1); return cs.slice(a, a + int(1, 24)).join(''); };
  const digits = (n) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const sentence = () => { const n = int(3, 18); const w = []; for (let i = 0; i < n; i++) w.push(pick(EN)); let s = w.join(' '); if (rnd() < 0.5) s = s[0].toUpperCase() + s.slice(1); return s + pick(['.', '?', '!', ',', ':', '']); };
  const gens = {
    english: () => Array.from({ length: int(1, 4) }, sentence).join(' '),
    chinese: () => slice(ZH) + pick(['。', '，', '？', '', '！']) + (rnd() < 0.3 ? slice(ZH) : ''),
    japanese: () => slice(JA) + pick(['。', '、', '']),
    korean: () => slice(KO),
    code: () => pick(CODE),
    latex: () => pick(['Solve ', 'We get ', '', '答案是 ']) + pick(LATEX) + pick(['.', '', ' so the answer is \\boxed{' + int(0, 999) + '}']),
    emoji: () => Array.from({ length: int(1, 6) }, () => pick(rnd() < 0.6 ? EMOJI : [sentence(), ' ', slice(ZH)])).join(pick(['', ' '])),
    astral: () => Array.from({ length: int(1, 8) }, () => pick(rnd() < 0.6 ? ASTRAL : [' ', 'a', '1', '!', ' x', '\n'])).join(''),
    digitRun: () => pick(['', 'Total: ', ' ', 'x=', '$']) + digits(int(1, 400)) + pick(['', '.', '.' + digits(int(1, 30)), ' apples', '\n']),
    spaceRun: () => pick(['', 'a', 'end.']) + pick(WS).repeat(int(1, 300)) + pick(['', 'b', '!', '\n', '1']),
    mixedSpace: () => Array.from({ length: int(2, 30) }, () => pick(rnd() < 0.7 ? WS : ['x', 'hello', '!', '1', '你'])).join(''),
    punctRun: () => Array.from({ length: int(1, 300) }, () => pick([...PUNCT])).join('') + pick(['', '\n', '\r\n\r\n', ' a', 'word']),
    sameCharRun: () => pick(['=', '-', '*', '.', '#', '!', '~', '_', ' ', '\n', '0', 'a', '啊', '😀']).repeat(int(2, 500)),
    special: () => Array.from({ length: int(2, 6) }, () => pick(rnd() < 0.4 ? SPECIAL : [sentence(), slice(ZH), ' ', '\n', 'user\n', 'assistant\n'])).join(''),
    contraction: () => pick(["it's", "IT'S", "he'S", "we'Re", "they'VE", "I'M", "you'll", "YOU'LL", "she'D", "'ſ", "x'ſt", "'s", "'", "''", "'re'", "don\u2019t", "' s", "'1", "'ll'll"]) + pick(['', ' ', 'x', '!']),
    combining: () => Array.from({ length: int(1, 5) }, () => pick(COMBINING)).join(pick(['', ' ', 'x'])),
    soup: () => { let s = ''; const n = int(1, 40); for (let i = 0; i < n; i++) { s += soupChar(rnd); } return s; },
    mixed: () => [gens.english(), gens.chinese(), gens.code(), gens.latex(), gens.emoji(), gens.astral(), gens.special()].filter(() => rnd() < 0.4).join(pick([' ', '\n', '', '\t'])),
  };
  const out = ['', ' ', '\n', 'a', '\u0085', 'x\u0085y', '\u0085\u0085x', ' \u0085 ', 'Hello world', '𝟏𝟐𝟑', '𠮷野家', 'hello  world', 'a\n\n\nb', 'a \n b', "I'm here", "'ſ", '<|im_start|>user\nhi<|im_end|>\n'];
  const names = Object.keys(gens);
  for (let i = 0; i < 2200; i++) out.push(gens[names[i % names.length]]());
  return out;
}

// A random code point from weighted ranges covering every plane's interesting blocks.
function soupChar(rnd) {
  const ranges = [[0x20, 0x7e], [0x80, 0x24f], [0x300, 0x36f], [0x370, 0x6ff], [0x900, 0xdff], [0x1100, 0x11ff], [0x2000, 0x206f], [0x2070, 0x2bff],
    [0x3000, 0x30ff], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xe000, 0xe0ff], [0xfb00, 0xfffd], [0x10000, 0x1044f], [0x1d400, 0x1d7ff], [0x1f300, 0x1faff], [0x20000, 0x2a6df], [0xe0000, 0xe007f]];
  const [lo, hi] = ranges[Math.floor(rnd() * ranges.length)];
  return String.fromCodePoint(lo + Math.floor(rnd() * (hi - lo + 1)));
}

module.exports = { buildCorpus, mulberry32 };
