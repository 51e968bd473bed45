"""A BERT WordPiece tokenizer that follows Hugging Face's BertTokenizer
(transformers, the slow Python one) step by step, and the writers for its
files (vocab.txt, tokenizer.json, tokenizer_config.json).

It is the reference the Go tokenizer is compared with:

BasicTokenizer (uncased):
  1. clean text: drop U+0000, U+FFFD and control characters (category C*,
     except \\t \\n \\r); every whitespace character (\\t \\n \\r, space,
     category Zs) becomes a space;
  2. put spaces around CJK ideographs (the ranges in _is_chinese_char);
  3. split on whitespace (Python str.split(): Unicode White_Space);
  4. per word: lowercase (str.lower), then NFD and drop category Mn (accents);
  5. split each word on punctuation: ASCII 33-47, 58-64, 91-96, 123-126 and
     every Unicode category P*, each punctuation character its own token.
WordpieceTokenizer: per token, greedy longest match first from the start,
  continuations prefixed "##"; a token longer than 100 characters (code
  points) or one that cannot be split completely becomes [UNK].
Encoding: [CLS] + tokens[:max_length-2] + [SEP]; token_type_ids 0; mask 1;
  a batch is padded to its longest sequence with [PAD]=0 and mask 0.

Not modelled: special-token strings typed in the text ("[CLS]") are split as
ordinary text here; HF matches them as added tokens first.
"""

import collections
import json
import unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MAX_CHARS_PER_WORD = 100


def _is_whitespace(ch):
    if ch in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_chinese_char(cp):
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def clean_text(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        out.append(" " if _is_whitespace(ch) else ch)
    return "".join(out)


def tokenize_chinese_chars(text):
    out = []
    for ch in text:
        if _is_chinese_char(ord(ch)):
            out.extend((" ", ch, " "))
        else:
            out.append(ch)
    return "".join(out)


def strip_accents(text):
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def split_on_punc(word):
    out = [[]]
    for ch in word:
        if _is_punctuation(ch):
            out.append([ch])
            out.append([])
        else:
            out[-1].append(ch)
    return ["".join(x) for x in out if x]


def basic_tokenize(text, lowercase=True):
    text = tokenize_chinese_chars(clean_text(text))
    # transformers >= 4.34 also NFC-normalizes here; with lowercase + NFD
    # accent stripping below that changes nothing.
    text = unicodedata.normalize("NFC", text)
    tokens = []
    for word in text.split():
        if lowercase:
            word = strip_accents(word.lower())
        tokens.extend(split_on_punc(word))
    return " ".join(tokens).split()


def wordpiece(token, vocab, unk="[UNK]"):
    chars = list(token)
    if len(chars) > MAX_CHARS_PER_WORD:
        return [unk]
    out, start = [], 0
    while start < len(chars):
        end, cur = len(chars), None
        while start < end:
            sub = "".join(chars[start:end])
            if start > 0:
                sub = "##" + sub
            if sub in vocab:
                cur = sub
                break
            end -= 1
        if cur is None:
            return [unk]
        out.append(cur)
        start = end
    return out


class BertTokenizer:
    def __init__(self, vocab_list, max_length=128, lowercase=True):
        self.vocab_list = list(vocab_list)
        self.vocab = {t: i for i, t in enumerate(self.vocab_list)}
        self.max_length = max_length
        self.lowercase = lowercase

    def tokenize(self, text):
        out = []
        for tok in basic_tokenize(text, self.lowercase):
            out.extend(wordpiece(tok, self.vocab))
        return out

    def encode(self, text):
        """Unpadded {input_ids, attention_mask, token_type_ids} after truncation."""
        toks = self.tokenize(text)[: self.max_length - 2]
        ids = [self.vocab["[CLS]"]] + [self.vocab[t] for t in toks] + [self.vocab["[SEP]"]]
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "token_type_ids": [0] * len(ids)}

    def encode_batch(self, texts):
        encs = [self.encode(t) for t in texts]
        n = max(len(e["input_ids"]) for e in encs)
        pad = self.vocab["[PAD]"]
        return {
            "input_ids": [e["input_ids"] + [pad] * (n - len(e["input_ids"])) for e in encs],
            "attention_mask": [e["attention_mask"] + [0] * (n - len(e["input_ids"])) for e in encs],
            "token_type_ids": [e["token_type_ids"] + [0] * (n - len(e["input_ids"])) for e in encs],
        }


# ---------------------------------------------------------------- vocabulary

# Characters kept whatever the corpus holds: letters that survive NFD accent
# stripping, a few accented letters (never reached when uncased, as in
# Google's uncased vocabularies), and a few CJK ideographs.
EXTRA_CHARS = list("ßæøðþœłđıĸŋ") + list("éèêàâçîïôûüäöñåáíóú") + list("免费中奖的一是不了人我在有他这你们好")


def build_vocab(texts, n_words=2600, n_pieces=1000, min_char_count=3):
    """A deterministic WordPiece vocabulary from texts: specials, single
    characters and their ## forms, frequent words, then frequent pieces of the
    remaining words (prefixes and ##continuations), ties broken by the string."""
    words = collections.Counter()
    for t in texts:
        words.update(basic_tokenize(t))
    chars = collections.Counter()
    for w, c in words.items():
        for ch in w:
            chars[ch] += c
    single = sorted({ch for ch, c in chars.items() if c >= min_char_count} | {chr(c) for c in range(33, 127) if not chr(c).isupper()} | set(EXTRA_CHARS))
    vocab = list(SPECIALS) + single + ["##" + ch for ch in single]
    seen = set(vocab)
    top = [w for w, c in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])) if len(w) > 1 and c >= 3 and w not in seen][:n_words]
    vocab += top
    seen.update(top)
    pieces = collections.Counter()
    for w, c in words.items():
        if w in seen or len(w) > 30 or c < 2:
            continue
        for k in range(2, min(7, len(w) + 1)):
            pieces[w[:k]] += c
        for i in range(1, len(w)):
            for k in range(2, 6):
                if i + k <= len(w):
                    pieces["##" + w[i : i + k]] += c
    extra = [p for p, c in sorted(pieces.items(), key=lambda kv: (-kv[1], kv[0])) if p not in seen][:n_pieces]
    vocab += extra
    return vocab


# ---------------------------------------------------------------- files


def write_files(out_dir, vocab, max_length):
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "vocab.txt").write_text("".join(t + "\n" for t in vocab), encoding="utf-8")
    ids = {t: i for i, t in enumerate(vocab)}
    added = [
        {"id": ids[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
        for t in SPECIALS
    ]
    tok = {
        "version": "1.0",
        "truncation": {"direction": "Right", "max_length": max_length, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": None, "pad_id": ids["[PAD]"],
                    "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True, "strip_accents": None,
                       "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
                "[CLS]": {"id": "[CLS]", "ids": [ids["[CLS]"]], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [ids["[SEP]"]], "tokens": ["[SEP]"]},
            },
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": MAX_CHARS_PER_WORD, "vocab": ids},
    }
    with open(out_dir / "tokenizer.json", "w", encoding="utf-8") as f:
        json.dump(tok, f, indent=2, ensure_ascii=False)
        f.write("\n")
    cfg = {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "strip_accents": None,
        "tokenize_chinese_chars": True,
        "do_basic_tokenize": True,
        "model_max_length": max_length,
        "unk_token": "[UNK]",
        "sep_token": "[SEP]",
        "pad_token": "[PAD]",
        "cls_token": "[CLS]",
        "mask_token": "[MASK]",
        "clean_up_tokenization_spaces": True,
    }
    with open(out_dir / "tokenizer_config.json", "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
