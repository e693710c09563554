"""Draws the app icons in ``static/pwa/`` from the brand mark (a white 食 on the expo red, as in
``static/img/favicon.svg`` and the header): ``python -m pwa.icons``. Needs a Noto Sans CJK font."""

from PIL import Image, ImageDraw, ImageFont

RED = (200, 16, 46, 255)  # --fx-red
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_FACE = 2  # the Simplified Chinese face of the collection


def draw(size: int, *, maskable: bool = False, round_: bool = True) -> Image.Image:
    scale = 4  # drawn large, then scaled down for smooth edges
    s = size * scale
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the glyph stays inside the central 80 % a launcher may crop to.
        canvas.rectangle([0, 0, s, s], fill=RED)
        glyph = int(s * 0.42)
    elif round_:
        canvas.ellipse([0, 0, s - 1, s - 1], fill=RED)
        glyph = int(s * 0.56)
    else:
        canvas.rectangle([0, 0, s, s], fill=RED)
        glyph = int(s * 0.56)
    font = ImageFont.truetype(FONT, glyph, index=SC_FACE)
    canvas.text(
        (s / 2, s / 2),
        "食",
        font=font,
        fill="white",
        anchor="mm",
        stroke_width=max(1, glyph // 28),
        stroke_fill="white",
    )
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    draw(192).save("static/pwa/icon-192.png", optimize=True)
    draw(512).save("static/pwa/icon-512.png", optimize=True)
    draw(512, maskable=True).save("static/pwa/icon-maskable-512.png", optimize=True)
    # iOS puts its own rounded mask on a square, opaque icon.
    draw(180, round_=False).convert("RGB").save("static/pwa/apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
