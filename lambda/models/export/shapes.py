"""mobilenet, mobilenet17: torchvision MobileNetV2 (width 0.25) on synthetic shapes.

Data: 64x64 RGB images drawn with PIL from a seeded generator (a circle, a
square or a triangle of random colour, size, position and rotation over a
noisy background of random colour); nothing is downloaded. Preprocessing is
the contract's default: scale 1/255, ImageNet mean/std, NCHW. The same
trained weights are exported by torch.onnx at opset 13 (mobilenet) and 17
(mobilenet17).

    /usr/bin/python3 lambda/models/export/shapes.py
"""

import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image, ImageDraw

import common

SEED = 20261130
SIZE = (64, 64)
LABELS = ["circle", "square", "triangle"]
N_TRAIN, N_TEST = 6000, 900
EPOCHS = 12
BATCH = 32
WIDTH = 0.25


def draw(rng, label, w=64, h=64, min_size=None):
    """One image as a PIL RGB image; rng is a numpy RandomState."""
    bg = rng.randint(0, 256, size=3)
    noise = rng.normal(0, rng.uniform(4, 24), size=(h, w, 3))
    base = np.clip(bg[None, None, :] + noise, 0, 255).astype(np.uint8)
    img = Image.fromarray(base, "RGB")
    # A fill colour far enough from the background to be seen.
    while True:
        fg = rng.randint(0, 256, size=3)
        if np.abs(fg - bg).sum() > 160:
            break
    lo = min_size or int(0.22 * min(w, h))
    r = rng.uniform(lo, 0.42 * min(w, h)) / 2 * 2  # "radius" (half the extent)
    cx = rng.uniform(r + 1, w - r - 1)
    cy = rng.uniform(r + 1, h - r - 1)
    d = ImageDraw.Draw(img)
    col = tuple(int(v) for v in fg)
    if label == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)
    else:
        n = 4 if label == "square" else 3
        rot = rng.uniform(0, 2 * math.pi)
        rr = r if n == 3 else r * 0.95
        pts = [(cx + rr * math.cos(rot + 2 * math.pi * k / n), cy + rr * math.sin(rot + 2 * math.pi * k / n)) for k in range(n)]
        d.polygon(pts, fill=col)
    return img


def dataset(seed, n):
    rng = np.random.RandomState(seed)
    xs = np.empty((n, 3, SIZE[0], SIZE[1]), np.float32)
    ys = np.empty(n, np.int64)
    for i in range(n):
        y = i % len(LABELS)
        img = draw(rng, LABELS[y])
        xs[i] = common.image_to_nchw(img, SIZE, common.IMAGENET_MEAN, common.IMAGENET_STD)[0]
        ys[i] = y
    return torch.from_numpy(xs), torch.from_numpy(ys)


def build():
    return torchvision.models.mobilenet_v2(width_mult=WIDTH, num_classes=len(LABELS))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(x[i : i + 256]).argmax(1) for i in range(0, len(x), 256)])
    return float((pred == y).float().mean())


def train():
    common.seed_everything(SEED)
    xtr, ytr = dataset(SEED, N_TRAIN)
    xte, yte = dataset(SEED + 1, N_TEST)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-4)
    steps = EPOCHS * ((N_TRAIN + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=steps)
    g = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        t0 = time.time()
        model.train()
        perm = torch.randperm(N_TRAIN, generator=g)
        total = 0.0
        for i in range(0, N_TRAIN, BATCH):
            idx = perm[i : i + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        print("epoch %d loss %.4f test acc %.4f (%.0fs)" % (epoch + 1, total / N_TRAIN, accuracy(model, xte, yte), time.time() - t0))
    acc = accuracy(model, xte, yte)
    return model.eval(), acc


def export(model, name, opset):
    path = common.model_dir(name) / "model.onnx"
    x = torch.zeros(1, 3, SIZE[0], SIZE[1])
    torch.onnx.export(
        model, x, str(path), opset_version=opset, input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True,
    )
    common.write_labels(name, LABELS)
    return common.check_onnx(path)


def test_images(tdir):
    """The reference inputs: PNG/JPEG at 64x64, grayscale, RGBA, and a 100x80 PNG."""
    rng = np.random.RandomState(SEED + 2)
    files = []
    for i, lab in enumerate(LABELS):
        img = draw(rng, lab)
        img.save(tdir / ("%s.png" % lab), optimize=False)
        files.append(("%s.png" % lab, "png", True))
        img.save(tdir / ("%s.jpg" % lab), quality=90)
        files.append(("%s.jpg" % lab, "jpeg", False))
    img = draw(rng, "triangle")
    img.convert("L").save(tdir / "gray.png")
    files.append(("gray.png", "png", True))
    img = draw(rng, "circle")
    a = np.asarray(img)
    alpha = np.tile(np.linspace(40, 255, SIZE[1]).astype(np.uint8), (SIZE[0], 1))
    Image.fromarray(np.dstack([a, alpha]), "RGBA").save(tdir / "rgba.png")
    files.append(("rgba.png", "png", True))
    img = draw(rng, "square", w=100, h=80, min_size=40)
    img.save(tdir / "other-size.png")
    files.append(("other-size.png", "png", False))
    return files


def main():
    model, acc = train()
    print("held-out accuracy %.4f" % acc)
    if acc < 0.9:
        sys.exit("accuracy %.4f below 0.9" % acc)
    for name, opset in (("mobilenet", 13), ("mobilenet17", 17)):
        desc = export(model, name, opset)
        tdir = common.testdata_dir(name)
        files = test_images(tdir)
        cases = common.image_cases(model, tdir, files, SIZE, common.IMAGENET_MEAN, common.IMAGENET_STD, LABELS)
        common.write_reference(name, {
            "model": name,
            "task": "image-classification",
            "description": "torchvision MobileNetV2 width %.2f, %d classes, synthetic shapes 64x64" % (WIDTH, len(LABELS)),
            "onnx_opset": opset,
            "onnx": desc,
            "labels": LABELS,
            "inputs": desc["inputs"],
            "outputs": desc["outputs"],
            "output": "logits",
            "scores": "logits",
            "preprocess": {"size": list(SIZE), "resize": "direct", "scale": 1 / 255, "mean": common.IMAGENET_MEAN,
                           "std": common.IMAGENET_STD, "layout": "NCHW", "channels": "RGB"},
            "accuracy": {"value": acc, "split": "synthetic held-out set drawn with seed %d" % (SEED + 1),
                         "train_size": N_TRAIN, "test_size": N_TEST, "epochs": EPOCHS},
            "data": "synthetic shapes drawn with PIL (seed %d); no third-party data" % SEED,
            "command": "make test-model-" + name,
            "cases": cases,
        })


if __name__ == "__main__":
    main()
