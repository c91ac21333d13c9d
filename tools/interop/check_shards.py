#!/usr/bin/env python3
"""Checks a detcon shard dataset directory the way a Python (WebDataset) consumer sees it. Stdlib only.

    python3 tools/interop/check_shards.py DATASET_DIR

Opens every shard (*.tar, recursively) with tarfile, groups members into samples as WebDataset does (key = member
path up to the first dot of its basename, consecutive members), and checks that:
  - every sample has KEY.json, and exactly the files it lists: KEY.<image> and KEY.<maskset>.<format>;
  - label-map PNGs are 16-bit grayscale at the image size, RLE mask lists have size [h, w] and string counts,
    and each mask set holds as many masks as its "segments" says (RLE) ;
  - _manifest.json lists exactly the shards present, with their byte sizes, sha256 and sample counts;
  - totals add up (samples, bytes, shards, inputs = samples + rejected), the dead-letter listing has `rejected`
    lines, and config_sha256 is the sha256 of the canonical JSON of config.
Prints every problem and exits 1 if there is any; prints a one-line summary and exits 0 otherwise.
"""
import hashlib
import json
import os
import re
import struct
import sys
import tarfile

KEY_RE = re.compile(r"^((?:.*/|)[^./]+)[.]([^/]*)$")  # WebDataset's base_plus_ext
PNG_SIG = b"\x89PNG\r\n\x1a\n"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def canonical_json(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def check_sample(shard, key, files, problems):
    where = "%s: sample %s" % (shard, key)
    if "json" not in files:
        problems.append("%s: no %s.json (members: %s)" % (where, key, sorted(files)))
        return
    try:
        meta = json.loads(files["json"].decode("utf-8"))
    except ValueError as e:
        problems.append("%s: %s.json is not JSON: %s" % (where, key, e))
        return
    for field, kind in (("width", int), ("height", int), ("source", str), ("dataset", str), ("split", str),
                        ("image", str), ("masks", dict)):
        if not isinstance(meta.get(field), kind) or isinstance(meta.get(field), bool):
            problems.append("%s: %s.json field %r missing or not %s" % (where, key, field, kind.__name__))
            return
    w, h = meta["width"], meta["height"]
    expected = {"json", meta["image"]}
    if meta["image"] not in ("jpg", "png"):
        problems.append("%s: image format %r is not jpg or png" % (where, meta["image"]))
    for name, info in meta["masks"].items():
        if "." in name or "/" in name:
            problems.append("%s: mask set name %r contains a dot or slash" % (where, name))
        fmt = info.get("format")
        if fmt not in ("png", "json") or not isinstance(info.get("algorithm"), str) \
                or not isinstance(info.get("segments"), int) or not isinstance(info.get("params", {}), dict):
            problems.append("%s: mask set %s has a malformed description %r" % (where, name, info))
            continue
        expected.add(name + "." + fmt)
    missing = sorted(expected - set(files))
    extra = sorted(set(files) - expected)
    if missing:
        problems.append("%s: lacks %s listed in %s.json" % (where, ", ".join(key + "." + m for m in missing), key))
    if extra:
        problems.append("%s: has members not listed in %s.json: %s" % (where, key,
                                                                       ", ".join(key + "." + x for x in extra)))
    image = files.get(meta["image"])
    if image is not None:
        if meta["image"] == "jpg" and not image.startswith(b"\xff\xd8"):
            problems.append("%s: %s.jpg does not start like a JPEG" % (where, key))
        if meta["image"] == "png" and not image.startswith(PNG_SIG):
            problems.append("%s: %s.png does not start like a PNG" % (where, key))
    for name, info in meta["masks"].items():
        data = files.get(name + "." + str(info.get("format")))
        if data is None:
            continue
        member = "%s.%s.%s" % (key, name, info["format"])
        if info["format"] == "png":
            if not data.startswith(PNG_SIG) or data[12:16] != b"IHDR":
                problems.append("%s: %s is not a PNG" % (where, member))
                continue
            pw, ph, depth, color = struct.unpack(">IIBB", data[16:26])
            if (pw, ph) != (w, h):
                problems.append("%s: %s is %dx%d, image is %dx%d" % (where, member, pw, ph, w, h))
            if (depth, color) != (16, 0):
                problems.append("%s: %s is not 16-bit grayscale (depth %d, colour type %d)"
                                % (where, member, depth, color))
        else:
            try:
                masks = json.loads(data.decode("utf-8"))
            except ValueError as e:
                problems.append("%s: %s is not JSON: %s" % (where, member, e))
                continue
            if not isinstance(masks, list):
                problems.append("%s: %s is not a list" % (where, member))
                continue
            for i, m in enumerate(masks):
                if not isinstance(m, dict) or m.get("size") != [h, w] or not isinstance(m.get("counts"), str):
                    problems.append("%s: %s mask %d is not an RLE of size [%d, %d]" % (where, member, i, h, w))
            if len(masks) != info["segments"]:
                problems.append("%s: %s has %d masks, segments says %d" % (where, member, len(masks),
                                                                          info["segments"]))


def read_shard(root, name, problems):
    """Returns the number of samples, checking each; None when the tar is unreadable."""
    samples = 0
    seen = set()
    current_key, files = None, {}
    try:
        with tarfile.open(os.path.join(root, name), "r:") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    problems.append("%s: member %s is not a regular file" % (name, member.name))
                    continue
                m = KEY_RE.match(member.name)
                if not m:
                    problems.append("%s: member %s has no KEY.EXTENSION form" % (name, member.name))
                    continue
                key, ext = m.group(1), m.group(2)
                if key != current_key:
                    if current_key is not None:
                        check_sample(name, current_key, files, problems)
                        samples += 1
                    if key in seen:
                        problems.append("%s: key %s appears again after other samples" % (name, key))
                    seen.add(key)
                    current_key, files = key, {}
                if ext in files:
                    problems.append("%s: duplicate member %s" % (name, member.name))
                files[ext] = tar.extractfile(member).read()
            if current_key is not None:
                check_sample(name, current_key, files, problems)
                samples += 1
    except (tarfile.TarError, OSError, EOFError) as e:
        problems.append("%s: unreadable tar: %s" % (name, e))
        return None
    return samples


def main(root):
    problems = []
    manifest_path = os.path.join(root, "_manifest.json")
    try:
        with open(manifest_path, "rb") as f:
            manifest = json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        print("FAIL: cannot read %s: %s" % (manifest_path, e))
        return 1
    if manifest.get("format") != "detcon-shards/1":
        problems.append("_manifest.json: unknown format %r" % manifest.get("format"))
    config_hash = hashlib.sha256(canonical_json(manifest.get("config"))).hexdigest()
    if config_hash != manifest.get("config_sha256"):
        problems.append("_manifest.json: config_sha256 %s, canonical config hashes to %s"
                        % (manifest.get("config_sha256"), config_hash))

    on_disk = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for fn in filenames:
            if fn.endswith(".tar") and not fn.startswith("."):
                on_disk.add(os.path.relpath(os.path.join(dirpath, fn), root).replace(os.sep, "/"))
    listed = [s["name"] for s in manifest.get("shards", [])]
    for name in sorted(on_disk - set(listed)):
        problems.append("%s: shard on disk but not in _manifest.json" % name)

    total_samples = total_bytes = 0
    for s in manifest.get("shards", []):
        name = s["name"]
        total_samples += s["samples"]
        total_bytes += s["bytes"]
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            problems.append("%s: listed in _manifest.json but missing" % name)
            continue
        size = os.path.getsize(path)
        if size != s["bytes"]:
            problems.append("%s: %d bytes, manifest says %d" % (name, size, s["bytes"]))
        digest = sha256_file(path)
        if digest != s["sha256"]:
            problems.append("%s: sha256 %s, manifest says %s" % (name, digest, s["sha256"]))
        n = read_shard(root, name, problems)
        if n is not None and n != s["samples"]:
            problems.append("%s: %d samples, manifest says %d" % (name, n, s["samples"]))

    totals = manifest.get("totals", {})
    rejected = totals.get("rejected")
    for field, value in (("shards", len(listed)), ("samples", total_samples), ("bytes", total_bytes),
                         ("inputs", total_samples + (rejected or 0))):
        if totals.get(field) != value:
            problems.append("_manifest.json: totals.%s is %r, shards add up to %d" % (field, totals.get(field), value))
    dead_path = os.path.join(root, "_dead_letters.jsonl")
    dead = 0
    if os.path.exists(dead_path):
        with open(dead_path, "rb") as f:
            for no, line in enumerate(f.read().decode("utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                except ValueError as e:
                    problems.append("_dead_letters.jsonl line %d: not JSON: %s" % (no, e))
                    continue
                if not isinstance(d, dict) or not isinstance(d.get("input"), str) \
                        or not isinstance(d.get("reason"), str):
                    problems.append("_dead_letters.jsonl line %d: needs string fields input and reason" % no)
                dead += 1
    if dead != rejected:
        problems.append("_dead_letters.jsonl: %d entries, totals.rejected is %r" % (dead, rejected))

    if problems:
        for p in problems:
            print("FAIL: " + p)
        print("%d problem(s) in %s" % (len(problems), root))
        return 1
    print("OK: %s: %d shards, %d samples, %d rejected, %d bytes"
          % (root, len(listed), total_samples, rejected, total_bytes))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
