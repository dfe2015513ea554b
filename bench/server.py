"""Times `srmlint server` on one controls file: the check behind the diagnostics after a
change, from the end of the debounce to the diagnostics on the wire.

Usage: python3 bench/server.py SRMLINT CONTROLS_FILE [RUNS]

The server is started with `initializationOptions.debounceMs = 0`, so the debounce
ends when the change arrives; each run sends one change (a new comment line, so every
text differs and nothing can be cached by text) and waits for the diagnostics of that
version. Prints the median, the fastest, the 90th percentile and the slowest, in ms.
Only the Python standard library is used.
"""

import json
import pathlib
import statistics
import subprocess
import sys
import time


def main():
    srmlint, controls = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    if "/" in srmlint:
        srmlint = str(pathlib.Path(srmlint).resolve())
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    text = controls.read_text()
    uri = controls.as_uri()
    server = subprocess.Popen(
        [srmlint, "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=controls.parent,
    )

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive():
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, value = line.decode().split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(server.stdout.read(length))

    def diagnostics_of(version):
        while True:
            message = receive()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return params["diagnostics"]

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": None, "capabilities": {},
                     "initializationOptions": {"debounceMs": 0}}})
    receive()
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "toml",
                                      "version": 1, "text": text}}})
    findings = len(diagnostics_of(1))
    times = []
    for version in range(2, runs + 2):
        changed = f"{text}\n# edit {version}\n"
        started = time.perf_counter()
        send({"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": uri, "version": version},
                         "contentChanges": [{"text": changed}]}})
        diagnostics_of(version)
        times.append((time.perf_counter() - started) * 1000)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait(timeout=30)
    times.sort()
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(f"{controls} ({controls.stat().st_size} bytes, {findings} findings), {runs} changes:")
    print(f"median {statistics.median(times):.1f} ms, fastest {times[0]:.1f}, "
          f"p90 {p90:.1f}, slowest {times[-1]:.1f} (target: median <= 50 ms)")


if __name__ == "__main__":
    main()
