"""Swap a freshly built directory in for the live one, atomically where Linux allows.

`renameat2(RENAME_EXCHANGE)` exchanges the two directory entries in one step: the live path
never disappears, and a server that opens files by that path (nginx, Saring's own file server)
serves the new files from the next request on; a file already opened keeps reading the old one
whole. Elsewhere (another OS, a file system without the flag) two `os.replace` calls leave the
path missing for a moment between them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import sys
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2

_libc = None


def _renameat2():
    global _libc
    if not sys.platform.startswith("linux"):
        return None
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    func = getattr(_libc, "renameat2", None)
    if func is not None:
        func.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        func.restype = ctypes.c_int
    return func


def exchange(a: Path, b: Path) -> bool:
    """Exchange the entries `a` and `b` atomically; False when this system cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> Path | None:
    """Make `new` live at `target`. Returns where the previous site now is (to be removed by
    the caller), or None when there was none. `new` and `target` share a parent directory."""
    if not target.exists():
        os.replace(new, target)
        return None
    if exchange(new, target):
        return new  # the old site now sits at the new one's former path
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    os.replace(new, target)
    return old
