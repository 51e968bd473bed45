"""Helpers shared by the export scripts: paths, seeds, ONNX checks, references.

Every script runs with Debian's /usr/bin/python3 (python3-torch 1.13,
python3-torchvision, python3-onnx, python3-sklearn) on one thread with fixed
seeds, so a rerun gives the same accuracy and, where torch allows, the same bytes.
"""

import json
import math
import os
import random
from pathlib import Path

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parents[3]
MODELS = ROOT / "lambda" / "models"
TESTDATA = MODELS / "testdata"

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def seed_everything(seed):
    """Fixes every random source and pins torch to one thread."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def model_dir(name):
    d = MODELS / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def testdata_dir(name):
    d = TESTDATA / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_labels(name, labels):
    (model_dir(name) / "labels.txt").write_text("".join(l + "\n" for l in labels), encoding="utf-8")


def softmax64(logits):
    x = np.asarray(logits, dtype=np.float64)
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def floats(a):
    """A JSON-ready list of Python floats (float64, full precision)."""
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


_DTYPES = {
    onnx.TensorProto.FLOAT: "float32",
    onnx.TensorProto.INT64: "int64",
    onnx.TensorProto.DOUBLE: "float64",
    onnx.TensorProto.INT32: "int32",
}


def _value_info(v):
    t = v.type.tensor_type
    shape = []
    for d in t.shape.dim:
        shape.append(d.dim_param if d.HasField("dim_param") else int(d.dim_value))
    return {"name": v.name, "dtype": _DTYPES.get(t.elem_type, str(t.elem_type)), "shape": shape}


def check_onnx(path):
    """Runs onnx.checker (full check with shape inference) and describes the graph."""
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    init = {i.name for i in m.graph.initializer}
    ops = sorted({(n.domain or "ai.onnx", n.op_type) for n in m.graph.node})
    desc = {
        "file": Path(path).name,
        "bytes": os.path.getsize(path),
        "opset_import": {(o.domain or "ai.onnx"): o.version for o in m.opset_import},
        "inputs": [_value_info(i) for i in m.graph.input if i.name not in init],
        "outputs": [_value_info(o) for o in m.graph.output],
        "operators": [op if dom == "ai.onnx" else dom + "." + op for dom, op in ops],
    }
    print("%s: %d bytes, opsets %s, ops %s" % (path, desc["bytes"], desc["opset_import"], " ".join(desc["operators"])))
    return desc


def write_reference(name, ref):
    path = testdata_dir(name) / "reference.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(ref, f, indent=1, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    print("wrote", path)


def assert_close(a, b, tol, what):
    d = float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))
    if not d <= tol:
        raise SystemExit("%s: max difference %.3g > %.3g" % (what, d, tol))
    return d


# ---------------------------------------------------------------- images


def image_to_nchw(img, size, mean, std):
    """The contract's default preprocessing, done the plain way: RGB (gray
    replicated, alpha dropped without compositing), scale 1/255, (x-mean)/std."""
    from PIL import Image

    if img.mode in ("L", "I;16", "I", "1"):
        a = np.asarray(img.convert("L"), dtype=np.float32)
        a = np.stack([a, a, a], axis=-1)
    elif img.mode in ("RGBA", "LA", "P", "RGB", "CMYK", "YCbCr"):
        if img.mode == "LA":
            g = np.asarray(img, dtype=np.float32)[:, :, 0]
            a = np.stack([g, g, g], axis=-1)
        else:
            a = np.asarray(img.convert("RGBA") if img.mode == "P" else img, dtype=np.float32)[:, :, :3]
    else:
        raise ValueError("mode " + img.mode)
    if a.shape[0] != size[0] or a.shape[1] != size[1]:
        raise ValueError("image is %dx%d, want %dx%d" % (a.shape[0], a.shape[1], size[0], size[1]))
    a = a / 255.0
    a = (a - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return a.transpose(2, 0, 1)[None].astype(np.float32)


def image_cases(model, tdir, files, size, mean, std, labels):
    """References for image files already written into tdir: torch eval on the
    pixels PIL decodes. files: list of (file, format, exact). A file of another
    size is resized with PIL bilinear and only its top label is binding."""
    import torch
    from PIL import Image

    cases = []
    for fname, fmt, exact in files:
        img = Image.open(tdir / fname)
        img.load()
        note = None
        if img.size != (size[1], size[0]):
            note = "%dx%d (WxH), not the model size: resized with PIL bilinear for this reference; only top binds" % img.size
            img = img.convert("RGB").resize((size[1], size[0]), Image.BILINEAR)
        x = image_to_nchw(img, size, mean, std)
        with torch.no_grad():
            logits = model(torch.from_numpy(x)).numpy()[0]
        p = softmax64(logits)
        c = {
            "file": fname,
            "format": fmt,
            "mode": Image.open(tdir / fname).mode,
            "size": list(Image.open(tdir / fname).size[::-1]),
            "probabilities": floats(p),
            "logits": floats(logits),
            "top": labels[int(np.argmax(p))],
            "exact": exact,
        }
        if note:
            c["note"] = note
        cases.append(c)
        print("  %-22s %-5s top=%-9s p=%.4f exact=%s" % (fname, fmt, c["top"], p.max(), exact))
    return cases
