#!/usr/bin/python3
"""Writes cnn/<file>.f32: the input tensor (float32, little endian, NCHW
1x3x32x32) that the models branch's exporter (lambda/models/export/common.py,
image_to_nchw, with a PIL BILINEAR resize for other sizes) computes for the
cnn test model's images copied into cnn/. Run:
    /usr/bin/python3 gen_cnn_ref.py PATH/TO/lambda/models/export
"""
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, sys.argv[1])
import common  # noqa: E402

SIZE, MEAN, STD = (32, 32), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]
for name in ["digit3.png", "gray.png", "rgba.png", "other-size.png"]:
    img = Image.open("cnn/" + name)
    img.load()
    if img.size != (SIZE[1], SIZE[0]):
        img = img.convert("RGB").resize((SIZE[1], SIZE[0]), Image.BILINEAR)
    x = common.image_to_nchw(img, SIZE, MEAN, STD)
    assert x.shape == (1, 3, 32, 32) and x.dtype == np.float32
    x.astype("<f4").tofile("cnn/" + name + ".f32")
