// A scripted session of the official PagerDuty JS client (@pagerduty/pdjs
// 2.2.4) against the simulator: list with pagination, create, update, notes,
// monitoring-tool incidents (an integration, pdjs's own Events API v2
// event(), alerts, a merge) and the 429 path. Usage: node pdjs_session.js <port>
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
const { api, event } = require('@pagerduty/pdjs');

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

  // Monitoring tools: an Events API v2 integration made through the REST
  // API, an alert sent with pdjs's event() (to events.pagerduty.com, which
  // the agent connects to the simulator too), its alerts, then a merge.
  const integration = await pd.post('/services/PSVCWEB/integrations', {
    data: { integration: { type: 'events_api_v2_inbound_integration', name: 'pdjs monitor' } },
  });
  assert.strictEqual(integration.status, 201, JSON.stringify(integration.data));
  const routingKey = integration.data.integration.integration_key;
  assert.strictEqual(routingKey.length, 32);
  const agent = new LocalAgent();
  const triggered = await event({
    agent,
    data: {
      routing_key: routingKey, event_action: 'trigger', dedup_key: 'pdjs-disk',
      payload: { summary: 'pdjs disk full', source: 'db-1', severity: 'critical',
                 custom_details: { used: '97%' } },
    },
  });
  assert.strictEqual(triggered.status, 202, JSON.stringify(triggered.data));
  assert.strictEqual(triggered.data.status, 'success');
  assert.strictEqual(triggered.data.dedup_key, 'pdjs-disk');
  const invalid = await event({ agent, data: { routing_key: 'short', event_action: 'trigger' } });
  assert.strictEqual(invalid.status, 400);
  assert.strictEqual(invalid.data.status, 'invalid event');
  const byKey = await pd.get('/incidents', { data: { incident_key: 'pdjs-disk' } });
  assert.strictEqual(byKey.data.incidents.length, 1, JSON.stringify(byKey.data));
  const fromEvent = byKey.data.incidents[0];
  assert.strictEqual(fromEvent.title, 'pdjs disk full');
  const alerts = await pd.get(`/incidents/${fromEvent.id}/alerts`);
  assert.strictEqual(alerts.status, 200);
  assert.strictEqual(alerts.data.alerts[0].alert_key, 'pdjs-disk');
  const merged = await pd.put(`/incidents/${fromEvent.id}/merge`, {
    data: { source_incidents: [{ id: ids[1], type: 'incident_reference' }] },
  });
  assert.strictEqual(merged.status, 200, JSON.stringify(merged.data));
  assert.strictEqual(merged.data.incident.id, fromEvent.id);
  const survivor = await pd.get(`/incidents/${fromEvent.id}`);
  assert.strictEqual(survivor.data.incident.alert_counts.all, 2);
  const source = await pd.get(`/incidents/${ids[1]}`);
  assert.strictEqual(source.data.incident.status, 'resolved');
  assert.strictEqual(source.data.incident.resolve_reason.incident.id, fromEvent.id);

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
