"""Prints the PIL reference values pinned in ResizeTests.swift.

Run with Pillow installed (any venv):  python3 resize_reference.py
PIL resizes 32-bit float ('F' mode) images with the antialiased triangle kernel in double
precision, storing float32 after each pass, which is what `resizeBilinear` documents.
"""
from PIL import Image

def source(h, w):
    # Deterministic, non-linear content so every tap weight matters: v = ((7*y + 3*x) % 11) / 10.
    im = Image.new("F", (w, h))
    im.putdata([((7 * y + 3 * x) % 11) / 10.0 for y in range(h) for x in range(w)])
    return im

def show(name, h, w, oh, ow):
    out = source(h, w).resize((ow, oh), Image.BILINEAR)
    values = list(out.getdata())
    print(f"// {name}: {h}x{w} -> {oh}x{ow}")
    print("[" + ", ".join(repr(round(v, 7)) for v in values) + "]")

show("downscale", 10, 7, 5, 4)     # shorter side 7 -> 4: torchvision size (int(4*10/7), 4) = (5, 4)
show("upscale", 3, 4, 5, 7)
show("mixed", 6, 5, 9, 2)
