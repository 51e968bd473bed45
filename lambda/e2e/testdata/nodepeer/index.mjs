// The Node.js peer of costguard's model server, for the benchmarks of
// lambda/e2e (bench_models_test.go): the same model directory (manifest.json,
// model.onnx, tokenizer.json) served by onnxruntime-node behind a Lambda
// custom-runtime loop written here against the Runtime API, as a user who
// picks Node for ONNX on Lambda would write it. It does what the Go server
// does for image and text classification:
//
//   images: base64 PNG (pngjs) or JPEG (jpeg-js), alpha dropped, resized
//           straight to the model size with a Pillow-style bilinear filter
//           when the size differs, scale, (x - mean) / std, NCHW or NHWC;
//   texts:  Hugging Face tokenizers (npm tokenizers, the Rust library) from
//           the model's tokenizer.json, truncated to text.max_length, padded
//           to the longest text of the request;
//   then one session run, softmax when the output is logits, and
//   {"predictions": [{"label", "score", "scores"}]} in a REST v1 proxy answer.
//
// The session is created once, at init (top level), with the Go server's
// thread rule: intra-op threads = max(1, memory MB / 1769), one inter-op
// thread, every graph optimization. There is no warm-up run: a Node handler
// as users write it creates the session and answers.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

// model/ next to this file, as the Go bootstrap finds model/ next to itself.
const modelDir = process.env.MODEL_DIR || path.join(path.dirname(fileURLToPath(import.meta.url)), 'model');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function runtime(method, p, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: api.split(':')[0], port: Number(api.split(':')[1]), path: '/2018-06-01/runtime' + p, method, agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

class BadInput extends Error {}

// ---------------------------------------------------------------- the model

const man = JSON.parse(fs.readFileSync(path.join(modelDir, 'manifest.json'), 'utf8'));
const threads = Math.max(1, Math.floor(Number(process.env.ORT_INTRA_OP_THREADS || 0) || Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || 1769) / 1769));
const session = await ort.InferenceSession.create(path.join(modelDir, man.onnx.file), {
  intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
});

let encode; // instances → feeds
if (man.image) {
  const { PNG } = await import('pngjs');
  const jpeg = (await import('jpeg-js')).default;
  const im = man.image;
  const H = im.height, W = im.width;
  const scale = im.scale ?? 1 / 255;
  const mean = im.mean ?? [0.485, 0.456, 0.406], std = im.std ?? [0.229, 0.224, 0.225];
  const bgr = im.channel_order === 'BGR';
  const nhwc = im.layout === 'NHWC';
  const decode = (buf) => {
    if (buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47) return PNG.sync.read(buf); // RGBA, gray replicated
    if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    throw new BadInput('not a PNG or JPEG image');
  };
  encode = (instances) => {
    const n = instances.length, plane = H * W;
    const x = new Float32Array(n * 3 * plane);
    instances.forEach((inst, i) => {
      if (!inst || typeof inst.b64 !== 'string') throw new BadInput('must be an object {"b64": "<base64 PNG or JPEG>"}');
      const img = decode(Buffer.from(inst.b64, 'base64'));
      const rgb = resize(img.data, img.width, img.height, W, H);
      const off = i * 3 * plane;
      for (let p = 0; p < plane; p++) {
        for (let c = 0; c < 3; c++) {
          const src = bgr ? 2 - c : c;
          const v = (rgb[p * 3 + src] * scale - mean[c]) / std[c];
          x[nhwc ? off + p * 3 + c : off + c * plane + p] = v;
        }
      }
    });
    return { [im.input]: new ort.Tensor('float32', x, nhwc ? [n, H, W, 3] : [n, 3, H, W]) };
  };
} else if (man.text && man.text.tokenizer) {
  const { Tokenizer } = await import('tokenizers');
  const tk = Tokenizer.fromFile(path.join(modelDir, man.text.tokenizer));
  if (man.text.max_length) tk.setTruncation(man.text.max_length);
  tk.setPadding({ padId: 0, padTypeId: 0 }); // longest in the batch
  const t = man.text;
  encode = async (instances) => {
    for (const s of instances) if (typeof s !== 'string') throw new BadInput('must be a string');
    const encs = await tk.encodeBatch(instances);
    const n = encs.length, L = encs[0].getIds().length;
    const tensor = (f) => new ort.Tensor('int64', BigInt64Array.from(encs.flatMap((e) => e[f]()), BigInt), [n, L]);
    const feeds = { [t.input_ids]: tensor('getIds') };
    if (t.attention_mask) feeds[t.attention_mask] = tensor('getAttentionMask');
    if (t.token_type_ids) feeds[t.token_type_ids] = tensor('getTypeIds');
    return feeds;
  };
} else {
  throw new Error(`nodepeer serves image and tokenized-text models, not ${man.task}`);
}

