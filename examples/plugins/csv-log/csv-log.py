#!/usr/bin/env python3
"""limber exec plugin (observer): append every outcome to a CSV file.

Speaks limber's JSON-lines protocol on stdin/stdout (docs/plugins.md):
answers the hello, then appends one row per {"type": "outcome"} message.
Diagnostics go to stderr, which limberd sends to the journal.
"""
import csv
import json
import os
import sys

PROTOCOL = 1
HEADER = ["at", "kind", "rule", "reminder", "due_at", "exercises", "snooze_seconds", "note"]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def default_path():
    state = os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state")
    return os.path.join(state, "limber", "outcomes.csv")


def cell(text):
    """A note a spreadsheet would run as a formula (=, +, -, @ first) is made text (OWASP)."""
    text = str(text)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def append(path, outcome):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(HEADER)
        writer.writerow([
            outcome.get("at", ""), outcome.get("kind", ""), outcome.get("rule", ""), outcome.get("reminder", ""),
            outcome.get("due_at", ""), " ".join(e.get("id", "") for e in outcome.get("exercises", [])),
            outcome.get("snooze_seconds", ""), cell(outcome.get("note", "")),
        ])


def main():
    path = default_path()
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        try:
            message = json.loads(line)
        except ValueError:
            print(f"csv-log: not JSON: {line.strip()[:80]}", file=sys.stderr)
            continue
        kind = message.get("type")
        if kind == "hello":
            if message.get("protocol") != PROTOCOL:
                print(f"csv-log: limberd speaks protocol {message.get('protocol')}, I speak {PROTOCOL}", file=sys.stderr)
                send({"type": "hello", "protocol": PROTOCOL})
                return 1
            configured = (message.get("settings") or {}).get("file") or ""
            if configured:
                path = os.path.expanduser(configured)
            send({"type": "hello", "protocol": PROTOCOL})
            send({"type": "status", "detail": f"writing {path}"})
        elif kind == "outcome":
            outcome = message.get("outcome") or {}
            try:
                append(path, outcome)
            except OSError as e:
                send({"type": "log", "level": "error", "message": f"cannot write {path}: {e}"})
                continue
            send({"type": "log", "level": "debug", "message": f"recorded {outcome.get('kind')} for {outcome.get('rule')}"})
        elif kind == "stop":
            return 0


if __name__ == "__main__":
    sys.exit(main())
