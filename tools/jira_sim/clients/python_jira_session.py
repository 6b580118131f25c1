#!/usr/bin/env python3
"""Drives Debian's python3-jira 3.4.1 against the simulator in DC mode.

Connect (serverInfo), search with paging, create, edit, transition by name,
comment, a transition screen with required fields, and survive a 429 from
the rate limiter. Exits 77 when python3-jira
is not installed (the test is then skipped), 1 on any mismatch.
"""

import json
import os
import sys
import urllib.request

try:
    import jira
except ImportError:
    print("SKIPPED: python3-jira is not installed; run "
          "tools/clients/install_jira_clients.sh")
    sys.exit(77)

URL = os.environ["JIRA_SIM_URL"]
AUTH = ("ferry", "ferry-password")


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def admin(method, path, body):
    request = urllib.request.Request(
        URL + path, data=json.dumps(body).encode(), method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def raw_status(path):
    """Status of a GET with the client's Basic credentials."""
    request = urllib.request.Request(URL + path)
    import base64
    token = base64.b64encode(f"{AUTH[0]}:{AUTH[1]}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


client = jira.JIRA(URL, basic_auth=AUTH, max_retries=6)
check(client.server_info()["deploymentType"] == "Server", "connected to DC")
check(client.myself()["name"] == "ferry", "myself is ferry")

first = client.search_issues("project = OPS ORDER BY key ASC", startAt=0,
                             maxResults=1)
check(first.total == 2 and len(first) == 1 and first[0].key == "OPS-1",
      "first page of one, total 2")
second = client.search_issues("project = OPS ORDER BY key ASC", startAt=1,
                              maxResults=1)
check(len(second) == 1 and second[0].key == "OPS-2", "second page")

issue = client.create_issue(project="OPS", issuetype={"name": "Task"},
                            summary="Created by python3-jira",
                            description="Made by *python*.")
check(issue.key == "OPS-3", f"created {issue.key}")
check(issue.fields.status.name == "Open", "new issue is Open")

issue.update(summary="Edited by python3-jira", priority={"name": "High"})
issue = client.issue(issue.key)
check(issue.fields.summary == "Edited by python3-jira", "summary edited")
check(issue.fields.priority.name == "High", "priority edited")

names = [t["name"] for t in client.transitions(issue)]
check(names == ["Start Progress", "Done"], f"transitions from Open: {names}")
client.transition_issue(issue, "Start Progress")
check(client.issue(issue.key).fields.status.name == "In Progress",
      "transitioned by name")

client.add_comment(issue, "Comment from python3-jira")
comments = client.comments(issue.key)
check([c.body for c in comments] == ["Comment from python3-jira"],
      "comment added and read back")

found = client.search_issues('summary ~ "python3" AND status = "In Progress"')
check([i.key for i in found] == [issue.key], "JQL finds the edited issue")

# A transition with a screen: Resolution and a required Root cause.
tri = client.create_issue(project="TRI", issuetype={"name": "Incident"},
                          summary="Disk full")
client.transition_issue(tri, "Triage")
client.transition_issue(tri, "Start Work")
resolve = client.transitions(tri, expand="transitions.fields")[0]
check(resolve["name"] == "Resolve" and resolve["hasScreen"] and
      resolve["fields"]["resolution"]["required"] and
      [v["name"] for v in resolve["fields"]["resolution"]["allowedValues"]] ==
      ["Done", "Won't Do", "Duplicate"] and
      resolve["fields"]["customfield_10012"]["required"],
      "transition screen listed with required fields and allowed values")
try:
    client.transition_issue(tri, "Resolve", fields={"resolution": {"name": "Done"}})
    refused = None
except jira.JIRAError as error:
    refused = error
check(refused is not None and refused.status_code == 400 and
      refused.response.json()["errors"] ==
      {"customfield_10012": "Root cause is required."},
      "a missing required field is refused with a per-field 400")
client.transition_issue(tri, "Resolve", fields={
    "resolution": {"name": "Duplicate"}, "customfield_10012": "disk"})
tri = client.issue(tri.key)
check(tri.fields.status.name == "Done" and
      tri.fields.resolution.name == "Duplicate",
      "transitioned with the screen fields; resolution set")

# A tiny bucket: two calls then 429 until it refills (2 tokens a second).
admin("PUT", "/admin/rate_limit", {"limit": 2, "window_seconds": 1})
client._session.max_retry_delay = 2
statuses = [raw_status("/rest/api/2/myself") for _ in range(3)]
check(statuses[-1] == 429, f"rate limiter answers 429 ({statuses})")
survived = client.issue(issue.key)
check(survived.key == issue.key, "client survived the 429 and retried")
admin("PUT", "/admin/rate_limit", {"limit": 960, "window_seconds": 60})
print("python3-jira session passed")