// resize returns the RGB bytes of an RGBA image resized to w×h with a
// separable triangle filter widened when shrinking (Pillow's BILINEAR), or
// the RGB bytes as they are when the size already fits.
function resize(rgba, iw, ih, w, h) {
  const src = new Float32Array(iw * ih * 3);
  for (let p = 0; p < iw * ih; p++) for (let c = 0; c < 3; c++) src[p * 3 + c] = rgba[p * 4 + c];
  if (iw === w && ih === h) return src;
  const pass = (inp, inSize, outSize, stride, lines, lineStride, outStride, outLineStride) => {
    const out = new Float32Array(lines * outSize * 3);
    const sc = inSize / outSize, fs = Math.max(sc, 1);
    for (let i = 0; i < outSize; i++) {
      const center = (i + 0.5) * sc;
      const lo = Math.max(Math.trunc(center - fs + 0.5), 0), hi = Math.min(Math.trunc(center + fs + 0.5), inSize);
      const wts = [];
      let sum = 0;
      for (let x = lo; x < hi; x++) { const v = Math.max(0, 1 - Math.abs((x - center + 0.5) / fs)); wts.push(v); sum += v; }
      for (let l = 0; l < lines; l++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let k = 0; k < wts.length; k++) acc += wts[k] * inp[l * lineStride + (lo + k) * stride + c];
          out[l * outLineStride + i * outStride + c] = Math.min(255, Math.max(0, Math.round(acc / sum)));
        }
      }
    }
    return out;
  };
  const horiz = pass(src, iw, w, 3, ih, iw * 3, 3, w * 3); // ih rows of w
  return pass(horiz, ih, h, w * 3, w, 3, w * 3, 3); // w columns of h
}

function softmax(row) {
  const mx = Math.max(...row);
  const e = row.map((v) => Math.exp(v - mx));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const round6 = (x) => Math.round(x * 1e6) / 1e6;

async function predict(instances) {
  const feeds = await encode(instances);
  const out = await session.run(feeds);
  const data = out[man.output].data;
  const k = man.labels.length;
  return instances.map((_, i) => {
    let row = Array.from(data.slice(i * k, (i + 1) * k));
    if (man.scores !== 'probabilities') row = softmax(row);
    const scores = {};
    let best = 0;
    row.forEach((p, j) => { scores[man.labels[j]] = round6(p); if (p > row[best]) best = j; });
    return { label: man.labels[best], score: scores[man.labels[best]], scores };
  });
}

// ---------------------------------------------------------------- the handler

const reply = (statusCode, obj) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(obj) });

async function handle(event) {
  if (event.httpMethod !== 'POST' || !/\/predict$/.test(event.path || '')) return reply(404, { error: 'not found' });
  let req;
  try {
    req = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body || '', 'base64').toString('utf8') : event.body || '');
  } catch {
    return reply(400, { error: 'body is not JSON' });
  }
  if (!req || !Array.isArray(req.instances) || req.instances.length === 0) return reply(400, { error: 'want {"instances": [...]}', field: 'instances' });
  try {
    return reply(200, { predictions: await predict(req.instances), model: { name: man.name, version: man.version } });
  } catch (e) {
    if (e instanceof BadInput) return reply(400, { error: e.message, field: 'instances' });
    throw e;
  }
}

for (;;) {
  const next = await runtime('GET', '/invocation/next');
  const id = next.headers['lambda-runtime-aws-request-id'];
  let res;
  try {
    res = await runtime('POST', `/invocation/${id}/response`, JSON.stringify(await handle(JSON.parse(next.body))));
  } catch (e) {
    res = await runtime('POST', `/invocation/${id}/error`, JSON.stringify({ errorMessage: String(e && e.message), errorType: 'Runtime.HandlerError' }));
  }
  if (res.status >= 300) console.error(`runtime API answered ${res.status}: ${res.body}`);
}
