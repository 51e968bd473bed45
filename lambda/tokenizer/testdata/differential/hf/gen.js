// Writes cases.json: random texts over a pool of hard characters, encoded by
// Hugging Face's Rust tokenizers (npm tokenizers@0.23.2, the library behind
// transformers' fast tokenizers) from uncased.json and cased.json. Those two
// files were written by lambda/models/export/bert_tokenizer.py's write_files
// for ../vocab.txt (max_length 128), with padding removed and, for cased.json,
// the BertNormalizer's lowercase set to false.
//
//   npm install --no-save --ignore-scripts --prefix /tmp/hftok tokenizers@0.23.2
//   HF_TOKENIZERS=/tmp/hftok/node_modules/tokenizers node gen.js 600
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require(process.env.HF_TOKENIZERS || 'tokenizers');

let seed = 20261130;
const rand = (n) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pool = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(3),
  ...' \t\n\r\v\f'.repeat(4), ...',.!?;:\'"()[]{}<>-_+=*&^%$#@~`|\\/',
  ...'éèêàâçîïôûüäöñåáíóúÉÈÀÇÑÅßæøðþœłđıĸŋİΣσςΟΔαβγАБВабвгд',
  '\u0301', '\u0308', '\u0327', '\u0307', '\u0345', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u2060', '\u0000', '\u0007', '\u007f',
  '\u0085', '\u00a0', '\u3000', '\u2028', '\u2029', '\ue000', '\u{F0000}', '\u0378', '\uffff', '\ufffd', '—', '–', '…', '«', '»', '¿',
  '¡', '。', '，', '、', ...'我爱北京中文字的一是不了人', ...'한국어가나', ...'ひらがなカタカナ', '\uf900', '\u{20000}', '\u{2B820}', '\u{2B91F}',
  '\u{2B920}', '\u{2CEA0}', '\u2F00', '\u3400', '😀', '👍', '\u{1F970}', '🇫🇷', '\u{1FAE0}', '\u0e01', '\u0e31', '\u0905', '\u093f',
  '\u05d0', '\u0627', '\u1FBC', '\u212B', '\u{1D165}\u{1D16D}', 'ΟΔΟΣ ', '[SEP]', '[MASK]', ' [CLS] ', '[sep]',
  'hello ', 'world', 'unaffable ', ' café ', 'CAFÉ', 'Cafe\u0301', 'ab', 'cd',
];
const lengths = [0, 1, 3, 10, 30, 60, 120];
const n = Number(process.argv[2] || 600);
const texts = [];
for (let i = 0; i < n; i++) {
  let s = '';
  for (let k = lengths[rand(lengths.length)]; k > 0; k--) s += pool[rand(pool.length)];
  texts.push(s);
}
(async () => {
  const cases = [];
  for (const name of ['uncased', 'cased']) {
    const tk = Tokenizer.fromFile(path.join(__dirname, name + '.json'));
    for (const text of texts) {
      const e = await tk.encode(text);
      cases.push({ tokenizer: name, text, input_ids: Array.from(e.getIds()) });
    }
  }
  fs.writeFileSync(path.join(__dirname, 'cases.json'), '[\n' + cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]\n');
  console.log(cases.length, 'cases');
})();
