#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkinitramfs.py OUT INIT BUSYBOX HVTOOL: the Linux guest test's initramfs, a newc cpio archive.

Written here rather than with cpio(1), which Debian does not install by default, and so that /dev/console
can be a device node without root: the kernel opens it for /init's output before anything is mounted."""
import os
import sys

S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 2 if mode & S_IFDIR else 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name_b
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def main():
    out, init, busybox, hvtool = sys.argv[1:5]
    items = [("dev", S_IFDIR | 0o755, b""), ("dev/console", S_IFCHR | 0o600, b""), ("bin", S_IFDIR | 0o755, b""),
             ("init", S_IFREG | 0o755, open(init, "rb").read()),
             ("bin/busybox", S_IFREG | 0o755, open(busybox, "rb").read()),
             ("bin/hvtool", S_IFREG | 0o755, open(hvtool, "rb").read())]
    blob = b""
    for ino, (name, mode, data) in enumerate(items, start=1):
        blob += entry(ino, name, mode, data, (5, 1) if name == "dev/console" else (0, 0))
    blob += entry(0, "TRAILER!!!", 0)
    blob += b"\0" * (-len(blob) % 512)
    with open(out + ".tmp", "wb") as f:
        f.write(blob)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
