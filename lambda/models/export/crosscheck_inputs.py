"""Writes the preprocessed input tensors of every image reference case as JSON
for crosscheck.js (which has no image decoder): OUT/<model>.inputs.json.

    /usr/bin/python3 lambda/models/export/crosscheck_inputs.py OUT
"""

import json
import sys
from pathlib import Path

from PIL import Image

import common


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for ref_path in sorted(common.TESTDATA.glob("*/reference.json")):
        ref = json.loads(ref_path.read_text(encoding="utf-8"))
        if ref["task"] != "image-classification":
            continue
        pp = ref["preprocess"]
        h, w = pp["size"]
        tensors = {}
        for c in ref["cases"]:
            img = Image.open(ref_path.parent / c["file"])
            img.load()
            if img.size != (w, h):
                img = img.convert("RGB").resize((w, h), Image.BILINEAR)
            x = common.image_to_nchw(img, pp["size"], pp["mean"], pp["std"])
            tensors[c["file"]] = {"shape": list(x.shape), "data": [float(v) for v in x.ravel()]}
        (out / (ref["model"] + ".inputs.json")).write_text(json.dumps(tensors))


if __name__ == "__main__":
    main()
