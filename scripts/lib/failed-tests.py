#!/usr/bin/env python3
"""Prints each failed test of xUnit v3 result files (-xml) with the start of its message and stack,
so the last lines of a test run name what failed even when only its tail is kept."""
import sys
import xml.etree.ElementTree as ET

MESSAGE_LINES = 12
STACK_LINES = 6


def head(text, count):
    lines = (text or "").strip().splitlines()
    shown = lines[:count]
    if len(lines) > count:
        shown.append(f"… ({len(lines) - count} more lines)")
    return shown


def show(title, failure):
    print(title)
    if failure is None:
        return
    for line in head(failure.findtext("message"), MESSAGE_LINES):
        print(f"    {line}")
    for line in head(failure.findtext("stack-trace"), STACK_LINES):
        print(f"    {line}")


def main(paths):
    failures = 0
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as error:
            print(f"! {path}: unreadable results ({error})")
            failures += 1
            continue
        for test in root.iter("test"):
            if test.get("result") == "Fail":
                failures += 1
                show(f"FAILED {test.get('name')} ({test.get('time', '?')} s)", test.find("failure"))
        for error in root.iter("error"):
            failures += 1
            show(f"ERROR {error.get('name') or error.get('type') or '(unnamed)'}", error.find("failure"))
    return failures


if __name__ == "__main__":
    main(sys.argv[1:])
