#!/usr/bin/python3
"""Regenerates the Pillow reference fixtures (pil_*.png) for resize_test.go.

Run from this directory with Debian's python3 (Pillow 9.4, torchvision 0.14):
    /usr/bin/python3 gen_pil.py
Each case writes pil_<name>_src.png (the input) and pil_<name>_want.png (the
RGB image Pillow/torchvision produce), plus cases.txt listing the geometry.
The Go test needs neither Python nor Pillow.
"""
import numpy as np
from PIL import Image
import torchvision.transforms as T

rng = np.random.default_rng(20261130)


def smooth(h, w, c):
    # Random but structured content: gradients plus noise, so both
    # interpolation and rounding are exercised.
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255 // max(w - 1, 1)), (y * 255 // max(h - 1, 1)), ((x + y) * 7) % 256], -1)
    noise = rng.integers(0, 256, (h, w, 3))
    img = np.where(rng.random((h, w, 1)) < 0.05, noise, base).astype(np.uint8)
    return img[..., :c]


cases = [
    # name, src mode, src w, h, resize_shorter (0: direct), out h, out w
    ("shrink", "RGB", 300, 200, 0, 48, 64),
    ("grow", "RGB", 50, 37, 0, 60, 60),
    ("honly", "RGB", 100, 64, 0, 64, 64),
    ("vonly", "RGB", 64, 131, 0, 64, 64),
    ("shorter", "RGB", 320, 240, 128, 112, 112),
    ("oddcrop", "RGB", 97, 300, 100, 90, 80),
    ("gray", "L", 123, 77, 0, 32, 32),
    ("rgba", "RGBA", 80, 60, 0, 30, 40),
    ("bigshrink", "RGB", 400, 300, 0, 7, 11),
]
with open("cases.txt", "w") as f:
    for name, mode, w, h, rs, oh, ow in cases:
        arr = smooth(h, w, 3)
        if mode == "L":
            src = Image.fromarray(arr[..., 0], "L")
        elif mode == "RGBA":
            alpha = rng.integers(0, 256, (h, w, 1)).astype(np.uint8)
            src = Image.fromarray(np.concatenate([arr, alpha], -1), "RGBA")
        else:
            src = Image.fromarray(arr, "RGB")
        src.save(f"pil_{name}_src.png")
        # What a torchvision pipeline does: convert("RGB") first.
        rgb = src.convert("RGB")
        if rs:
            out = T.CenterCrop((oh, ow))(T.Resize(rs)(rgb))
        else:
            out = T.Resize((oh, ow))(rgb)
        assert out.size == (ow, oh), (name, out.size)
        out.save(f"pil_{name}_want.png")
        f.write(f"{name} {rs} {oh} {ow}\n")
