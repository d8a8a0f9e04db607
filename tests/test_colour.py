"""Colour on a real terminal, none when piped or with NO_COLOR: the installed bdur is run under
a pseudo-terminal (the pty module) and its bytes are read as a terminal would get them."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from conftest import PLAN, installed

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

RED, GREEN, BOLD = b"\x1b[31m", b"\x1b[32m", b"\x1b[1m"



def on_a_terminal(*args: str, columns: int = 200, **env: str) -> bytes:
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items()
               if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(TERM="xterm-256color", **env)
    proc = subprocess.Popen([installed(), *args], stdin=child, stdout=child, stderr=child,
                            env=environ, close_fds=True)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0, out
    return out


def test_gap_in_red_and_green_and_bold_headers_on_a_terminal() -> None:
    out = on_a_terminal("totals", "-f", str(PLAN))
    assert RED + "-€277,851".encode() in out   # 2023 is short
    assert GREEN + "+€145,000".encode() in out  # 2024 has room
    assert BOLD in out


def test_colour_kept_when_the_table_changes_layout() -> None:
    out = on_a_terminal("totals", "-f", str(PLAN), columns=80)
    assert RED + "-€277,851".encode() in out and GREEN + "+€1,207,149".encode() in out


def test_no_colour_with_no_color() -> None:
    out = on_a_terminal("totals", "-f", str(PLAN), NO_COLOR="1")
    assert b"\x1b[" not in out
    assert "-€277,851".encode() in out


def test_no_colour_when_piped() -> None:
    proc = subprocess.run([installed(), "totals", "-f", str(PLAN)], capture_output=True,
                          env={k: v for k, v in os.environ.items() if k != "NO_COLOR"},
                          timeout=60)
    assert proc.returncode == 0
    assert b"\x1b[" not in proc.stdout and "-€277,851".encode() in proc.stdout
