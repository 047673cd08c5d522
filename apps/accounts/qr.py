"""QR codes rendered on the server as SVG (no outside service ever sees the secret)."""
import segno


def qr_svg(data: str) -> str:
    """An inline SVG element for the given text."""
    return segno.make(data, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff", omitsize=False)
