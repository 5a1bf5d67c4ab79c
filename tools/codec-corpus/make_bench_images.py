#!/usr/bin/env python3
"""Writes the imaging benchmark inputs bench/Rethinker.Bench/Data/imaging/photo_1280x960_*.jpg: a synthetic
photo-like image (smooth gradients, shapes, mild noise) compressed by cjpeg (libjpeg-turbo-progs) at quality 85,
4:2:0, baseline and progressive. Run: /usr/bin/python3 tools/codec-corpus/make_bench_images.py
"""
import os
import subprocess

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "Rethinker.Bench", "Data", "imaging")
w, h = 1280, 960
rng = np.random.default_rng(7)
y, x = np.mgrid[0:h, 0:w].astype(np.float64)
img = np.stack([128 + 100 * np.sin(x / 97.0) * np.cos(y / 131.0), 128 + 90 * np.sin((x + y) / 173.0), 255 * y / h], axis=-1)
for _ in range(40):
    cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(10, 120)
    img[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
img = np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)
ppm = f"P6 {w} {h} 255\n".encode() + img.tobytes()
os.makedirs(OUT, exist_ok=True)
for name, extra in (("baseline420", []), ("progressive420", ["-progressive"])):
    data = subprocess.run(["cjpeg", "-quality", "85", "-sample", "2x2", *extra], input=ppm, check=True, capture_output=True).stdout
    with open(os.path.join(OUT, f"photo_1280x960_{name}.jpg"), "wb") as f:
        f.write(data)
    print(name, len(data))
