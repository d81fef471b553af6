"""A small language-server client for tests: JSON-RPC with Content-Length framing on stdio.

It starts `python -m indikator lsp` as a real subprocess and speaks the protocol to it the
way an editor does, so tests go through the protocol rather than the server's internals.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["Client"]

TIMEOUT = 30.0  # seconds to wait for any one answer


class Client:
    """One server process; `request` waits for the answer, notifications are kept."""

    def __init__(self, *, lang: str | None = None, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "indikator", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env if env is not None else dict(os.environ),
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.next_id = 0
        self.versions: dict[str, int] = {}
        self.last_version = 0
        self.log: list[bytes] = []  # the server's standard error, drained so it never blocks
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()
        options = {"lang": lang} if lang else None
        # An editor that prefers UTF-8 positions, as some do; UTF-16 is the protocol's default.
        capabilities = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
        self.initialized = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": None,
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )["result"]
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(stream.read(length)))

    def _drain(self) -> None:
        stream = self.process.stderr
        assert stream is not None
        self.log.extend(iter(stream.readline, b""))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send a request and return the whole response (`result` or `error`)."""
        self.next_id += 1
        wanted = self.next_id
        self._send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            if message.get("id") == wanted and "method" not in message:
                return message
            self._keep(message)

    def _keep(self, message: dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self._send({"id": message["id"], "result": None})
        else:
            self.notifications.append(message)

    def diagnostics(
        self, uri: str, where: Callable[[list[dict[str, Any]]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """The diagnostics published for `uri` at its current version (waits for them);
        with `where`, the first publication for which `where` holds."""
        version = self.versions.get(uri)
        while True:
            for message in reversed(self.notifications):
                params = message.get("params", {})
                if (
                    message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri
                    and params.get("version") == version
                    and (where is None or where(params["diagnostics"]))
                ):
                    return list(params["diagnostics"])
            self._keep(self.messages.get(timeout=TIMEOUT))

    def open(self, path: Path, text: str | None = None) -> str:
        """Open a file (its saved text unless `text` is given); returns its URI."""
        uri = path.resolve().as_uri()
        if uri in self.versions:  # close it first, as an editor would have
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        # Versions never repeat in a session, so old diagnostics are never taken for new.
        self.last_version += 1
        self.versions[uri] = self.last_version
        content = path.read_text(encoding="utf-8") if text is None else text
        item = {
            "uri": uri,
            "languageId": "indikator",
            "version": self.versions[uri],
            "text": content,
        }
        self.notify("textDocument/didOpen", {"textDocument": item})
        return uri

    def change(self, uri: str, text: str) -> None:
        """Replace a document's whole text, as an editor's full sync does."""
        self.last_version += 1
        self.versions[uri] = self.last_version
        self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": self.versions[uri]},
                "contentChanges": [{"text": text}],
            },
        )

    def close(self) -> int:
        """Shut the server down; its exit code."""
        self.request("shutdown", {})
        self.notify("exit", {})
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
