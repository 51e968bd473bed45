"""cnn: a small CNN (Conv+BatchNorm+ReLU+MaxPool blocks, global average pool,
Linear head) on scikit-learn's 8x8 digits rendered as 32x32 RGB images.

Data: scikit-learn's bundled digits (BSD-3, shipped in python3-sklearn). Each
8x8 image (values 0..16) becomes pixel values round(v*255/16), upscaled 4x by
pixel replication to 32x32 and replicated to 3 channels: white strokes on
black. Preprocessing: scale 1/255, mean 0.5, std 0.5 per channel, NCHW.

Exported by torch.onnx at opset 17 with training=PRESERVE on the eval-mode
model: the default (EVAL) export folds each BatchNorm into the preceding Conv,
PRESERVE keeps BatchNormalization nodes (inference form) in the graph, as a
user who exports that way gets them.

    /usr/bin/python3 lambda/models/export/digits_cnn.py
"""

import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import common

SEED = 20261130
SIZE = (32, 32)
MEAN = [0.5, 0.5, 0.5]
STD = [0.5, 0.5, 0.5]
LABELS = [str(i) for i in range(10)]
EPOCHS = 12
BATCH = 32
OPSET = 17


class CNN(nn.Module):
    def __init__(self, k=10):
        super().__init__()

        def block(cin, cout, pool):
            layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
            if pool:
                layers.append(nn.MaxPool2d(2))
            return layers

        self.features = nn.Sequential(*block(3, 16, True), *block(16, 32, True), *block(32, 64, False))
        self.head = nn.Linear(64, k)

    def forward(self, x):
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(x)


def to_image(d8):
    """An 8x8 digit (0..16) as a 32x32 RGB PIL image."""
    g = np.rint(np.asarray(d8, np.float64).reshape(8, 8) * 255.0 / 16.0).astype(np.uint8)
    g = np.kron(g, np.ones((4, 4), np.uint8))
    return Image.fromarray(np.stack([g, g, g], -1), "RGB")


def tensors(rows):
    return torch.from_numpy(np.concatenate([common.image_to_nchw(to_image(r), SIZE, MEAN, STD) for r in rows]))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def main():
    common.seed_everything(SEED)
    d = load_digits()
    xtr_r, xte_r, ytr_n, yte_n = train_test_split(d.data, d.target, test_size=0.25, random_state=SEED, stratify=d.target)
    xtr, xte = tensors(xtr_r), tensors(xte_r)
    ytr, yte = torch.from_numpy(ytr_n.astype(np.int64)), torch.from_numpy(yte_n.astype(np.int64))
    model = CNN()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = EPOCHS * ((len(xtr) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    g = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr), BATCH):
            idx = perm[i : i + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print("epoch %d loss %.4f test acc %.4f (%.0fs)" % (epoch + 1, float(loss), accuracy(model, xte, yte), time.time() - t0), flush=True)
    model.eval()
    acc = accuracy(model, xte, yte)
    print("held-out accuracy %.4f" % acc)
    if acc < 0.9:
        sys.exit("accuracy %.4f below 0.9" % acc)

    name = "cnn"
    path = common.model_dir(name) / "model.onnx"
    torch.onnx.export(
        model, torch.zeros(1, 3, *SIZE), str(path), opset_version=OPSET, input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=False,
    )
    common.write_labels(name, LABELS)
    desc = common.check_onnx(path)
    if "BatchNormalization" not in desc["operators"]:
        sys.exit("BatchNormalization was folded away")

    tdir = common.testdata_dir(name)
    files = []
    picks = {}
    for row, y in zip(xte_r, yte_n):
        picks.setdefault(int(y), row)
    for digit in (0, 3, 7):
        to_image(picks[digit]).save(tdir / ("digit%d.png" % digit))
        files.append(("digit%d.png" % digit, "png", True))
        to_image(picks[digit]).save(tdir / ("digit%d.jpg" % digit), quality=90)
        files.append(("digit%d.jpg" % digit, "jpeg", False))
    to_image(picks[5]).convert("L").save(tdir / "gray.png")
    files.append(("gray.png", "png", True))
    a = np.asarray(to_image(picks[2]))
    alpha = np.tile(np.linspace(40, 255, SIZE[1]).astype(np.uint8), (SIZE[0], 1))
    Image.fromarray(np.dstack([a, alpha]), "RGBA").save(tdir / "rgba.png")
    files.append(("rgba.png", "png", True))
    big = np.kron(np.asarray(to_image(picks[8]))[:, :, 0], np.ones((2, 2), np.uint8))
    Image.fromarray(big, "L").convert("RGB").save(tdir / "other-size.png")
    files.append(("other-size.png", "png", False))
    cases = common.image_cases(model, tdir, files, SIZE, MEAN, STD, LABELS)
    common.write_reference(name, {
        "model": name,
        "task": "image-classification",
        "description": "small CNN: 3x(Conv3x3+BatchNorm+ReLU), MaxPool after the first two, global average pool, Linear(64,10)",
        "onnx_opset": OPSET,
        "onnx": desc,
        "labels": LABELS,
        "inputs": desc["inputs"],
        "outputs": desc["outputs"],
        "output": "logits",
        "scores": "logits",
        "preprocess": {"size": list(SIZE), "resize": "direct", "scale": 1 / 255, "mean": MEAN, "std": STD,
                       "layout": "NCHW", "channels": "RGB"},
        "accuracy": {"value": acc, "split": "train_test_split(test_size=0.25, stratify=y, random_state=%d)" % SEED,
                     "train_size": len(ytr_n), "test_size": len(yte_n), "epochs": EPOCHS},
        "data": "scikit-learn bundled digits (BSD-3-Clause), 8x8 values v -> round(v*255/16), 4x pixel replication, gray to RGB",
        "command": "make test-model-" + name,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
