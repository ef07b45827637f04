#!/usr/bin/env python3
"""Recompute every hash and the digest of an exported BuurtWerkKamer ledger log.

Needs only Python 3's standard library, and none of the ledger's code: an auditor can check the
log without trusting the service. The hash is documented in docs/verification.md.

Usage: python3 tools/verify_log.py [--at POSITION] page-1.json [page-2.json ...]
Each file is one answer of GET /audit/events ({"events": [...], "next": ...}) or a JSON list of
events. Pass all pages of the whole log, in order. Prints the digest and exits 0 when every hash
recomputes; prints the first bad position and exits 1 when one does not. With --at, only the events
up to and including POSITION count: the digest there is the one GET /audit/digest?at= gives.
"""
import hashlib
import json
import sys

GENESIS = "0" * 64
# The event's metadata as the service hashed it: the audit export spreads it over these fields.
METADATA_FIELDS = ("recordedAt", "recordedBy", "correlationId", "causationId", "idempotencyKey", "reason")


def canonical(value):
    """RFC 8785 (JCS) for the values the log holds: objects, arrays, strings, integers, booleans, null."""
    if isinstance(value, dict):
        # JCS sorts keys by their UTF-16 code units (not by code points: they differ above U+FFFF).
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(canonical(key) + ":" + canonical(value[key]) for key in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, float):
        raise ValueError("a non-integer number: the log stores amounts as strings, never as numbers")
    # Strings: escape only '"', '\\' and control characters, as JSON.stringify and JCS do.
    return json.dumps(value, ensure_ascii=False)


def event_hash(previous_hash, event):
    metadata = {field: event[field] for field in METADATA_FIELDS if field in event}
    body = {"stream": event["stream"], "revision": event["revision"], "type": event["type"], "data": event["data"], "metadata": metadata}
    return hashlib.sha256((previous_hash + "\n" + canonical(body)).encode("utf-8")).hexdigest()


def read_events(paths):
    events = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            page = json.load(file)
        events.extend(page["events"] if isinstance(page, dict) else page)
    return events


def verify(events):
    """(None, digest) when every hash recomputes, else (first bad position, problem)."""
    last_hash = {}  # stream -> (revision, hash) of its latest event so far
    digest = GENESIS
    for event in events:
        stream, revision = event["stream"], event["revision"]
        seen_revision, previous = last_hash.get(stream, (-1, GENESIS))
        if revision != seen_revision + 1:
            return event["position"], f"{stream} revision {revision} follows revision {seen_revision}"
        if event_hash(previous, event) != event["hash"]:
            return event["position"], f"hash mismatch in {stream} at revision {revision}"
        last_hash[stream] = (revision, event["hash"])
        digest = hashlib.sha256((digest + event["hash"]).encode("ascii")).hexdigest()
    return None, digest


def main(arguments):
    at = None
    if arguments[:1] == ["--at"] and len(arguments) > 1:
        at, arguments = int(arguments[1]), arguments[2:]
    if not arguments:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    events = read_events(arguments)
    if at is not None:
        events = [event for event in events if int(event["position"]) <= at]
    bad_position, result = verify(events)
    if bad_position is not None:
        print(f"FAILED at position {bad_position}: {result}")
        return 1
    last = events[-1]["position"] if events else "0"
    print(f"OK {len(events)} events, position {last}, digest {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
