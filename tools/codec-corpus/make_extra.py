#!/usr/bin/env python3
"""Generates tests/Rethinker.Models.Tests/TestData/codecs-extra: PNG/JPEG variants the shared PngSuite/JPEG
corpus lacks, each with PIL's decode as .npy and a manifest in the shared corpus's format, plus PIL bicubic
resize references.

Needs Debian 12's python3-pil (Pillow 9.4.0 + libjpeg-turbo 2.1.5, the reference environment), python3-numpy
and libjpeg-turbo-progs (cjpeg/jpegtran). PNGs are written by the small encoder below (PIL cannot write
interlaced or 16-bit RGB PNGs); JPEGs by cjpeg/jpegtran and PIL. Deterministic: seeded RNG, fixed options.
Run: /usr/bin/python3 tools/codec-corpus/make_extra.py
"""
import io
import json
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np
import PIL
from PIL import Image, features

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Rethinker.Models.Tests", "TestData", "codecs-extra")
RNG = np.random.default_rng(20251121)
ENTRIES = []


def synthetic(w, h, seed):
    """Smooth gradients + shapes + a little noise: exercises chroma and high frequencies."""
    r = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.stack([
        255 * x / max(w - 1, 1),
        255 * (0.5 + 0.5 * np.sin(x / 3.0 + y / 5.0)),
        255 * y / max(h - 1, 1),
    ], axis=-1)
    img[(x - w / 2) ** 2 + (y - h / 2) ** 2 < (min(w, h) / 4) ** 2] = [250, 20, 60]
    img += r.normal(0, 12, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- PNG writer (any type/depth, Adam7, filters)
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(tag, data):
    c = struct.pack(">I", len(data)) + tag + data
    return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: 1-D int array of one row's samples."""
    if depth == 8:
        return samples.astype(np.uint8).tobytes()
    if depth == 16:
        return samples.astype(">u2").tobytes()
    per = 8 // depth
    out = bytearray((len(samples) + per - 1) // per)
    for i, s in enumerate(samples):
        out[i // per] |= int(s) << (8 - depth - (i % per) * depth)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def filter_rows(rows, bpp, first_filter):
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for i, row in enumerate(rows):
        f = (first_filter + i) % 5
        enc = bytearray(len(row))
        for j, v in enumerate(row):
            a = row[j - bpp] if j >= bpp else 0
            b = prev[j]
            c = prev[j - bpp] if j >= bpp else 0
            pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]
            enc[j] = (v - pred) & 0xFF
        out += bytes([f]) + enc
        prev = row
    return bytes(out)


def encode_png(pixels, color_type, depth, interlace=False, palette=None, trns=None, idat_split=None, first_filter=0):
    """pixels: (h, w, channels) integer samples at the given depth."""
    h, w = pixels.shape[:2]
    ch = CHANNELS[color_type]
    bpp = max(1, ch * depth // 8)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = b""
    for k, (x0, y0, dx, dy) in enumerate(passes):
        sub = pixels[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        rows = [pack_row(sub[y].reshape(-1), depth) for y in range(sub.shape[0])]
        raw += filter_rows(rows, bpp, first_filter + k)
    data = zlib.compress(raw, 9)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        out += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    parts = [data] if not idat_split else [data[i:i + idat_split] for i in range(0, len(data), idat_split)]
    for p in parts:
        out += chunk(b"IDAT", p)
    return out + chunk(b"IEND", b"")


# ---------------------------------------------------------------- reference recording (as the shared corpus)
def record(rel, fmt, category, note, optional=False):
    path = os.path.join(ROOT, rel)
    expected = {}
    refs = {}
    stage = "open"
    try:
        im = Image.open(path)
        expected["mode"], expected["size"] = im.mode, list(im.size)
        stage = "load"
        im.load()
        stage = "convert_rgb"
        rgb = np.asarray(im.convert("RGB"))
        refs["rgb"] = save_ref(rel, "rgb", rgb)
        if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
            refs["rgba"] = save_ref(rel, "rgba", np.asarray(im.convert("RGBA")))
        expected["ok"] = True
    except Exception as e:  # noqa: BLE001 - the outcome is what we record
        expected.update(ok=False, error_stage=stage, error_type=type(e).__name__, error_message=str(e).replace(ROOT + "/", ""))
    entry = {"name": rel, "format": fmt, "category": category, "note": note, "expected": expected, "reference": refs}
    if optional:
        entry["optional"] = True
    ENTRIES.append(entry)


def save_ref(rel, kind, arr):
    ref = os.path.join(os.path.dirname(rel), "ref", os.path.basename(rel) + f".{kind}.npy")
    os.makedirs(os.path.join(ROOT, os.path.dirname(ref)), exist_ok=True)
    np.save(os.path.join(ROOT, ref), np.ascontiguousarray(arr, dtype=np.uint8))
    return ref


def write(rel, data):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- PNG variants
def png_variants():
    w, h = 37, 23
    base = synthetic(w, h, 1).astype(np.int64)
    gray8 = base.mean(axis=2).astype(np.int64)
    for depth in (1, 2, 4, 8, 16):
        for inter in (False, True):
            g = (gray8 * ((1 << depth) - 1) // 255) if depth <= 8 else gray8 * 257 + RNG.integers(0, 256, gray8.shape)
            name = f"png/gray{depth}_{'adam7' if inter else 'plain'}.png"
            write(name, encode_png(g[..., None], 0, depth, inter, first_filter=depth))
            record(name, "PNG", "basic_interlaced" if inter else "basic", f"grayscale {depth}-bit, {'Adam7' if inter else 'non-interlaced'}, all filters")
    for depth in (1, 2, 4, 8):
        n = 1 << depth
        pal = RNG.integers(0, 256, (n, 3))
        idx = (gray8 * (n - 1) // 255)
        for inter in (False, True):
            name = f"png/palette{depth}_{'adam7' if inter else 'plain'}.png"
            write(name, encode_png(idx[..., None], 3, depth, inter, palette=pal, first_filter=depth + 1))
            record(name, "PNG", "basic_interlaced" if inter else "basic", f"palette {depth}-bit, {'Adam7' if inter else 'non-interlaced'}")
    for ct, label in ((2, "rgb"), (4, "gray_alpha"), (6, "rgba")):
        for depth in (8, 16):
            for inter in (False, True):
                if ct == 2:
                    px = base
                elif ct == 4:
                    px = np.stack([gray8, base[..., 0]], axis=-1)
                else:
                    px = np.concatenate([base, base[..., 1:2]], axis=-1)
                if depth == 16:
                    px = px * 257 + RNG.integers(0, 256, px.shape)
                name = f"png/{label}{depth}_{'adam7' if inter else 'plain'}.png"
                write(name, encode_png(px, ct, depth, inter, first_filter=ct))
                record(name, "PNG", "basic_interlaced" if inter else "basic", f"{label} {depth}-bit, {'Adam7' if inter else 'non-interlaced'}")
    # tRNS variants
    g8 = gray8.copy(); g8[0, :5] = 77
    write("png/trns_gray8.png", encode_png(g8[..., None], 0, 8, trns=struct.pack(">H", 77)))
    record("png/trns_gray8.png", "PNG", "transparency", "gray 8-bit with tRNS key 77")
    g16 = gray8 * 257; g16[0, :5] = 0x1234; g16[1, :5] = 0x34
    write("png/trns_gray16.png", encode_png(g16[..., None], 0, 16, trns=struct.pack(">H", 0x1234)))
    record("png/trns_gray16.png", "PNG", "transparency", "gray 16-bit with tRNS 0x1234: PIL compares low bytes after clamping")
    rgb = base.copy(); rgb[2, :7] = [10, 20, 30]
    write("png/trns_rgb8.png", encode_png(rgb, 2, 8, trns=struct.pack(">HHH", 10, 20, 30)))
    record("png/trns_rgb8.png", "PNG", "transparency", "RGB 8-bit with tRNS key colour")
    rgb16 = base * 257; rgb16[2, :7] = [0x0A0A, 0x1414, 0x1E1E]
    write("png/trns_rgb16_adam7.png", encode_png(rgb16, 2, 16, True, trns=struct.pack(">HHH", 0x0A0A, 0x1414, 0x1E1E)))
    record("png/trns_rgb16_adam7.png", "PNG", "transparency", "RGB 16-bit interlaced with tRNS")
    pal = RNG.integers(0, 256, (16, 3))
    idx = gray8 * 15 // 255
    write("png/trns_palette_partial.png", encode_png(idx[..., None], 3, 4, True, palette=pal, trns=bytes([0, 128, 255, 40, 7])))
    record("png/trns_palette_partial.png", "PNG", "transparency", "palette with tRNS shorter than PLTE, interlaced")
    write("png/palette_short_plte.png", encode_png(idx[..., None], 3, 4, palette=pal[:6]))
    record("png/palette_short_plte.png", "PNG", "palette", "indices past a 6-entry PLTE (PIL maps them to its gray ramp)")
    write("png/idat_split7.png", encode_png(base, 2, 8, True, idat_split=7))
    record("png/idat_split7.png", "PNG", "idat_split", "Adam7 RGB split into 7-byte IDAT chunks")
    tiny = base[:1, :1]
    write("png/one_pixel_adam7.png", encode_png(tiny, 2, 8, True))
    record("png/one_pixel_adam7.png", "PNG", "odd_size", "1x1 interlaced (only pass 1)")
    wide = synthetic(203, 3, 5).astype(np.int64)
    write("png/wide_203x3_adam7.png", encode_png(wide, 2, 8, True))
    record("png/wide_203x3_adam7.png", "PNG", "odd_size", "203x3 interlaced")
    # Damaged / hostile files
    good = encode_png(base, 2, 8)
    bad_crc = bytearray(good); bad_crc[29] ^= 0xFF  # IHDR CRC
    write("png/bad_ihdr_crc.png", bytes(bad_crc)); record("png/bad_ihdr_crc.png", "PNG", "corrupt", "IHDR CRC wrong")
    write("png/truncated_idat.png", good[: len(good) // 2]); record("png/truncated_idat.png", "PNG", "corrupt", "file cut inside IDAT")
    raw = b"".join(b"\x05" + bytes(w * 3) for _ in range(h))
    bad_filter = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    write("png/bad_filter_type.png", bad_filter); record("png/bad_filter_type.png", "PNG", "corrupt", "filter type 5")
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    write("png/huge_declared_size.png", huge); record("png/huge_declared_size.png", "PNG", "corrupt", "IHDR declares 100000x100000 (decompression bomb guard)")
    bomb_raw = zlib.compress(b"\0" * (20_000_000), 9)  # ~20 KB of zlib that inflates to 20 MB; image needs 37x23
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", bomb_raw) + chunk(b"IEND", b"")
    write("png/inflate_bomb.png", bomb); record("png/inflate_bomb.png", "PNG", "corrupt", "IDAT inflates to 20 MB for a 37x23 image")


# ---------------------------------------------------------------- JPEG variants
def run(args, stdin=None):
    return subprocess.run(args, input=stdin, check=True, capture_output=True).stdout


def ppm(arr):
    h, w = arr.shape[:2]
    if arr.ndim == 2:
        return f"P5 {w} {h} 255\n".encode() + arr.astype(np.uint8).tobytes()
    return f"P6 {w} {h} 255\n".encode() + arr.astype(np.uint8).tobytes()


def cjpeg(name, arr, args, category, note, optional=False):
    data = run(["cjpeg", *args], ppm(arr))
    write(name, data)
    record(name, "JPEG", category, note, optional)
    return data


def jpeg_variants():
    img = synthetic(61, 45, 2)
    gray = img.mean(axis=2).astype(np.uint8)
    for samp, label in (("1x1", "444"), ("2x1", "422"), ("2x2", "420"), ("1x2", "440"), ("4x1", "411"), ("4x2", "410")):
        cjpeg(f"jpeg/baseline_{label}.jpg", img, ["-quality", "85", "-sample", samp], f"baseline_{label}" if label in ("420", "422", "444") else "other_subsampling", f"cjpeg baseline {samp}")
        cjpeg(f"jpeg/progressive_{label}.jpg", img, ["-quality", "85", "-sample", samp, "-progressive"], "progressive", f"cjpeg progressive {samp}")
    for samp, rst in (("2x2", "1"), ("2x1", "2B"), ("1x1", "5B")):
        cjpeg(f"jpeg/restart_{samp}_{rst}.jpg", img, ["-sample", samp, "-restart", rst], "restart", f"baseline {samp}, restart every {rst}")
        cjpeg(f"jpeg/restart_progressive_{samp}_{rst}.jpg", img, ["-sample", samp, "-restart", rst, "-progressive"], "restart", f"progressive {samp}, restart every {rst}")
    cjpeg("jpeg/gray_baseline.jpg", gray, ["-quality", "90"], "grayscale", "grayscale baseline")
    cjpeg("jpeg/gray_progressive_restart.jpg", gray, ["-progressive", "-restart", "3B"], "grayscale", "grayscale progressive with restarts")
    cjpeg("jpeg/rgb_colorspace.jpg", img, ["-rgb"], "adobe_rgb", "cjpeg -rgb: RGB components, no YCbCr")
    cjpeg("jpeg/optimized_q100.jpg", img, ["-quality", "100", "-optimize", "-sample", "2x2"], "baseline_420", "quality 100, optimised Huffman tables")
    cjpeg("jpeg/q5.jpg", img, ["-quality", "5"], "baseline_420", "quality 5 (few coefficients)")
    cjpeg("jpeg/arithmetic.jpg", img, ["-arithmetic"], "arithmetic", "arithmetic coding (optional)", optional=True)
    for w, h in ((1, 1), (2, 3), (3, 2), (5, 7), (17, 9), (33, 31)):
        cjpeg(f"jpeg/odd_{w}x{h}_420.jpg", synthetic(w, h, w * h), ["-sample", "2x2"], "baseline_420_odd_size", f"{w}x{h} 4:2:0 (partial MCUs, tiny chroma)")
        cjpeg(f"jpeg/odd_{w}x{h}_422_prog.jpg", synthetic(w, h, w * h + 1), ["-sample", "2x1", "-progressive"], "baseline_420_odd_size", f"{w}x{h} 4:2:2 progressive")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "seq.txt")
        with open(script, "w") as f:
            f.write("0 1;\n2;\n")  # sequential, two scans (Y+Cb interleaved, then Cr)
        cjpeg("jpeg/sequential_multiscan.jpg", img, ["-sample", "2x2", "-scans", script], "non_interleaved", "sequential JPEG in two scans")
        script = os.path.join(tmp, "prog.txt")
        with open(script, "w") as f:
            f.write("0,1,2: 0-0, 0, 1;\n0: 1-5, 0, 2;\n2: 1-63, 0, 1;\n1: 1-63, 0, 1;\n0: 1-5, 2, 1;\n0: 6-63, 0, 1;\n0,1,2: 0-0, 1, 0;\n2: 1-63, 1, 0;\n1: 1-63, 1, 0;\n0: 1-63, 1, 0;\n")
        cjpeg("jpeg/progressive_custom_scans.jpg", img, ["-sample", "2x2", "-scans", script], "progressive", "custom successive-approximation scan script")
    # CMYK through PIL (Adobe marker, inverted)
    cmyk = Image.fromarray(img).convert("CMYK")
    buf = io.BytesIO(); cmyk.save(buf, "JPEG", quality=90)
    write("jpeg/pil_cmyk.jpg", buf.getvalue()); record("jpeg/pil_cmyk.jpg", "JPEG", "cmyk", "PIL-written CMYK (Adobe, inverted)")
    # Progressive files cut after some scans, EOI appended: PIL decodes them with block smoothing
    prog = open(os.path.join(ROOT, "jpeg/progressive_420.jpg"), "rb").read()
    sos = [i for i in range(len(prog) - 1) if prog[i] == 0xFF and prog[i + 1] == 0xDA]
    for k in (1, 2, 4, 6):
        if k < len(sos):
            name = f"jpeg/progressive_cut_after_{k}_scans.jpg"
            write(name, prog[: sos[k]] + b"\xff\xd9")
            record(name, "JPEG", "progressive_incomplete", f"progressive 4:2:0 with only the first {k} scans, then EOI")
    for k in (1, 5):  # cut inside scan k's entropy data: rows after the cut use the previous scan's smoothing state
        if k + 1 < len(sos):
            cut = (sos[k] + sos[k + 1]) // 2
            name = f"jpeg/progressive_cut_inside_scan_{k}.jpg"
            write(name, prog[:cut] + b"\xff\xd9")
            record(name, "JPEG", "progressive_incomplete", f"progressive 4:2:0 cut in the middle of scan {k + 1}, then EOI")
    for (w, h, samp) in ((12, 40, "2x2"), (9, 70, "1x1"), (150, 9, "2x1")):
        data = run(["cjpeg", "-progressive", "-sample", samp], ppm(synthetic(w, h, w + h)))
        marks = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xDA]
        name = f"jpeg/progressive_{w}x{h}_cut_after_2_scans.jpg"
        write(name, data[: marks[2]] + b"\xff\xd9")
        record(name, "JPEG", "progressive_incomplete", f"{w}x{h} {samp} progressive, 2 scans (smoothing at narrow edges)")
    gprog = run(["cjpeg", "-progressive", "-grayscale"], ppm(img))
    marks = [i for i in range(len(gprog) - 1) if gprog[i] == 0xFF and gprog[i + 1] == 0xDA]
    write("jpeg/gray_progressive_cut_after_3_scans.jpg", gprog[: marks[3]] + b"\xff\xd9")
    record("jpeg/gray_progressive_cut_after_3_scans.jpg", "JPEG", "progressive_incomplete", "grayscale progressive, 3 scans")
    write("jpeg/progressive_truncated_no_eoi.jpg", prog[: (sos[3] + sos[4]) // 2])
    record("jpeg/progressive_truncated_no_eoi.jpg", "JPEG", "corrupt", "progressive cut inside a scan without EOI (PIL: truncated)")
    base = open(os.path.join(ROOT, "jpeg/baseline_420.jpg"), "rb").read()
    write("jpeg/truncated_baseline.jpg", base[: len(base) * 2 // 3])
    record("jpeg/truncated_baseline.jpg", "JPEG", "corrupt", "baseline cut inside the scan, no EOI")
    sof = base.index(b"\xff\xc0")
    big = bytearray(base); big[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    write("jpeg/huge_declared_size.jpg", bytes(big)); record("jpeg/huge_declared_size.jpg", "JPEG", "corrupt", "SOF declares 65000x65000")
    dht = base.index(b"\xff\xc4")
    bad = bytearray(base); bad[dht + 5:dht + 21] = bytes([0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    write("jpeg/bad_huffman_table.jpg", bytes(bad)); record("jpeg/bad_huffman_table.jpg", "JPEG", "corrupt", "DHT with 4+4 codes of length 1-2 (overflow)")


# ---------------------------------------------------------------- bicubic resize references
def resize_refs():
    cases = [((40, 30), (84, 56)), ((150, 97), (56, 28)), ((61, 45), (61, 90)), ((61, 45), (30, 45)), ((300, 200), (112, 84)), ((7, 5), (56, 28))]
    out = []
    for i, ((w, h), (ow, oh)) in enumerate(cases):
        src = synthetic(w, h, 100 + i)
        dst = np.asarray(Image.fromarray(src).resize((ow, oh), Image.BICUBIC))
        s = save_ref(f"resize/case{i}.npy", "src", src)
        d = save_ref(f"resize/case{i}.npy", "resized", dst)
        out.append({"src": s, "resized": d, "size": [ow, oh]})
    return out


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    png_variants()
    jpeg_variants()
    resize = resize_refs()
    manifest = {
        "corpus": "extra PNG/JPEG variants generated by tools/codec-corpus/make_extra.py, decoded by PIL",
        "reference_environment": {
            "pillow_version": PIL.__version__, "libjpeg_turbo": features.version("libjpeg_turbo"),
            "cjpeg": "libjpeg-turbo-progs (Debian 12)",
            "numpy_version": np.__version__,
        },
        "files": ENTRIES,
        "resize": resize,
    }
    with open(os.path.join(ROOT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"{len(ENTRIES)} files, {len(resize)} resize cases")


if __name__ == "__main__":
    main()
