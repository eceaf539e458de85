// The cluster page: polls this node's /cluster (the view, every member's figures, the last events) and the keys of
// one cache, once a second; the controls call the REST cache API and the Actuator mode switch. Plain JavaScript,
// nothing loaded from elsewhere.
'use strict';

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);
let previous = null; // this node's counters at the last poll, for the rates

function text(tag, content, className) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

function caches(status) {
  if (!status || !status.caches) return '–';
  const names = Object.keys(status.caches).filter((name) => name !== 'sample-nodes').sort();
  return names.length ? names.map((name) => `${name}: ${status.caches[name]}`).join(', ') : 'none';
}

function renderMembers(page) {
  const rows = page.members.map((member) => {
    const row = document.createElement('tr');
    row.dataset.member = member.name;
    row.className = member.self ? 'self' : '';
    const name = text('td', member.name);
    if (member.self) name.append(text('span', 'this node', 'badge'));
    if (member.coordinator) name.append(text('span', 'coordinator', 'badge coord'));
    const mode = member.status ? member.status.mode : '?';
    row.append(name, text('td', member.address), text('td', mode, 'mode-' + mode), text('td', member.protocol),
      text('td', caches(member.status)));
    return row;
  });
  $('members').replaceChildren(...rows);
  $('member-count').textContent = `(${page.members.length} in this node's view)`;
  $('outside').textContent = page.outside.length
    ? 'Out of this view but answering: ' + page.outside.map((s) => `${s.node} (${s.mode})`).join(', ')
    : '';
  $('outside').dataset.nodes = page.outside.map((s) => `${s.node}:${s.mode}`).join(' ');
}

function rate(now, before, path, seconds) {
  const value = path.reduce((o, k) => o[k], now);
  const old = path.reduce((o, k) => o[k], before);
  return ((value - old) / seconds).toFixed(1) + ' /s';
}

function renderRates(self) {
  if (previous) {
    const seconds = Math.max(0.001, (self.time - previous.time) / 1000);
    $('rate-sent').textContent = rate(self, previous, ['replication', 'sent'], seconds);
    $('rate-received').textContent = rate(self, previous, ['replication', 'received'], seconds);
    $('rate-rounds').textContent = rate(self, previous, ['gossip', 'rounds'], seconds);
    $('rate-repairs').textContent = rate(self, previous, ['gossip', 'repairs'], seconds);
  }
  previous = self;
}

function renderEvents(events) {
  $('events').replaceChildren(...events.map((event) => {
    const item = text('li', '', 'kind-' + event.kind);
    item.append(text('time', new Date(event.time).toLocaleTimeString()), document.createTextNode(event.text));
    return item;
  }));
}

async function pollCluster() {
  const response = await fetch('cluster', { cache: 'no-store' });
  if (!response.ok) throw new Error('cluster: HTTP ' + response.status);
  const page = await response.json();
  document.title = `gossipcache: ${page.node}`;
  $('cluster').textContent = `cluster ${page.cluster}`;
  $('node').textContent = page.node;
  $('mode').textContent = page.mode;
  $('mode').className = 'mode-' + page.mode;
  renderMembers(page);
  const self = page.members.find((m) => m.self);
  if (self && self.status) renderRates(self.status);
  renderEvents(page.events);
}

async function pollKeys() {
  const cache = $('cache').value.trim() || 'demo';
  const response = await fetch(`cache/${encodeURIComponent(cache)}?limit=60`, { cache: 'no-store' });
  if (!response.ok) throw new Error('keys: HTTP ' + response.status);
  const page = await response.json();
  $('keys-cache').textContent = cache;
  $('keys-total').textContent = `(${page.total})`;
  $('keys').replaceChildren(...page.keys.map((key) => {
    const item = text('li', key);
    item.dataset.key = key;
    return item;
  }));
}

async function poll() {
  try {
    await pollCluster();
    await pollKeys();
    $('connection').textContent = '';
  } catch (failure) {
    $('connection').textContent = 'not answering: ' + failure.message; // shown, not thrown: the node may be gone
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function entryUrl() {
  const cache = $('cache').value.trim() || 'demo';
  return `cache/${encodeURIComponent(cache)}/${encodeURIComponent($('key').value.trim())}`;
}

async function call(method, url, body, contentType) {
  const init = { method, cache: 'no-store' };
  if (body !== undefined) {
    init.body = body;
    init.headers = { 'Content-Type': contentType };
  }
  const response = await fetch(url, init);
  const answer = response.status === 204 ? {} : await response.json();
  $('result').textContent = response.ok
    ? `${method} ${response.status}` + (answer.value !== undefined ? ': ' + JSON.stringify(answer.value) : '')
    : `${method} ${response.status}: ${answer.message}`;
  return response.ok;
}

$('entry').addEventListener('submit', (event) => {
  event.preventDefault();
  call('PUT', entryUrl(), $('value').value, 'text/plain').then(pollKeys).catch(showFailure);
});
$('get').addEventListener('click', () => call('GET', entryUrl()).catch(showFailure));
$('delete').addEventListener('click', () => call('DELETE', entryUrl()).then(pollKeys).catch(showFailure));
$('to-local').addEventListener('click', () => switchMode('LOCAL'));
$('to-clustered').addEventListener('click', () => switchMode('CLUSTERED'));

function switchMode(mode) {
  call('POST', 'actuator/gossipcache', JSON.stringify({ mode }), 'application/json').catch(showFailure);
}

function showFailure(failure) {
  $('result').textContent = 'failed: ' + failure.message;
}

poll();
