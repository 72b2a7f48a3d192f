// GameSignals console: every change goes through the admin API as the signed-in user (/api/console/api/...,
// where each route's role is checked); pages are rendered by the server.
(() => {
  'use strict';
  const game = () => document.body.dataset.game;
  const $ = (sel) => document.querySelector(sel);
  const esc = (t) => String(t ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const enc = encodeURIComponent;

  async function call(method, path, body, etag) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (etag) headers['If-Match'] = etag;
    const res = await fetch('/api/console/api/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { ok: res.ok, status: res.status, json, etag: res.headers.get('ETag') };
  }

  function problem(r) {
    const p = r.json || {};
    const errors = p.errors ? Object.entries(p.errors).map(([f, m]) => `<li><strong>${esc(f)}</strong>: ${esc(m.join(', '))}</li>`).join('') : '';
    return `<div class="error" role="alert"><p>${esc(p.detail || p.title || 'The request failed (' + r.status + ').')}</p>${errors ? '<ul>' + errors + '</ul>' : ''}</div>`;
  }

  function refresh() {
    return htmx.ajax('GET', location.href, { target: '#main', select: '#main', swap: 'outerHTML' });
  }

  // ----- Rules -----
  const ops = ['<', '<=', '==', '!=', '>=', '>'];
  function conditionRow(field = 'data.hp', op = '<', value = '20') {
    const n = document.querySelectorAll('#cond-rows li').length + 1;
    const li = document.createElement('li');
    li.innerHTML = `<label for="cf-${n}">Field</label><input id="cf-${n}" class="cf" value="${esc(field)}">` +
      `<label for="co-${n}">Comparison</label><select id="co-${n}" class="co">${ops.map((o) => `<option${o === op ? ' selected' : ''}>${esc(o)}</option>`).join('')}</select>` +
      `<label for="cv-${n}">Value</label><input id="cv-${n}" class="cv" value="${esc(value)}">` +
      `<button type="button" data-action="remove-condition" aria-label="Remove condition ${n}">Remove</button>`;
    $('#cond-rows').append(li);
  }
  function literal(v) {
    const t = v.trim();
    return /^-?\d+(\.\d+)?$/.test(t) || t === 'true' || t === 'false' ? t : JSON.stringify(t);
  }
  function writeCel() {
    const parts = [...document.querySelectorAll('#cond-rows li')]
      .map((li) => [li.querySelector('.cf').value.trim(), li.querySelector('.co').value, li.querySelector('.cv').value])
      .filter(([f]) => f).map(([f, o, v]) => `${f} ${o} ${literal(v)}`);
    $('#rule-cel').value = parts.join(` ${$('#cond-join').value} `);
  }
  function ruleFromForm() {
    const rule = {
      eventType: $('#rule-event').value, condition: $('#rule-cel').value.trim() || null, state: $('#rule-state').value,
      priority: $('#rule-priority').value, channels: [...document.querySelectorAll('input[name=channel]:checked')].map((c) => c.value),
      templates: { [$('#tpl-locale').value.trim() || 'en']: { title: $('#tpl-title').value, body: $('#tpl-body').value } },
    };
    if ($('#rule-cooldown').value.trim()) rule.cooldown = $('#rule-cooldown').value.trim();
    return rule;
  }
  function showCelError(r) {
    const errors = (r.json && r.json.errors) || {};
    const key = Object.keys(errors).find((k) => k === 'condition' || k === 'rule.condition');
    const box = $('#cel-error');
    if (!key) { box.innerHTML = ''; return; }
    const message = errors[key].join(', ');
    const at = /at position (\d+)/.exec(message);
    const cel = $('#rule-cel').value;
    box.innerHTML = at
      ? `<pre aria-hidden="true">${esc(cel)}\n${' '.repeat(Number(at[1]))}^</pre><p>Condition ${esc(message)}</p>`
      : `<p>Condition: ${esc(message)}</p>`;
  }
  function ruleId() {
    const id = $('#rule-id').value.trim();
    if (!id) { $('#rule-status').innerHTML = '<p class="error" role="alert">Give the rule an id first.</p>'; $('#rule-id').focus(); }
    return id;
  }
  async function dryRun() {
    const id = ruleId(); if (!id) return;
    const lines = $('#rule-events').value.split('\n').map((l) => l.trim()).filter(Boolean);
    let events;
    try { events = lines.map((l) => JSON.parse(l)); } catch { $('#dry-run').innerHTML = '<p class="error" role="alert">Each line of the sample events must be one JSON object.</p>'; return; }
    const r = await call('POST', `games/${enc(game())}/rules/${enc(id)}:test`, { events, rule: ruleFromForm() });
    showCelError(r);
    if (!r.ok) { $('#dry-run').innerHTML = problem(r); return; }
    const rows = r.json.results.map((x) => `<tr><th scope="row">${esc(x.eventId)}</th><td><span class="badge outcome-${esc(x.outcome)}">${esc(x.outcome.replace('_', ' '))}</span></td>` +
      `<td>${x.notification ? esc(x.notification.title) : ''}</td><td>${x.notification ? esc(x.notification.body) : ''}</td><td>${x.notification ? esc(x.notification.locale) : ''}</td></tr>`).join('');
    const matched = r.json.results.filter((x) => x.outcome === 'match').length;
    $('#dry-run').innerHTML = `<h3>Dry run: ${matched} of ${r.json.results.length} events would notify</h3><div class="scroll"><table id="dry-run-table"><thead><tr><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Title</th><th scope="col">Body</th><th scope="col">Locale</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }
  async function playerDryRun() {
    const user = $('#rule-player').value.trim();
    if (!user) { $('#dry-run').innerHTML = '<p class="error" role="alert">Name a player first.</p>'; $('#rule-player').focus(); return; }
    const r = await call('GET', `games/${enc(game())}/players/${enc(user)}/events?limit=50`);
    if (!r.ok) { $('#dry-run').innerHTML = problem(r); return; }
    if (r.json.events.length === 0) { $('#dry-run').innerHTML = `<p role="status">No recent events of ${esc(user)}.</p>`; return; }
    $('#rule-events').value = r.json.events.map((e) => JSON.stringify(e)).join('\n');
    await dryRun();
  }
  async function saveRule() {
    const id = ruleId(); if (!id) return;
    const path = `games/${enc(game())}/rules/${enc(id)}`;
    const current = await call('GET', path);
    const r = await call('PUT', path, ruleFromForm(), current.ok ? current.etag : undefined);
    showCelError(r);
    if (!r.ok) { $('#rule-status').innerHTML = problem(r); return; }
    await refresh();
    $('#rule-status').innerHTML = `<p>Rule ${esc(id)} saved.</p>`;
  }
  async function setState(id) {
    const path = `games/${enc(game())}/rules/${enc(id)}`;
    const current = await call('GET', path);
    if (!current.ok) { $('#rule-history').innerHTML = problem(current); return; }
    const state = document.querySelector(`[data-state-of="${CSS.escape(id)}"]`).value;
    const r = await call('PUT', path, { ...current.json, state }, current.etag);
    if (!r.ok) { $('#rule-history').innerHTML = problem(r); return; }
    await refresh();
  }
  async function editRule(id) {
    const r = await call('GET', `games/${enc(game())}/rules/${enc(id)}`);
    if (!r.ok) { $('#rule-status').innerHTML = problem(r); return; }
    const rule = r.json;
    $('#rule-id').value = rule.id; $('#rule-event').value = rule.eventType; $('#rule-state').value = rule.state || 'active';
    $('#rule-priority').value = rule.priority || 'normal'; $('#rule-cooldown').value = rule.cooldown || '';
    document.querySelectorAll('input[name=channel]').forEach((c) => { c.checked = (rule.channels || []).includes(c.value); });
    $('#rule-cel').value = rule.condition || '';
    const [locale, t] = Object.entries(rule.templates || {})[0] || ['en', { title: '', body: '' }];
    $('#tpl-locale').value = locale; $('#tpl-title').value = t.title; $('#tpl-body').value = t.body;
    $('#rule-id').focus();
  }
  async function history(id) {
    const r = await call('GET', `games/${enc(game())}/rules/${enc(id)}/history?pageSize=20`);
    if (!r.ok) { $('#rule-history').innerHTML = problem(r); return; }
    const items = r.json.items.map((c) => `<li><time datetime="${esc(c.at)}">${esc(c.at)}</time>: ${esc(c.kind.replace('_', ' '))} by <strong>${esc(c.by)}</strong>` +
      `${c.after && c.after.state ? ' (state ' + esc(c.after.state) + ')' : ''}${c.note ? ': ' + esc(c.note) : ''}</li>`).join('');
    $('#rule-history').innerHTML = `<h3>History of ${esc(id)}</h3>${items ? '<ol class="history">' + items + '</ol>' : '<p>No changes recorded.</p>'}`;
  }

  // ----- Flags -----
  async function review(id, action) {
    const comment = document.querySelector(`[data-comment-of="${CSS.escape(id)}"]`).value || null;
    const r = await call('POST', `games/${enc(game())}/flags/${enc(id)}:${action}`, { comment });
    if (!r.ok) { document.querySelector(`[data-flag="${CSS.escape(id)}"]`).insertAdjacentHTML('beforeend', problem(r)); return; }
    await refresh();
  }

  // ----- Blocklist and IP -----
  async function lookup(ip) {
    const r = await call('GET', `ip/${enc(ip)}`);
    if (!r.ok) { $('#ip-result').innerHTML = problem(r); return; }
    const x = r.json;
    const facts = [];
    facts.push(x.asn ? `<li>${esc(x.address)} is announced by AS${esc(x.asn.number)} ${esc(x.asn.name)} (${esc(x.asn.rangeStart)} to ${esc(x.asn.rangeEnd)})${x.asn.country ? ', country ' + esc(x.asn.country) : ', no country known'}.</li>` : `<li>No AS is known for ${esc(x.address)}.</li>`);
    (x.cloudRanges || []).forEach((c) => facts.push(`<li>It is in ${esc(c.provider)} range ${esc(c.prefix)} (${esc(c.service)}, ${esc(c.region)}).</li>`));
    if (!(x.cloudRanges || []).length) facts.push('<li>It is in no cloud provider range.</li>');
    (x.blocklist || []).forEach((b) => facts.push(`<li class="blocked">Blocked by ${esc(b.id || 'blocklist.json')}: ${esc(b.cidr || 'AS' + b.asn)}, ${esc(b.reason)}${b.expires ? ' until ' + esc(b.expires) : ''}.</li>`));
    if (!(x.blocklist || []).length) facts.push('<li>No blocklist entry matches it.</li>');
    $('#ip-result').innerHTML = `<ul id="ip-facts">${facts.join('')}</ul><p class="meta">Snapshot ${esc(x.snapshotVersion || 'none')}</p>`;
  }
  async function saveEntry() {
    const id = $('#entry-id').value.trim();
    const value = $('#entry-value').value.trim();
    const body = { reason: $('#entry-reason').value.trim() };
    if ($('#entry-kind').value === 'asn') body.asn = Number(value.replace(/^AS/i, '')); else body.cidr = value;
    if ($('#entry-expires').value.trim()) body.expires = $('#entry-expires').value.trim();
    const current = id ? await call('GET', `blocklist/${enc(id)}`) : { ok: false };
    const r = await call('PUT', `blocklist/${enc(id)}`, body, current.ok ? current.etag : undefined);
    if (!r.ok) { $('#entry-status').innerHTML = problem(r); return; }
    await refresh();
    $('#entry-status').innerHTML = `<p>Entry ${esc(id)} saved.</p>`;
  }
  async function removeEntry(id) {
    const current = await call('GET', `blocklist/${enc(id)}`);
    const r = current.ok ? await call('DELETE', `blocklist/${enc(id)}`, undefined, current.etag) : current;
    if (!r.ok) { $('#entry-status').innerHTML = problem(r); return; }
    await refresh();
  }

  // ----- Players -----
  let chart;
  async function similar() {
    const examples = $('#sim-examples').value.split(',').map((s) => s.trim()).filter(Boolean);
    const r = await call('POST', `games/${enc(game())}/players/similar`, { examples, k: Number($('#sim-k').value) || 10 });
    if (!r.ok) { $('#similar-result').innerHTML = problem(r); return; }
    const rows = r.json.players.map((p) => `<tr><th scope="row"><a href="players?game=${enc(game())}&user=${enc(p.userId)}">${esc(p.userId)}</a></th><td>${p.score.toFixed(3)}</td><td>${esc(p.level)}</td><td>${esc(p.server || '')}</td><td>${esc(p.platform || '')}</td>` +
      `<td>${p.sharedFeatures.map((f) => esc(f.feature)).join(', ')}</td></tr>`).join('');
    $('#similar-result').innerHTML = `<div class="scroll"><table id="similar-table"><caption>${r.json.players.length} players most like ${esc(examples.join(', '))}</caption><thead><tr><th scope="col">Player</th><th scope="col">Similarity</th><th scope="col">Level</th><th scope="col">Server</th><th scope="col">Platform</th><th scope="col">Shared features</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  }
  async function peers() {
    const user = $('#peer-user').value.trim();
    const [r, inbox] = await Promise.all([call('GET', `games/${enc(game())}/players/${enc(user)}/peers?k=10`), call('GET', `games/${enc(game())}/players/${enc(user)}/inbox?pageSize=20`)]);
    if (!r.ok) { $('#peers-result').innerHTML = problem(r); } else {
      const features = r.json.features;
      $('#peers-result').innerHTML = `<div class="scroll"><table id="peers-table"><caption>${esc(user)} among ${r.json.peers.length} peers</caption><thead><tr><th scope="col">Feature</th><th scope="col">Value</th><th scope="col">Peer median</th><th scope="col">Percentile</th></tr></thead><tbody>` +
        features.map((f) => `<tr><th scope="row">${esc(f.feature)}</th><td>${f.value.toFixed(2)}</td><td>${f.peerMedian == null ? '' : f.peerMedian.toFixed(2)}</td><td>${f.percentile == null ? '' : Math.round(f.percentile)}</td></tr>`).join('') + '</tbody></table></div>';
      if (chart) chart.destroy();
      chart = new Chart($('#peers-chart'), {
        type: 'bar',
        data: { labels: features.map((f) => f.feature), datasets: [{ label: `Percentile of ${user} among peers`, data: features.map((f) => f.percentile ?? 0), backgroundColor: '#1f5fa8' }] },
        options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false, scales: { x: { min: 0, max: 100, title: { display: true, text: 'percentile' } } } },
      });
    }
    $('#inbox-result').innerHTML = !inbox.ok ? problem(inbox) : inbox.json.items.length === 0 ? '<p>The inbox is empty.</p>'
      : `<p>${inbox.json.unreadCount} unread</p><ul class="inbox">${inbox.json.items.map((n) => `<li${n.read ? '' : ' class="unread"'}><strong>${esc(n.title)}</strong> ${esc(n.body)} <span class="meta">${esc(n.ruleId)}, ${esc(n.time)}</span>${why(n.explanation)}</li>`).join('')}</ul>`;
    await experiment(user);
  }
  // Why a stats notification was sent: the moment and the peers' statistics it showed.
  function why(e) {
    if (!e) return '';
    const features = e.features.map((f) => `${esc(f.feature)} ${num(f.value)} against a peer median of ${num(f.peerMedian)}, percentile ${Math.round(f.percentile)}`).join('; ');
    return `<p class="why">Why: ${esc(e.moment)}, compared with ${esc(e.peers)} of k=${esc(e.k)} peers at ${esc(e.at)}${features ? ': ' + features : ''}</p>`;
  }
  const num = (x) => x == null ? '' : Number(x.toFixed(2)).toString();
  const rate = (p) => p.rate == null ? 'n/a' : `${(100 * p.rate).toFixed(1)}% (${p.count}/${p.of}; 95% CI ${(100 * p.low).toFixed(1)}–${(100 * p.high).toFixed(1)}%)`;
  async function experiment(user) {
    const r = await call('GET', `games/${enc(game())}/players/${enc(user)}/experiment`);
    if (!r.ok) { $('#experiment-result').innerHTML = problem(r); return; }
    if (!r.json.experimentId) { $('#experiment-result').innerHTML = '<p>This game runs no stats experiment: every player gets stats notifications.</p>'; return; }
    const would = r.json.wouldHaveReceived;
    let html = `<p id="player-arm">${esc(user)} is in the <strong>${esc(r.json.arm)}</strong> arm of ${esc(r.json.experimentId)} (bucket ${r.json.bucket.toFixed(4)}).</p>` +
      (r.json.arm === 'control' ? (would.length === 0 ? '<p>Nothing would have been sent yet.</p>'
        : `<p>Would have received (not sent):</p><ul class="inbox">${would.map((w) => `<li><strong>${esc(w.notification.title)}</strong> ${esc(w.notification.body)} <span class="meta">${esc(w.notification.ruleId)}, ${esc(w.notification.time)}</span>${why(w.notification.explanation)}</li>`).join('')}</ul>`) : '');
    const results = await call('GET', `games/${enc(game())}/experiments/${enc(r.json.experimentId)}`);
    html += !results.ok ? problem(results) : `<div class="scroll"><table id="experiment-table"><caption>${esc(r.json.experimentId)}: retention and conversion per arm</caption><thead><tr><th scope="col">Arm</th><th scope="col">Enrolled</th><th scope="col">D1 retention</th><th scope="col">D7 retention</th><th scope="col">Conversion</th></tr></thead><tbody>` +
      [results.json.treatment, results.json.control].map((a) => `<tr><th scope="row">${esc(a.arm)}</th><td>${a.enrolled}</td><td>${rate(a.d1Retention)}</td><td>${rate(a.d7Retention)}</td><td>${rate(a.conversion)}</td></tr>`).join('') +
      `</tbody></table></div><p class="meta">Treatment over control: D1 ${results.json.d1Ratio ?? 'n/a'}, D7 ${results.json.d7Ratio ?? 'n/a'}, conversion ${results.json.conversionRatio ?? 'n/a'}</p>`;
    $('#experiment-result').innerHTML = html;
  }

  // ----- Health -----
  async function health() {
    const r = await call('GET', 'health');
    const deps = (r.json && r.json.dependencies) || {};
    const items = Object.entries(deps).map(([k, v]) => `<dt>${esc(k)}</dt><dd class="dep-${esc(v)}">${esc(v)}</dd>`).join('');
    $('#health-result').innerHTML = `<p>Overall: <strong>${esc(r.json ? r.json.status : 'unknown')}</strong></p>${items ? '<dl>' + items + '</dl>' : '<p>No dependency is checked here (embedded stores).</p>'}`;
  }

  function init() {
    const page = document.body.dataset.page;
    if (page === 'rules' && $('#cond-rows') && !$('#cond-rows li')) { conditionRow(); writeCel(); }
    if (page === 'blocklist' && $('#ip-address') && $('#ip-address').value) lookup($('#ip-address').value);
    if (page === 'players' && $('#peer-user') && $('#peer-user').value) peers();
    if (page === 'health') health();
  }

  document.addEventListener('click', (e) => {
    const b = e.target.closest('button[data-action]');
    if (!b) return;
    const a = b.dataset.action;
    if (a === 'add-condition') { conditionRow('', '==', ''); writeCel(); document.querySelector('#cond-rows li:last-child .cf').focus(); }
    else if (a === 'remove-condition') { b.closest('li').remove(); writeCel(); }
    else if (a === 'dry-run') dryRun();
    else if (a === 'player-dry-run') playerDryRun();
    else if (a === 'save-rule') saveRule();
    else if (a === 'set-state') setState(b.dataset.rule);
    else if (a === 'edit-rule') editRule(b.dataset.rule);
    else if (a === 'rule-history') history(b.dataset.rule);
    else if (a === 'review') review(b.dataset.flag, b.dataset.review);
    else if (a === 'remove-entry') removeEntry(b.dataset.entry);
    else if (a === 'edit-entry') {
      $('#entry-id').value = b.dataset.entry; $('#entry-kind').value = b.dataset.cidr ? 'cidr' : 'asn';
      $('#entry-value').value = b.dataset.cidr || b.dataset.asn; $('#entry-reason').value = b.dataset.reason; $('#entry-expires').value = b.dataset.expires;
      $('#entry-reason').focus();
    }
  });
  document.addEventListener('input', (e) => { if (e.target.closest('#cond-rows') || e.target.id === 'cond-join') writeCel(); });
  document.addEventListener('change', (e) => { if (e.target.closest('#cond-rows') || e.target.id === 'cond-join') writeCel(); });
  document.addEventListener('submit', (e) => {
    const id = e.target.id;
    const handlers = { 'ip-form': () => lookup($('#ip-address').value.trim()), 'entry-form': saveEntry, 'similar-form': similar, 'peers-form': peers, 'rule-form': dryRun };
    if (handlers[id]) { e.preventDefault(); handlers[id](); }
  });
  document.addEventListener('htmx:afterSettle', init);
  init();
})();
