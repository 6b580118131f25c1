// A scripted session of the official PagerDuty JS client (@pagerduty/pdjs
// 2.2.4) against the simulator: list with pagination, create, update, notes
// and the 429 path. Usage: node pdjs_session.js <port>
// Prints "PDJS SESSION OK" and exits 0 when every check holds.
//
// pdjs always calls https://api.pagerduty.com/<endpoint>; the only test
// plumbing here is an HTTP agent that connects those calls to the local
// simulator over plain TCP (what a hosts entry plus TLS termination would
// do). Requests, headers and responses are pdjs's own.
'use strict';

const assert = require('assert');
const http = require('http');
const net = require('net');
const { api } = require('@pagerduty/pdjs');

const port = Number(process.argv[2]);
const admin = `http://127.0.0.1:${port}/admin`;

class LocalAgent extends http.Agent {
  constructor() {
    super({ keepAlive: true });
    this.protocol = 'https:';
  }
  createConnection(options, callback) {
    return net.connect(port, '127.0.0.1', callback);
  }
}

const pd = api({
  token: 'account-full',
  agent: new LocalAgent(),
  retryTimeout: 200,
  headers: { From: 'ferry-bot@example.com' },
});

async function adminCall(method, path, body) {
  const res = await fetch(admin + path, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

async function main() {
  // Create 30 incidents.
  const ids = [];
  for (let i = 0; i < 30; i++) {
    const res = await pd.post('/incidents', {
      data: {
        incident: {
          type: 'incident',
          title: `pdjs incident ${i}`,
          service: { id: 'PSVCWEB', type: 'service_reference' },
          incident_key: `pdjs-${i}`,
        },
      },
    });
    assert.strictEqual(res.status, 201, JSON.stringify(res.data));
    assert.strictEqual(res.resource.incident_number, i + 1);
    ids.push(res.resource.id);
  }

  // List everything with pdjs's own offset pagination.
  const all = await pd.all('/incidents', {
    data: { limit: 10, 'statuses[]': ['triggered'], sort_by: 'incident_number:asc' },
  });
  assert.strictEqual(all.data.length, 3, 'three pages of ten');
  assert.strictEqual(all.resource.length, 30);
  assert.deepStrictEqual(all.resource.map(i => i.id), ids);

  // Update: acknowledge, change title and priority by name.
  const id = ids[0];
  const ack = await pd.put(`/incidents/${id}`, {
    data: { incident: { type: 'incident_reference', status: 'acknowledged', title: 'renamed', priority: 'P1' } },
  });
  assert.strictEqual(ack.status, 200, JSON.stringify(ack.data));
  assert.strictEqual(ack.resource.status, 'acknowledged');
  assert.strictEqual(ack.resource.summary, '[#1] renamed');
  assert.strictEqual(ack.resource.priority.name, 'P1');
  const back = await pd.put(`/incidents/${id}`, {
    data: { incident: { type: 'incident_reference', status: 'triggered' } },
  });
  assert.strictEqual(back.status, 400);
  assert.strictEqual(back.data.error.code, 1003);

  // Notes.
  const note = await pd.post(`/incidents/${id}/notes`, { data: { note: { content: 'from pdjs' } } });
  assert.strictEqual(note.status, 200, JSON.stringify(note.data));
  assert.strictEqual(note.data.note.user.id, 'PBOT001');
  const notes = await pd.get(`/incidents/${id}/notes`);
  assert.strictEqual(notes.data.notes.length, 1);
  assert.strictEqual(notes.data.notes[0].content, 'from pdjs');
  const log = await pd.get(`/incidents/${id}/log_entries`);
  assert.strictEqual(log.data.log_entries[0].type, 'annotate_log_entry');

  // 429 path 1: one rate-limit answer, pdjs waits and retries successfully.
  await adminCall('POST', '/faults', { kind: 'status', status: 429, count: 1, path_prefix: '/users' });
  const retried = await pd.get('/users');
  assert.strictEqual(retried.status, 200);
  assert.strictEqual((await adminCall('GET', '/faults')).faults.length, 0, 'the 429 was served');

  // 429 path 2: the real limiter; pdjs gives up after its retries and hands
  // back PagerDuty's 429 body and headers.
  await adminCall('PUT', '/rate_limit', { limit: 1, window_seconds: 3600 });
  assert.strictEqual((await pd.get('/priorities')).status, 200);
  const limited = await pd.get('/priorities');
  assert.strictEqual(limited.status, 429);
  assert.strictEqual(limited.data.error.code, 2020);
  assert.strictEqual(limited.response.headers.get('ratelimit-limit'), '1');
  assert.strictEqual(limited.response.headers.get('ratelimit-remaining'), '0');
  console.log('PDJS SESSION OK');
  // pdjs leaves a 30 s request timer armed after a final 429; do not wait.
  process.exit(0);
}

main().catch(err => {
  console.error('PDJS SESSION FAILED:', err && err.stack ? err.stack : err);
  process.exit(1);
});
