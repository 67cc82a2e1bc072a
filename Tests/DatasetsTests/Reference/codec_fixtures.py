"""Prints the small PNG/JPEG fixtures embedded (base64) in CodecTests.swift.

Run with Pillow installed:  python3 codec_fixtures.py
The pixel values follow formulas that the tests recompute, so the decoders are checked against
the images PIL encoded, not against the kit's own encoder.
"""
import base64, io
from PIL import Image

def encode(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return base64.b64encode(buf.getvalue()).decode()

# RGB 4 wide x 3 high: R = 60*x + 10, G = 100*y + 5, B = 17*(x + 4*y).
rgb = Image.new("RGB", (4, 3))
rgb.putdata([(60 * x + 10, 100 * y + 5, 17 * (x + 4 * y)) for y in range(3) for x in range(4)])
print("rgbPNG:", encode(rgb, "PNG"))

# Grey 5 wide x 2 high: v = 25*(x + 5*y).
grey = Image.new("L", (5, 2))
grey.putdata([25 * (x + 5 * y) for y in range(2) for x in range(5)])
print("greyPNG:", encode(grey, "PNG"))

# Grey 16x16 JPEG: left half 64, right half 192 (block-aligned, so quality 100 decodes exactly
# within rounding), and what PIL decodes from it.
flat = Image.new("L", (16, 16))
flat.putdata([64 if x < 8 else 192 for y in range(16) for x in range(16)])
data = encode(flat, "JPEG", quality=100)
print("greyJPEG:", data)
back = Image.open(io.BytesIO(base64.b64decode(data)))
print("greyJPEG decoded by PIL, row 0:", list(back.getdata())[:16])

# Colour 16x16 JPEG, quality 95, 4:4:4: red left half, blue right half; PIL's decode of pixel (0,0) and (15,15).
col = Image.new("RGB", (16, 16))
col.putdata([(200, 30, 40) if x < 8 else (20, 60, 220) for y in range(16) for x in range(16)])
data = encode(col, "JPEG", quality=95, subsampling=0)
print("rgbJPEG:", data)
back = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
print("rgbJPEG decoded by PIL (0,0), (15,15):", back.getpixel((0, 0)), back.getpixel((15, 15)))
