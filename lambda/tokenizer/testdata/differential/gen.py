"""Writes vocab.txt and cases.json: random texts over a pool of hard
characters (controls, whitespace variants, accents, combining marks, CJK,
hangul, emoji, private use, unassigned) tokenized by the Python reference
tokenizer of lambda/models/export/bert_tokenizer.py, which follows
transformers' BertTokenizer step by step.

    /usr/bin/python3 gen.py SEED COUNT MAX_LENGTH   (committed: 3 400 128)
"""
import json, random, sys, unicodedata
import os
# The reference tokenizer of the models test data (lambda/models/export).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "models", "export"))
import bert_tokenizer as bt
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
pool = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") * 3
pool += list(" \t\n\r\v\f") * 4 + list(",.!?;:'\"()[]{}<>-_+=*&^%$#@~`|\\/") 
pool += list("éèêàâçîïôûüäöñåáíóúÉÈÀÇÑÅßæøðþœłđıĸŋİΣσςΟΔαβγАБВабвгд")
pool += ["\u0301", "\u0308", "\u0327", "\u0307", "\u200b", "\u200d", "\ufeff", "\x00", "\x07", "\x7f", "\x85", "\u00a0", "\u3000", "\u2028", "\u2029",
         "\ue000", "\u0378", "\ufffd", "—", "–", "…", "«", "»", "¿", "¡", "。", "，", "、", "\u2060", "\u00ad"]
pool += list("我爱北京中文字的一是不了人") + list("한국어가나") + list("ひらがなカタカナ") + ["\uf900", "\U00020000", "\U0002B820", "\U0002B920", "\U0002CEA0", "\u2F00", "\u3400"]
pool += ["😀", "👍", "\U0001F970", "🇫🇷", "\u0e01", "\u0e31", "\u0905", "\u093f", "\u05d0", "\u0627"]
# vocabulary: specials, single chars (normalized forms) and ## forms, a few words
chars = set()
for ch in pool:
    for form in (ch, ch.lower(), bt.strip_accents(ch.lower()), unicodedata.normalize("NFD", ch)):
        for c in form:
            chars.add(c)
chars = sorted(c for c in chars if not c.isspace())
rng = random.Random(7)
keep = [c for c in chars if rng.random() < 0.8]
words = ["hello", "world", "the", "un", "##aff", "##able", "ab", "##cd", "abc", "##ab", "cafe", "café", "naive", "ßa", "##ß"]
vocab = bt.SPECIALS + keep + ["##" + c for c in keep if rng.random() < 0.8] + words
seen = set(); v = []
for t in vocab:
    if t not in seen:
        seen.add(t); v.append(t)
open("vocab.txt", "w", encoding="utf-8").write("\n".join(v) + "\n")
texts = []
for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3000):
    n = random.choice([0, 1, 3, 10, 30, 120, 400])
    s = "".join(random.choice(pool + ["hello ", "world", "unaffable ", " café ", "CAFÉ", "ab", "cd"]) for _ in range(n))
    texts.append(s)
out = []
for lower in (True, False):
    tok = bt.BertTokenizer(v, max_length=int(sys.argv[3]) if len(sys.argv) > 3 else 64, lowercase=lower)
    for s in texts:
        # Leave out where the slow (Python) tokenizer and the fast (Rust) one,
        # which the Go package follows, disagree: Python's context-dependent
        # final sigma when lowercasing, its NFC when cased, its dropping of
        # unassigned code points, and its CJK range from U+2B820 (not U+2B920).
        if (lower and "\u03a3" in s) or (not lower and unicodedata.normalize("NFC", s) != s):
            continue
        if any(unicodedata.category(ch) == "Cn" or 0x2B820 <= ord(ch) <= 0x2B91F for ch in s):
            continue
        out.append({"lowercase": lower, "text": s, "input_ids": tok.encode(s)["input_ids"]})
with open("cases.json", "w", encoding="utf-8") as f:
    f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=True) for c in out) + "\n]\n")
print(len(v), "tokens", len(out), "cases")
