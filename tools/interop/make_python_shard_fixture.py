#!/usr/bin/env python3
"""Writes core/src/test/resources/shard/python-tarfile.tar, the shard fixture written by Python's tarfile that
ShardReaderTest reads. Stdlib only; run with any python3:
    python3 tools/interop/make_python_shard_fixture.py core/src/test/resources/shard/python-tarfile.tar

Two samples in tarfile's default (PAX) format; the second sample's KEY.json carries a PAX extended header, so the
Java reader's PAX path is exercised. The label map is a 3x2 16-bit grayscale PNG made with zlib, holding
0, 1, 65535 / 256, 2, 7.
"""
import io
import json
import struct
import sys
import tarfile
import zlib


def png_gray16(width, height, rows):
    raw = b"".join(b"\x00" + struct.pack(">%dH" % width, *row) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def add(tar, name, data, pax=None):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    info.mode = 0o644
    if pax:
        info.pax_headers = pax
    tar.addfile(info, io.BytesIO(data))


def main(out):
    label_png = png_gray16(3, 2, [[0, 1, 65535], [256, 2, 7]])
    with tarfile.open(out, "w") as tar:
        for i, key in enumerate(["py_sample_0", "py_sample_1"]):
            meta = {
                "width": 3, "height": 2, "source": "file:/fixtures/%s.png" % key, "dataset": "fixture",
                "split": "test", "image": "png",
                "masks": {
                    "gt": {"algorithm": "gt", "params": {"note": "python"}, "segments": 6, "format": "png"},
                    "inst": {"algorithm": "gt", "params": {}, "segments": 1, "format": "json"},
                },
            }
            add(tar, key + ".png", label_png)  # any PNG will do as "the image"
            add(tar, key + ".gt.png", label_png)
            add(tar, key + ".inst.json",
                json.dumps([{"size": [2, 3], "counts": "1b0", "category_id": 3 + i}]).encode())
            add(tar, key + ".json", json.dumps(meta, indent=1).encode(),
                pax={"comment": "written by python tarfile"} if i == 1 else None)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/shard/python-tarfile.tar")
