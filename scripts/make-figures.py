#!/usr/bin/env python3
"""Makes the figures of source/alzheimer-blood-test.json, deterministically:

  source/figures/accuracy-chart.png  a bar chart of the diagnostic accuracies the article cites
  source/figures/blood-tubes.jpg     an illustration of blood collection tubes in a rack, rendered
                                     from gradients, shapes, blur and seeded grain (not a photograph)

Both are the project's own work, under the repository's licence. The chart's labels are set in the
repository's Noto Sans SC. Needs Pillow (pip install pillow); the files are committed, so building
and testing the handouts never runs this script.

    python3 scripts/make-figures.py
"""

import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "source" / "figures"
FONT = ROOT / "fonts" / "NotoSansSC-Regular.ttf"
BOLD = ROOT / "fonts" / "NotoSansSC-Bold.ttf"

# Palmqvist et al., JAMA 2024 (BioFINDER primary and secondary care): diagnostic accuracy of the
# clinicians' usual work-up against the blood test (APS2).
BARS = [
    ("基层医生常规评估", 61, (150, 158, 168)),
    ("专科医生常规评估", 73, (112, 124, 138)),
    ("血液检测（APS2）", 91, (0, 122, 120)),
]


def chart(path: Path) -> None:
    w, h = 960, 560
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    label = ImageFont.truetype(str(FONT), 26)
    small = ImageFont.truetype(str(FONT), 22)
    value = ImageFont.truetype(str(BOLD), 30)
    left, right, top, bottom = 110, w - 40, 40, h - 90
    # Grid lines and the axis, every 20 %.
    for pct in range(0, 101, 20):
        y = bottom - (bottom - top) * pct / 100
        d.line([(left, y), (right, y)], fill=(225, 228, 232) if pct else (60, 60, 60), width=2)
        text = f"{pct}%"
        tw = d.textlength(text, font=small)
        d.text((left - 14 - tw, y - 14), text, font=small, fill=(60, 60, 60))
    slot = (right - left) / len(BARS)
    for i, (name, pct, colour) in enumerate(BARS):
        x0 = left + slot * i + slot * 0.22
        x1 = left + slot * (i + 1) - slot * 0.22
        y = bottom - (bottom - top) * pct / 100
        d.rectangle([x0, y, x1, bottom - 1], fill=colour)
        text = f"{pct}%"
        tw = d.textlength(text, font=value)
        d.text(((x0 + x1 - tw) / 2, y - 42), text, font=value, fill=(30, 30, 30))
        tw = d.textlength(name, font=label)
        d.text(((x0 + x1 - tw) / 2, bottom + 22), name, font=label, fill=(30, 30, 30))
    img.save(path, format="PNG", optimize=True, dpi=(160, 160))


def vertical_gradient(w: int, h: int, top: tuple, bottom: tuple) -> Image.Image:
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / (h - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize((w, h))


def tubes(path: Path) -> None:
    rng = random.Random(20250616)
    w, h = 800, 533
    img = vertical_gradient(w, h, (150, 170, 186), (204, 212, 220))
    # Out-of-focus lights behind the bench.
    bokeh = Image.new("RGB", (w, h), (0, 0, 0))
    b = ImageDraw.Draw(bokeh)
    for _ in range(26):
        x, y, r = rng.randrange(w), rng.randrange(h // 2), rng.randrange(18, 60)
        tone = rng.choice([(255, 244, 214), (214, 236, 255), (255, 255, 255)])
        b.ellipse([x - r, y - r, x + r, y + r], fill=tuple(c // 3 for c in tone))
    img = ImageChops.screen(img, bokeh.filter(ImageFilter.GaussianBlur(14)))
    # The bench.
    bench = vertical_gradient(w, h - 380, (188, 192, 196), (150, 154, 160))
    img.paste(bench, (0, 380))
    # The rack: a white plastic block with a shadow.
    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).rounded_rectangle([150, 372, 690, 430], 12, fill=120)
    img.paste((70, 74, 80), (0, 0), shadow.filter(ImageFilter.GaussianBlur(10)))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([140, 300, 680, 400], 10, fill=(244, 245, 246))
    d.rectangle([140, 300, 680, 316], fill=(252, 252, 252))
    # Five tubes: glass, dark red blood, a lavender cap, a label.
    for i in range(5):
        cx = 200 + i * 105
        tube = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        t = ImageDraw.Draw(tube)
        t.rounded_rectangle([cx - 26, 120, cx + 26, 372], 24, fill=(225, 232, 238, 150))
        level = 214 + rng.randrange(-12, 12)
        t.rounded_rectangle([cx - 22, level, cx + 22, 368], 20, fill=(122, 14, 24, 245))
        t.rectangle([cx - 22, level, cx + 22, level + 8], fill=(150, 30, 38, 245))
        t.rectangle([cx - 23, 190, cx + 23, 262], fill=(250, 250, 246, 235))
        for k in range(4):
            t.line([(cx - 16, 204 + k * 12), (cx + 8 - k * 5, 204 + k * 12)], fill=(120, 120, 130, 255), width=2)
        t.rounded_rectangle([cx - 30, 86, cx + 30, 134], 8, fill=(146, 112, 190, 255))
        t.rectangle([cx - 30, 96, cx + 30, 100], fill=(120, 88, 166, 255))
        t.line([(cx - 16, 136), (cx - 16, 360)], fill=(255, 255, 255, 120), width=5)
        img.paste(tube, (0, 0), tube)
    # A shallow depth of field, then grain, as a camera would give.
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.frombytes("L", (w, h), rng.randbytes(w * h)).convert("RGB")
    img = Image.blend(img, grain, 0.06)
    img.save(path, format="JPEG", quality=84, dpi=(150, 150), optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    chart(OUT / "accuracy-chart.png")
    tubes(OUT / "blood-tubes.jpg")
    for p in sorted(OUT.iterdir()):
        print(f"{p.relative_to(ROOT)}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
