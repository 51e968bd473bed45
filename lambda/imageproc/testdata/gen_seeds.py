#!/usr/bin/python3
"""Regenerates the small seed images Go's encoders cannot write (a CMYK,
a progressive and a 4:4:4 JPEG, 16-bit and gray+alpha PNGs), used by the
tests and as fuzz seeds. Run from this directory with /usr/bin/python3."""
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
arr = rng.integers(0, 256, (12, 16, 3)).astype(np.uint8)
rgb = Image.fromarray(arr, "RGB")
rgb.convert("CMYK").save("seed_cmyk.jpg", quality=90)
rgb.save("seed_progressive.jpg", quality=90, progressive=True)
rgb.save("seed_444.jpg", quality=90, subsampling=0)
Image.fromarray((arr[..., 0].astype(np.uint16) * 257), "I;16").save("seed_gray16.png")
Image.fromarray(np.stack([arr[..., 0], arr[..., 1]], -1), "LA").save("seed_gray_alpha.png")
