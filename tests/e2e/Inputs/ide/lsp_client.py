"""A minimal LSP client over a child's stdio, for threadwise-clangd's tests and benchmark.

Standard library only. Every wait has a timeout so that a broken server fails a test instead
of hanging it.
"""
import json
import os
import queue
import subprocess
import threading
import time


class LspError(Exception):
    pass


def file_uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


class Session:
    def __init__(self, argv, stderr_path, cwd=None):
        self.stderr_file = open(stderr_path, "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr_file, cwd=cwd)
        self.messages = queue.Queue()
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    if length is not None:
                        break
                    continue
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            if len(body) < length:
                self.messages.put(None)
                return
            msg = json.loads(body)
            msg["_received"] = time.monotonic()
            self.messages.put(msg)

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return rid

    def wait_for(self, pred, timeout, what):
        """Returns the first message satisfying pred; answers server requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError("timed out after %ss waiting for %s" % (timeout, what))
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                raise LspError("server closed its output while waiting for %s" % what)
            if "method" in msg and "id" in msg:
                # window/workDoneProgress/create and friends: accept.
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            if pred(msg):
                return msg

    def response(self, rid, timeout):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                             "the response to request %d" % rid)

    def initialize(self, root, timeout):
        rid = self.request("initialize", {
            "processId": os.getpid(), "rootUri": file_uri(root),
            "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": True,
                                                                      "codeDescriptionSupport": True},
                                              "codeAction": {"codeActionLiteralSupport": {
                                                  "codeActionKind": {"valueSet": ["quickfix"]}}}}}})
        self.response(rid, timeout)
        self.notify("initialized", {})

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise LspError("server did not exit within %ss" % timeout)

    def stderr_text(self):
        self.stderr_file.flush()
        with open(self.stderr_file.name, "rb") as f:
            return f.read().decode(errors="replace")


def child_pids(pid):
    """Direct children of pid, from /proc."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            kids.append(int(entry))
    return kids


def process_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as f:
                stat = f.read()
            if stat[stat.rfind(")") + 2] == "Z":
                pass  # A zombie still waits for its parent to reap it.
        except OSError:
            return True
        time.sleep(0.05)
    return False


def publish_for(uri):
    return lambda m: m.get("method") == "textDocument/publishDiagnostics" and \
        m["params"]["uri"] == uri


def split_diagnostics(msg):
    diags = msg["params"]["diagnostics"]
    return ([d for d in diags if d.get("source") == "threadwise"],
            [d for d in diags if d.get("source") != "threadwise"])
