// Cross-checks the committed test models against their references with other
// engines than the ones that made them: ONNX Runtime (onnxruntime-node) runs
// every model.onnx on the reference cases, and Hugging Face's Rust tokenizers
// (npm tokenizers) encode every text case from the model's tokenizer.json.
//
//   ORT_NODE=.../onnxruntime-node HF_TOKENIZERS=.../tokenizers \
//     node crosscheck.js lambda/models INPUTS_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(process.env.ORT_NODE);
const { Tokenizer } = require(process.env.HF_TOKENIZERS);

const TOL = 1e-4;

async function checkModel(root, inputsDir, name) {
  const ref = JSON.parse(fs.readFileSync(path.join(root, 'testdata', name, 'reference.json'), 'utf8'));
  const sess = await ort.InferenceSession.create(path.join(root, name, 'model.onnx'), { intraOpNumThreads: 1 });
  const problems = [];
  let maxd = 0;
  const cmp = (what, want, got) => {
    want.forEach((v, j) => {
      const d = Math.abs(v - got[j]);
      maxd = Math.max(maxd, d);
      if (!(d <= TOL)) problems.push(`${what}[${j}]: want ${v}, got ${got[j]}`);
    });
  };
  if (ref.task === 'tabular') {
    const rows = ref.cases.map((c) => c.row);
    const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
    const out = await sess.run({ input: x });
    const k = ref.labels.length;
    ref.cases.forEach((c, i) => {
      cmp(`row ${i} probabilities`, c.probabilities, Array.from(out.probabilities.data.slice(i * k, i * k + k)));
      if (Number(out.label.data[i]) !== c.label_index) problems.push(`row ${i}: label ${out.label.data[i]}, want ${c.label_index}`);
    });
  } else if (ref.task === 'text-classification') {
    const tk = Tokenizer.fromFile(path.join(root, name, 'tokenizer.json'));
    const fields = [['input_ids', 'getIds'], ['attention_mask', 'getAttentionMask'], ['token_type_ids', 'getTypeIds']];
    for (const c of ref.cases) {
      const items = c.batch || [c];
      const encs = c.batch ? await tk.encodeBatch(items.map((it) => it.text)) : [await tk.encode(c.text)];
      items.forEach((it, i) => {
        for (const [k, f] of fields) {
          const got = Array.from(encs[i][f]());
          if (JSON.stringify(got) !== JSON.stringify(it[k])) problems.push(`tokenizer ${k} of ${JSON.stringify(it.text.slice(0, 40))}: ${got} want ${it[k]}`);
        }
      });
      const L = items[0].input_ids.length;
      const t = (k) => new ort.Tensor('int64', BigInt64Array.from(items.flatMap((it) => it[k]).map(BigInt)), [items.length, L]);
      const out = await sess.run({ input_ids: t('input_ids'), attention_mask: t('attention_mask'), token_type_ids: t('token_type_ids') });
      const k = ref.labels.length;
      items.forEach((it, i) => cmp(`logits of ${JSON.stringify(it.text.slice(0, 40))}`, it.logits, Array.from(out.logits.data.slice(i * k, i * k + k))));
    }
  } else {
    const inputs = JSON.parse(fs.readFileSync(path.join(inputsDir, name + '.inputs.json'), 'utf8'));
    for (const c of ref.cases) {
      const inp = inputs[c.file];
      const out = await sess.run({ input: new ort.Tensor('float32', Float32Array.from(inp.data), inp.shape) });
      cmp(`${c.file} logits`, c.logits, Array.from(out.logits.data));
    }
  }
  console.log(`${name}: ${ref.cases.length} cases, ONNX Runtime vs reference max |diff| ${maxd.toExponential(2)}${problems.length ? ', ' + problems.length + ' problems' : ', ok'}`);
  problems.slice(0, 10).forEach((p) => console.log('  ' + p));
  return problems.length === 0;
}

(async () => {
  const [root, inputsDir] = process.argv.slice(2);
  const names = fs.readdirSync(path.join(root, 'testdata')).filter((n) => fs.existsSync(path.join(root, 'testdata', n, 'reference.json'))).sort();
  let ok = true;
  for (const n of names) ok = (await checkModel(root, inputsDir, n)) && ok;
  process.exit(ok ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
