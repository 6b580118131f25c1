// Drives npm jira.js 6.2.0 (Cloud client, response schemas validated with
// onSchemaMismatch: 'throw') against the simulator in Cloud mode: connect,
// search/jql with token paging, create (string description through v2 and
// ADF through v3), edit, transition by name, comment, changelog, remote link
// upsert, properties, a transition screen with required fields, and a 429
// it must survive with withRetry.
// Exits 77 when jira.js is not installed (the test is then skipped).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = join(process.env.JIRA_JS_DIR ?? '', 'jira.js', 'dist', 'index.js');
if (!process.env.JIRA_JS_DIR || !existsSync(entry)) {
  console.log('SKIPPED: jira.js 6.2.0 is not installed; run tools/clients/install_jira_clients.sh');
  process.exit(77);
}
const { createCloudClient } = await import(pathToFileURL(entry).href);
const { withRetry } = await import(
  pathToFileURL(join(process.env.JIRA_JS_DIR, 'jira.js', 'dist', 'core', 'index.js')).href);

const url = process.env.JIRA_SIM_URL;
const client = createCloudClient({
  host: url,
  auth: { type: 'basic', email: 'ferry@example.com', apiToken: 'ferry-api-token' },
  onSchemaMismatch: 'throw',
});

function check(condition, what) {
  if (!condition) {
    console.log(`FAIL: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

async function admin(method, path, body) {
  const response = await fetch(url + path, {
    method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return response.json();
}

const adf = text => ({
  type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

try {
  const info = await client.serverInfo.getServerInfo();
  check(info.deploymentType === 'Cloud', 'connected to Cloud');
  const me = await client.myself.getCurrentUser();
  check(me.accountId === '5b10ac8d82e05b22cc7d4ef5' && me.timeZone === 'Australia/Sydney',
        'myself has accountId and timeZone');

  const fields = await client.issueFields.getFields();
  check(fields.some(f => f.id === 'customfield_10010' && f.custom), 'fields list custom fields');
  const project = await client.projects.getProject({ projectIdOrKey: 'OPS', expand: 'issueTypes' });
  check(project.issueTypes.length === 2, 'project with issue types');
  const types = await client.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey: 'OPS' });
  check(types.issueTypes.length === 2, 'createmeta issue types');
  const meta = await client.issues.getCreateIssueMetaIssueTypeId({
    projectIdOrKey: 'OPS', issueTypeId: '10002',
  });
  check(meta.fields.some(f => f.fieldId === 'summary' && f.required), 'createmeta fields');
  const statuses = await client.workflowStatuses.getStatuses();
  check(statuses.length === 6, 'statuses');
  const type = await client.issueTypes.getIssueType({ id: '10002' });
  check(type.name === 'Incident', 'issue type by id');
  const alice = await client.users.getUser({ accountId: '5b10a2844c20165700ede21g' });
  check(alice.timeZone === 'America/New_York', 'user by accountId');

  const first = await client.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: 'project = OPS ORDER BY key ASC', maxResults: 1,
  });
  check(first.issues.length === 1 && first.isLast === false && first.nextPageToken,
        'first page has a nextPageToken');
  check(Object.keys(first.issues[0]).join() === 'id', 'ids only by default');
  const second = await client.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: 'project = OPS ORDER BY key ASC', maxResults: 1, nextPageToken: first.nextPageToken,
    fields: ['summary', 'status'],
  });
  check(second.isLast === true && second.issues[0].key === 'OPS-2', 'second page is last');

  const created = await client.issues.createIssue({
    fields: {
      project: { key: 'OPS' }, issuetype: { name: 'Task' },
      summary: 'Created by jira.js', description: 'Written as *wiki* through v2',
    },
    properties: [{ key: 'ferry', value: { incident: 'PXYZ' } }],
  });
  check(created.key === 'OPS-3', `created ${created.key} through v2`);
  const adfIssue = await client.issues.createIssue({
    fields: {
      project: { key: 'OPS' }, issuetype: { name: 'Incident' },
      summary: 'ADF issue', description: adf('Written as ADF'),
    },
  });
  check(adfIssue.key === 'OPS-4', 'created through v3 with ADF');

  const read = await client.issues.getIssue({ issueIdOrKey: created.key });
  check(read.fields.description.type === 'doc' &&
        read.fields.description.content[0].content[1].marks[0].type === 'strong',
        'v3 reads the v2 wiki description back as ADF');

  await client.issues.editIssue({
    issueIdOrKey: created.key,
    fields: { summary: 'Edited by jira.js' },
    historyMetadata: { type: 'ferry', description: 'sync' },
  });
  const transitions = await client.issues.getTransitions({ issueIdOrKey: created.key });
  const start = transitions.transitions.find(t => t.name === 'Start Progress');
  check(start !== undefined, 'Start Progress offered from Open');
  await client.issues.doTransition({ issueIdOrKey: created.key, transition: { id: start.id } });

  const comment = await client.issueComments.addComment({
    issueIdOrKey: created.key, body: adf('Comment from jira.js'),
  });
  check(comment.body.type === 'doc', 'comment body comes back as ADF');
  const edited = await client.issueComments.updateComment({
    issueIdOrKey: created.key, id: comment.id, body: { body: 'Edited comment' },
  });
  check(edited.body.content[0].content[0].text === 'Edited comment',
        'comment edited through v2, read back as ADF');
  const spare = await client.issueComments.addComment({
    issueIdOrKey: created.key, body: adf('To delete'),
  });
  await client.issueComments.deleteComment({ issueIdOrKey: created.key, id: spare.id });
  const comments = await client.issueComments.getComments({ issueIdOrKey: created.key });
  check(comments.total === 1, 'one comment listed');

  const changelog = await client.issues.getChangeLogs({ issueIdOrKey: created.key });
  check(changelog.values.length === 2 &&
        changelog.values[0].items[0].field === 'summary' &&
        changelog.values[0].historyMetadata.type === 'ferry' &&
        changelog.values[1].items[0].toString === 'In Progress',
        'changelog oldest first with historyMetadata');

  const link = { globalId: 'pd:PXYZ', object: { url: 'https://pd.example/PXYZ', title: 'PXYZ' } };
  const made = await client.issueRemoteLinks.createOrUpdateRemoteIssueLink({
    issueIdOrKey: created.key, ...link,
  });
  const again = await client.issueRemoteLinks.createOrUpdateRemoteIssueLink({
    issueIdOrKey: created.key, ...link, object: { ...link.object, title: 'PXYZ resolved' },
  });
  check(made.id === again.id, 'remote link upserted by globalId');
  const links = await client.issueRemoteLinks.getRemoteIssueLinks({ issueIdOrKey: created.key });
  check(links.length === 1 && links[0].object.title === 'PXYZ resolved', 'remote links listed');
  const count = await client.issueSearch.countIssues({ jql: 'project = OPS' });
  check(count.count === 4, 'approximate count');

  const property = await client.issueProperties.getIssueProperty({
    issueIdOrKey: created.key, propertyKey: 'ferry',
  });
  check(property.value.incident === 'PXYZ', 'property stored on create');

  const found = await client.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: `summary ~ "jira.js" AND status = "In Progress"`, fields: ['summary'],
  });
  check(found.issues.map(i => i.key).join() === created.key, 'JQL finds the edited issue');

  // A transition with a screen: Resolution and a required Root cause.
  const tri = await client.issues.createIssue({
    fields: { project: { key: 'TRI' }, issuetype: { name: 'Incident' }, summary: 'Disk full' },
  });
  for (const id of ['11', '21']) {
    await client.issues.doTransition({ issueIdOrKey: tri.key, transition: { id } });
  }
  const screens = await client.issues.getTransitions({
    issueIdOrKey: tri.key, expand: 'transitions.fields',
  });
  const resolve = screens.transitions[0];
  check(resolve.name === 'Resolve' && resolve.hasScreen === true &&
        resolve.fields.resolution.required === true &&
        resolve.fields.resolution.allowedValues.map(v => v.name).join() ===
          "Done,Won't Do,Duplicate" &&
        resolve.fields.customfield_10012.required === true,
        'transition screen listed with required fields and allowed values');
  let refusal;
  try {
    await client.issues.doTransition({
      issueIdOrKey: tri.key, transition: { id: resolve.id },
      fields: { resolution: { name: 'Done' } },
    });
  } catch (err) { refusal = err; }
  check(refusal !== undefined && refusal.status === 400 &&
        refusal.body?.errors?.customfield_10012 === 'Root cause is required.',
        'a missing required field is refused with a per-field 400');
  await client.issues.doTransition({
    issueIdOrKey: tri.key, transition: { id: resolve.id },
    fields: { resolution: { name: "Won't Do" }, customfield_10012: 'disk' },
  });
  const resolved = await client.issues.getIssue({ issueIdOrKey: tri.key });
  check(resolved.fields.status.name === 'Done' &&
        resolved.fields.resolution.name === "Won't Do",
        'transitioned with the screen fields; resolution set');

  await admin('PUT', '/admin/rate_limit', { limit: 2, window_seconds: 1 });
  let limited = false;
  for (let i = 0; i < 3; i++) {
    try { await client.myself.getCurrentUser(); } catch (err) { limited = err.status === 429; }
  }
  check(limited, 'rate limiter answered 429');
  const survived = await withRetry(() => client.myself.getCurrentUser(),
                                   { maxAttempts: 5, retryRateLimit: true });
  check(survived.accountId === me.accountId, 'survived the 429 by honouring Retry-After');
  console.log('jira.js session passed');
} catch (err) {
  console.log(`FAIL: ${err.name}: ${err.message}`);
  if (err.body) console.log(JSON.stringify(err.body));
  process.exit(1);
}
