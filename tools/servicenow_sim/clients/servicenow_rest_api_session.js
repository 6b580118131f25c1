// Drives the ServiceNow simulator through the npm client servicenow-rest-api
// 1.2.2, the way an integration would: create an incident, find it by
// number, update its state and comments, refuse a resolve without the close
// fields, resolve it, list with an encoded query and read its journal.
//
//   node servicenow_rest_api_session.js <host:port>
//
// The client hard-codes https://<instance> (".service-now.com" appended
// when the instance has no dot), so the simulator listens with TLS on
// 127.0.0.1 and NODE_EXTRA_CA_CERTS names its self-signed certificate.
// NODE_PATH points at tools/clients/servicenow/node_modules. Prints
// "SERVICENOW SESSION OK" when every check passed; exits 1 naming the first
// that failed.
'use strict';

const assert = require('assert');
const ServiceNow = require('servicenow-rest-api');

const instance = process.argv[2];
if (!instance) {
  console.error('usage: node servicenow_rest_api_session.js <host:port>');
  process.exit(2);
}

// The client reports through callbacks, with the axios error in place of
// the result on failure: turn both into a promise.
function call(client, method, ...args) {
  return new Promise((resolve, reject) => {
    client[method](...args, (result) => {
      if (result instanceof Error) reject(result); else resolve(result);
    });
  });
}

// Runs a call that must fail; returns the HTTP status and the error body.
async function refusal(client, method, ...args) {
  try {
    await call(client, method, ...args);
  } catch (error) {
    assert.ok(error.response, `${method}: no HTTP answer: ${error.message}`);
    return { status: error.response.status, body: error.response.data };
  }
  assert.fail(`${method} was expected to fail`);
}

async function main() {
  const ferry = new ServiceNow(instance, 'ferry', 'ferry-password');

  const created = await call(ferry, 'createNewTask', {
    short_description: 'Checkout latency above 2s',
    impact: '2',
    urgency: '2',
    correlation_id: 'PD-Q1W2E3',
    correlation_display: 'PagerDuty',
  }, 'incident');
  assert.match(created.number, /^INC\d{7}$/, 'number is INC + 7 digits');
  assert.strictEqual(created.state, 'New', 'display value of state 1');
  assert.strictEqual(created.priority, '3 - Moderate',
                     'priority from impact 2 x urgency 2');
  assert.strictEqual(created.correlation_id, 'PD-Q1W2E3');
  assert.strictEqual(created.opened_by.display_value, 'Ferry Integration');
  assert.match(created.opened_by.link,
               /^https:\/\/127\.0\.0\.1:\d+\/api\/now\/table\/sys_user\//,
               'reference links use the https the client came in on');
  const number = created.number;

  const sysId = await call(ferry, 'getSysId', 'incident', number);
  assert.match(sysId, /^[0-9a-f]{32}$/, 'getSysId finds the incident by number');

  const sample = await call(ferry, 'getSampleData', 'incident');
  assert.strictEqual(sample.length, 1, 'getSampleData reads one row');

  const found = await call(ferry, 'getTableData',
                           ['number', 'state', 'priority', 'short_description'],
                           [`number=${number}`], 'incident');
  assert.strictEqual(found.length, 1, 'query by number finds one incident');
  assert.strictEqual(found[0].short_description, 'Checkout latency above 2s');

  const moved = await call(ferry, 'UpdateTask', 'incident', number,
                           { state: '2', comments: 'Looking into it' });
  assert.strictEqual(moved.state, 'In Progress');
  assert.strictEqual(moved.comments, '', 'journal fields read back empty');

  const refused = await refusal(ferry, 'UpdateTask', 'incident', number,
                                { state: '6' });
  assert.strictEqual(refused.status, 403, 'resolve without close fields');
  assert.strictEqual(refused.body.status, 'failure');
  assert.strictEqual(refused.body.error.message, 'Operation Failed');
  assert.match(refused.body.error.detail,
               /^Data Policy Exception: .*Resolution code, Resolution notes/);

  const resolved = await call(ferry, 'UpdateTask', 'incident', number, {
    state: '6',
    close_code: 'Solved (Permanently)',
    close_notes: 'Scaled the checkout pool',
  });
  assert.strictEqual(resolved.state, 'Resolved');
  assert.strictEqual(resolved.active, 'false');
  assert.notStrictEqual(resolved.resolved_at, '', 'resolved_at is stamped');

  const inactive = await call(ferry, 'getTableData', ['number', 'state'],
                              ['active=false', 'correlation_id=PD-Q1W2E3'],
                              'incident');
  assert.deepStrictEqual(inactive.map((row) => row.number), [number],
                         'encoded query active=false^correlation_id=…');

  const journal = await call(ferry, 'getTableData',
                             ['element', 'value', 'sys_created_by'],
                             [`element_id=${sysId}`], 'sys_journal_field');
  assert.deepStrictEqual(
      journal.map((row) => [row.element, row.value, row.sys_created_by]),
      [['comments', 'Looking into it', 'ferry']],
      'the comment is a sys_journal_field row');

  const intruder = new ServiceNow(instance, 'ferry', 'wrong-password');
  const denied = await refusal(intruder, 'getSysId', 'incident', number);
  assert.strictEqual(denied.status, 401);
  assert.strictEqual(denied.body.error.message, 'User Not Authenticated');

  console.log('SERVICENOW SESSION OK');
}

main().catch((error) => {
  console.error(`SERVICENOW SESSION FAILED: ${error.stack || error}`);
  if (error.response) {
    console.error(`HTTP ${error.response.status}: ${JSON.stringify(error.response.data)}`);
  }
  process.exit(1);
});
