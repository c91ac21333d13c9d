#!/usr/bin/python3
"""Real photos at every common size, for bench/fh/run.sh --photos (Debian's /usr/bin/python3, PIL).

Sources: the 12 nature photos of Debian's `mate-backgrounds` (1.3-4.9 MP JPEGs) and one large photo of
`lomiri-wallpapers-20.04` (Kleiber, 20 MP), read from SRC (a directory holding usr/share/backgrounds, e.g. the
packages unpacked with `dpkg-deb -x`, or / when they are installed). Writes lossless PNGs (decoded once by PIL, so
Java and scikit-image segment identical pixels):

  OUT/native/NAME.png        the mate photos at their own size (JPEG-decoded: block artefacts, many equal costs)
  OUT/<size>mp/NAME_i.png    for size in 0.1 0.3 0.5 1 2 3 5 MP: each photo (or, for small sizes, k different
                             crops of it, k = round(1/size) capped at 8) resized to that many pixels (Lanczos)

Usage: photos.py SRC OUT
"""
import os
import sys

from PIL import Image

MATE = ['Aqua', 'Blinds', 'Dune', 'FreshFlower', 'Garden', 'GreenMeadow', 'LadyBird', 'RainDrops', 'Storm',
        'TwoWings', 'Wood', 'YellowFlower']
LOMIRI = ['Kleiber_by_Lukas_Baubkus']
SIZES = [0.1, 0.3, 0.5, 1, 2, 3, 5]


def sources(src):
    base = os.path.join(src, 'usr', 'share', 'backgrounds')
    out = [(n, os.path.join(base, 'mate', 'nature', n + '.jpg')) for n in MATE]
    out += [(n.split('_')[0], os.path.join(base, n + '.jpg')) for n in LOMIRI]
    missing = [p for _, p in out if not os.path.exists(p)]
    if missing:
        sys.exit('photos.py: missing %s (apt-get download mate-backgrounds lomiri-wallpapers-20.04 and unpack them'
                 ' with dpkg-deb -x into SRC)' % ', '.join(missing))
    return out


def crops(img, k):
    """k different windows of the photo, each 1/sqrt(k) of its width and height at most."""
    if k == 1:
        return [img]
    w, h = img.size
    f = 1 / k ** 0.5
    cw, ch = max(16, int(w * f * 1.4)), max(16, int(h * f * 1.4))
    cw, ch = min(cw, w), min(ch, h)
    out = []
    for i in range(k):
        x = (w - cw) * ((i * 37) % k) // max(1, k - 1)
        y = (h - ch) * ((i * 53 + 1) % k) // max(1, k - 1)
        out.append(img.crop((x, y, x + cw, y + ch)))
    return out


def resize_to(img, mp):
    w, h = img.size
    s = (mp * 1e6 / (w * h)) ** 0.5
    return img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS)


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, 'native'), exist_ok=True)
    for name, path in sources(src):
        img = Image.open(path).convert('RGB')
        if name in MATE:
            img.save(os.path.join(out, 'native', name + '.png'))
        for mp in SIZES:
            d = os.path.join(out, ('%gmp' % mp))
            os.makedirs(d, exist_ok=True)
            k = min(8, max(1, round(1 / mp)))
            for i, c in enumerate(crops(img, k)):
                resize_to(c, mp).save(os.path.join(d, '%s_%d.png' % (name, i)))
    for d in sorted(os.listdir(out)):
        files = os.listdir(os.path.join(out, d))
        px = sum(Image.open(os.path.join(out, d, f)).size[0] * Image.open(os.path.join(out, d, f)).size[1]
                 for f in files)
        print('%-8s %3d photos, %.1f MP in all' % (d, len(files), px / 1e6))


if __name__ == '__main__':
    main()
