"""Runs a command with stdout and/or stderr on a pseudo-terminal, as a user's
terminal would be, and prints what it wrote with control characters made
visible (<ESC>, <CR>) for FileCheck.

usage: pty-run.py [--stdout-tty] [--stderr-tty] [--env NAME=VALUE]... -- <command>...
Prints "stdout:" and "stderr:" sections and the exit code.
"""
import os
import pty
import subprocess
import sys

args = sys.argv[1:]
split = args.index("--")
opts, cmd = args[:split], args[split + 1:]
env = dict(os.environ)
env.pop("NO_COLOR", None)
for i, o in enumerate(opts):
    if o == "--env":
        name, _, value = opts[i + 1].partition("=")
        env[name] = value


def run():
    masters, fds = {}, {}
    for stream, flag in (("stdout", "--stdout-tty"), ("stderr", "--stderr-tty")):
        if flag in opts:
            master, slave = pty.openpty()
            masters[stream], fds[stream] = master, slave
        else:
            fds[stream] = subprocess.PIPE
    proc = subprocess.Popen(cmd, stdout=fds["stdout"], stderr=fds["stderr"], env=env)
    for stream in masters:
        os.close(fds[stream])
    out = {}
    for stream in ("stdout", "stderr"):
        if stream in masters:
            chunks = []
            while True:
                try:
                    data = os.read(masters[stream], 65536)
                except OSError:  # EIO once the child closed its side.
                    break
                if not data:
                    break
                chunks.append(data)
            out[stream] = b"".join(chunks)
        else:
            out[stream] = getattr(proc, stream).read()
    code = proc.wait()
    return out, code


out, code = run()
for stream in ("stdout", "stderr"):
    text = out[stream].decode("utf-8", "replace").replace("\x1b", "<ESC>")
    # A pty turns "\n" into "\r\n"; keep only the carriage returns we wrote.
    text = text.replace("\r\n", "\n").replace("\r", "<CR>")
    print(stream + ":")
    print(text)
print("exit:", code)
