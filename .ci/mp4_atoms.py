#!/usr/bin/env python3
"""Checks that an mp4's index (moov) comes before its data (mdat), so it plays while it loads."""
import struct
import sys

path = sys.argv[1]
data = open(path, "rb").read()
order, i = [], 0
while i + 8 <= len(data):
    size, kind = struct.unpack(">I4s", data[i : i + 8])
    order.append(kind.decode("latin-1"))
    if size == 1:
        size = struct.unpack(">Q", data[i + 8 : i + 16])[0]
    i += size if size > 0 else len(data)
if "moov" not in order or "mdat" not in order or order.index("moov") > order.index("mdat"):
    sys.exit(f"{path}: top-level atoms {order}: expected moov before mdat")
print(f"{path}: atoms {' '.join(order)}")
