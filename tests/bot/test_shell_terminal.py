"""The shell as a person at a terminal meets it: the opening line in the partnership's language,
the prompt drawn again after a reminder, and output piped into `head` ends quietly."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import clean_env

from bot.shell import PROMPT, ShellAdapter
from commands.engine.reply import Reply


def _at_a_terminal(tmp_path: Path, *args: str) -> str:
    """`partnerbot shell ARGS` with a pseudo-terminal as stdin and stdout; types `whoami`, then
    Ctrl-D, and returns what the screen showed."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "shell", "--out", str(tmp_path), *args],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'shell.db'}"),
    )
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 60
    sent = False
    while time.monotonic() < deadline:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        if not sent and PROMPT.encode() in seen:
            os.write(main, b"whoami\n\x04")
            sent = True
    proc.wait(timeout=30)
    os.close(main)
    return seen.decode("utf-8", "replace")


@pytest.mark.e2e
def test_the_opening_line_speaks_the_partnerships_language(tmp_path: Path) -> None:
    shown = _at_a_terminal(tmp_path)
    assert "Skriv `hjælp` (eller `help`); afslut med Ctrl-D." in shown
    assert "Type `help`" not in shown
    english = _at_a_terminal(tmp_path, "--lang", "en")
    assert "Type `help` (or `hjælp`); end with Ctrl-D." in english


def test_the_prompt_is_drawn_again_after_a_reminder() -> None:
    out = io.StringIO()
    ShellAdapter(out=out, prompt=PROMPT).post("local", Reply.text("Mødet begynder om en time."))
    assert out.getvalue().endswith(f"Mødet begynder om en time.\n\n{PROMPT}")
    piped = io.StringIO()
    ShellAdapter(out=piped).post("local", Reply.text("Mødet begynder om en time."))
    assert PROMPT not in piped.getvalue()  # a transcript has no prompts


@pytest.mark.e2e
def test_output_piped_into_head_ends_quietly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "shell", "--out", str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'pipe.db'}"),
    )
    assert proc.stdin and proc.stdout and proc.stderr
    proc.stdin.write(b"help\n" * 200)
    proc.stdin.close()
    proc.stdout.readline()  # `head -1`: read one line, then stop listening
    proc.stdout.close()
    proc.wait(timeout=60)
    error = proc.stderr.read().decode()
    assert "Traceback" not in error and "BrokenPipe" not in error, error
