#!/usr/bin/env python3
"""Counts test results from a Bazel build event file.

Usage: test_counts.py EVENTS.json

Reads the test results Bazel reported (one JSON object a line, from
--build_event_json_file), sums the test cases of each test's XML report and
prints one line: "N passed, N failed" (", N skipped" when any were). A test
target that did not pass but whose report shows no failing case (it did not
build, crashed, or timed out) counts as one failure. Exits 1 when anything
failed or nothing ran.
"""

import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET


def count_cases(xml_path):
    """Returns (passed, failed, skipped) test cases in a JUnit XML report."""
    passed = failed = skipped = 0
    root = ET.parse(xml_path).getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None or case.get("result") == "skipped":
            skipped += 1
        elif case.get("status") == "notrun":
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(path):
    # Test targets, each one's last XML report, and its overall status.
    tests, reports, overall = set(), {}, {}
    with open(path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line)
            ident = event.get("id", {})
            if "targetConfigured" in ident:
                if "testSize" in event.get("configured", {}):
                    tests.add(ident["targetConfigured"]["label"])
            elif "testResult" in ident:
                label = ident["testResult"]["label"]
                for output in event.get("testResult", {}).get("testActionOutput", []):
                    if output.get("name") == "test.xml":
                        uri = output.get("uri", "")
                        reports[label] = urllib.parse.urlparse(uri).path
            elif "testSummary" in ident:
                label = ident["testSummary"]["label"]
                overall[label] = event.get("testSummary", {}).get("overallStatus", "NO_STATUS")
            elif "targetCompleted" in ident:
                # A test that failed to build gets no testSummary.
                label = ident["targetCompleted"]["label"]
                if not event.get("completed", {}).get("success", False):
                    overall.setdefault(label, "FAILED_TO_BUILD")
    for label in tests:
        overall.setdefault(label, "NO_STATUS")

    passed = failed = skipped = 0
    for label, status in sorted(overall.items()):
        p = f = s = 0
        report = reports.get(label)
        if report:
            try:
                p, f, s = count_cases(report)
            except (OSError, ET.ParseError):
                pass
        if status not in ("PASSED", "FLAKY") and f == 0:
            f = 1
            print(f"FAILED: {label} ({status})", file=sys.stderr)
        passed, failed, skipped = passed + p, failed + f, skipped + s

    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or passed + failed + skipped == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
