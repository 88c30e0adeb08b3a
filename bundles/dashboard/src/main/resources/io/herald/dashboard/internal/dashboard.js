// The queue dashboard (bundle herald-dashboard): resque-web and Actionhero's ah-resque-ui for Herald. Plain ES2017, no
// build step, no dependencies. Everything it shows comes from the resque:* actions of the herald-tasks bundle, called
// with the operator's credentials: an API key typed here (kept in this tab's sessionStorage, sent as X-API-Key), or
// else the session cookie of an application's login. The node checks the admin role on every call; the page only
// explains a 401 or 403 when it gets one.
//
// Job arguments come from any client of the queues: they are drawn as text (textContent), never as HTML.
'use strict';

(() => {
  const body = document.body;
  const apiPath = body.dataset.apiPath;
  const refreshSeconds = Number(body.dataset.refreshSeconds) || 0;
  const KEY_STORE = 'herald.dashboard.apiKey';
  /** Jobs listed per queue, failed jobs and seconds of delayed jobs per refresh. */
  const PAGE = 50;

  const $ = (id) => document.getElementById(id);
  let refreshes = 0;
  let running = null;
  let again = false;

  class ActionError extends Error {
    constructor(action, status, message) {
      super(message);
      this.action = action;
      this.status = status;
    }
  }

  // ------------------------------------------------------------------------------------------------ calls

  /** Runs an action: GET with a query for reads, POST with a JSON body for changes. Throws ActionError. */
  async function call(action, params = {}, change = false) {
    const headers = {Accept: 'application/json'};
    const key = sessionStorage.getItem(KEY_STORE);
    if (key) {
      headers['X-API-Key'] = key;
    }
    let url = apiPath + '/' + action;
    const init = {method: change ? 'POST' : 'GET', headers, credentials: 'same-origin', cache: 'no-store'};
    if (change) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(params);
    } else if (Object.keys(params).length > 0) {
      url += '?' + new URLSearchParams(params).toString();
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      throw new ActionError(action, 0, 'the node did not answer (' + e.message + ')');
    }
    let data = null;
    try {
      data = await response.json();
    } catch (notJson) {
      data = null;
    }
    if (!response.ok) {
      throw new ActionError(action, response.status, (data && data.error) || response.statusText || 'failed');
    }
    return data || {};
  }

  /** What an operator should read for a failed call: what the node said, and what to do about a 401 or 403. */
  function explain(error) {
    if (!(error instanceof ActionError)) {
      return 'The page failed: ' + error.message;
    }
    switch (error.status) {
      case 0:
        return 'No answer from the node: ' + error.message + '.';
      case 401:
        return '401 Unauthorized: ' + error.message + '. Enter an API key with the admin role, or sign in to the '
            + 'application first.';
      case 403:
        return '403 Forbidden: ' + error.message + '. These credentials lack the admin role the queue actions need.';
      case 429:
        return '429 Too Many Requests: ' + error.message + '. Too many failed credentials from this address; wait.';
      case 503:
        return '503 Service Unavailable: ' + error.message + '.';
      default:
        return error.status + ' from ' + error.action + ': ' + error.message;
    }
  }

  function showProblem(error) {
    const problem = $('problem');
    problem.textContent = explain(error);
    problem.hidden = false;
    body.dataset.state = 'error';
    body.dataset.errorStatus = String(error.status === undefined ? -1 : error.status);
  }

  function notice(text) {
    const box = $('notice');
    box.textContent = text;
    box.hidden = false;
  }

  // ------------------------------------------------------------------------------------------------ drawing

  /** An element with attributes and children; strings become text nodes. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'onclick') {
        node.addEventListener('click', value);
      } else if (name.startsWith('data-')) {
        node.setAttribute(name, String(value));
      } else {
        node[name] = value;
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function fill(id, rows, emptyText, columns) {
    const target = $(id);
    target.replaceChildren();
    if (rows.length === 0) {
      target.append(el('tr', {}, el('td', {className: 'empty', colSpan: columns}, emptyText)));
      return;
    }
    target.append(...rows);
  }

  function jobText(job) {
    return job ? job.class + ' ' + JSON.stringify(job.args) : '(unreadable job)';
  }

  function jobCell(job) {
    return el('td', {}, el('strong', {}, job ? job.class : '?'), job ? ' on ' + job.queue : '',
        el('div', {className: 'args'}, job ? JSON.stringify(job.args) : '(unreadable job)'));
  }

  function time(ms) {
    return new Date(ms).toLocaleString();
  }

  function seconds(ms) {
    return ms % 1000 === 0 ? ms / 1000 + ' s' : ms + ' ms';
  }

  /** A button that runs a change, then refreshes; a refused change shows why. */
  function button(label, attributes, run, confirmText) {
    return el('button', Object.assign({type: 'button', onclick: async (event) => {
      if (confirmText && !window.confirm(confirmText)) {
        return;
      }
      event.target.disabled = true;
      try {
        notice(await run());
      } catch (e) {
        showProblem(e);
        return;
      } finally {
        event.target.disabled = false;
      }
      refresh();
    }}, attributes), label);
  }

  function drawOverview(details, failedCount) {
    const stats = $('stats');
    stats.replaceChildren();
    const entries = [
      ['queues', Object.keys(details.queues).length],
      ['jobs queued', Object.values(details.queues).reduce((sum, q) => sum + q.length, 0)],
      ['workers', details.workers.length],
      ['working', details.workers.filter((w) => w.status !== 'idle').length],
      ['processed', details.stats.processed || 0],
      ['failed (ever)', details.stats.failed || 0],
      ['failed now', failedCount],
      ['delayed', details.delayedCount],
      ['scheduler leader', details.leader || 'none'],
    ];
    for (const [name, value] of entries) {
      stats.append(el('div', {'data-stat': name}, el('dt', {}, name), el('dd', {}, value)));
    }
  }

  function drawQueues(details, queued) {
    const list = $('queue-list');
    list.replaceChildren();
    const names = Object.keys(details.queues);
    $('queues-empty').hidden = names.length > 0;
    for (const name of names) {
      const page = queued[name];
      const rows = page.jobs.map((job, index) => el('tr', {'data-job-class': job.class},
          el('td', {}, index), jobCell(job)));
      const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Job'))),
          el('tbody', {}, ...(rows.length ? rows : [el('tr', {}, el('td', {className: 'empty', colSpan: 2}, 'empty'))])));
      list.append(el('div', {className: 'queue', 'data-queue': name},
          el('h3', {}, name + ' ', el('span', {className: 'count'}, '(' + page.length + ' queued'
              + (page.length > page.jobs.length ? ', first ' + page.jobs.length + ' shown' : '') + ')'), ' ',
              button('Delete queue', {className: 'danger', 'data-del-queue': name}, async () => {
                await call('resque:delQueue', {queue: name}, true);
                return 'Queue ' + name + ' deleted.';
              }, 'Delete queue ' + name + ' and its ' + page.length + ' jobs?')),
          table));
    }
  }

  function drawWorkers(details) {
    fill('worker-list', details.workers.map((worker) => {
      const working = worker.status !== 'idle';
      return el('tr', {'data-worker': worker.worker},
          el('td', {}, el('code', {}, worker.worker)),
          el('td', {}, worker.queues),
          working ? el('td', {}, jobText(worker.status.payload), el('div', {className: 'muted'},
              'since ' + worker.status.run_at)) : el('td', {className: 'muted'}, 'idle'),
          el('td', {className: 'actions'}, button('Remove', {className: 'danger', 'data-clean': worker.worker},
              async () => {
                await call('resque:forceCleanWorker', {workerName: worker.worker}, true);
                return 'Worker ' + worker.worker + ' removed' + (working ? '; its job is in the failed list.' : '.');
              }, 'Remove worker ' + worker.worker + '? Only do this for a worker whose process is gone.')));
    }), 'No worker is registered.', 4);
  }

  function drawFailed(failed) {
    $('failed-count').textContent = '(' + failed.total + ')';
    $('retry-all').disabled = failed.total === 0;
    $('remove-all').disabled = failed.total === 0;
    fill('failed-list', failed.failed.map((entry) => el('tr', {'data-failed': entry.id},
        el('td', {}, entry.id),
        jobCell(entry.payload),
        el('td', {}, el('div', {className: 'error'}, (entry.exception ? entry.exception + ': ' : '') + entry.error),
            entry.backtrace && entry.backtrace.length ? el('details', {}, el('summary', {}, 'backtrace'),
                el('pre', {}, entry.backtrace.join('\n'))) : null,
            el('div', {className: 'muted'}, 'worker ' + entry.worker)),
        el('td', {}, entry.failed_at),
        el('td', {className: 'actions'},
            button('Retry', {'data-retry': entry.id}, async () => {
              const answer = await call('resque:retryAndRemoveFailed', {id: entry.id}, true);
              return answer.retried ? 'Failed job ' + entry.id + ' queued again.' : 'Failed job ' + entry.id
                  + ' could not be queued again (its payload is not a readable job).';
            }), ' ',
            button('Remove', {className: 'danger', 'data-remove': entry.id}, async () => {
              await call('resque:removeFailed', {id: entry.id}, true);
              return 'Failed job ' + entry.id + ' removed.';
            })))), 'No failed job.', 5);
  }

  function drawDelayed(delayed) {
    $('delayed-count').textContent = '(' + delayed.timestampsCount + (delayed.timestampsCount === 1 ? ' second' : ' seconds') + ')';
    const rows = [];
    for (const second of delayed.delayedjobs) {
      second.jobs.forEach((job, count) => {
        rows.push(el('tr', {'data-delayed': second.timestamp + '/' + count, 'data-job-class': job.class},
            el('td', {}, time(second.timestamp)),
            jobCell(job),
            el('td', {className: 'actions'},
                button('Run now', {'data-run': second.timestamp + '/' + count}, async () => {
                  const answer = await call('resque:runDelayed', {timestamp: second.timestamp, count}, true);
                  return answer.enqueued ? job.class + ' moved to queue ' + job.queue + '.'
                      : job.class + ' was not moved (no longer delayed, or a plugin declined it).';
                }), ' ',
                button('Delete', {className: 'danger', 'data-del-delayed': second.timestamp + '/' + count}, async () => {
                  await call('resque:delDelayed', {timestamp: second.timestamp, count}, true);
                  return 'Delayed ' + job.class + ' removed.';
                }))));
      });
    }
    fill('delayed-list', rows, 'No delayed job.', 3);
  }

  function drawRecurring(recurring) {
    fill('recurring-list', recurring.recurring.map((task) => el('tr', {'data-recurring': task.name},
        el('td', {}, task.name), el('td', {}, task.queue), el('td', {}, seconds(task.frequency)),
        task.scheduledAt.length ? el('td', {}, task.scheduledAt.map(time).join(', '))
            : el('td', {className: 'muted'}, 'not delayed: queued or running now'))),
    'No recurring task runs on this node.', 4);
  }

  function drawLocks(locks) {
    fill('lock-list', Object.entries(locks.locks).map(([name, value]) => el('tr', {'data-lock': name},
        el('td', {}, el('code', {}, name)),
        el('td', {}, /^\d{9,11}$/.test(value) ? 'until ' + time(Number(value) * 1000) : value),
        el('td', {className: 'actions'}, button('Delete', {className: 'danger', 'data-del-lock': name}, async () => {
          const answer = await call('resque:delLock', {lock: name}, true);
          return answer.deleted ? 'Lock ' + name + ' deleted.' : 'Lock ' + name + ' was already gone.';
        })))), 'No lock is held.', 3);
  }

  // ------------------------------------------------------------------------------------------------ refreshing

  async function load() {
    const [details, failed, delayed, recurring, locks] = await Promise.all([
      call('resque:details'),
      call('resque:failed', {start: 0, stop: PAGE - 1}),
      call('resque:delayedjobs', {start: 0, stop: PAGE - 1}),
      call('resque:recurring'),
      call('resque:locks'),
    ]);
    const names = Object.keys(details.details.queues);
    const pages = await Promise.all(names.map((queue) => call('resque:queued', {queue, start: 0, stop: PAGE - 1})));
    const queued = {};
    names.forEach((name, i) => (queued[name] = pages[i]));
    drawOverview(details.details, failed.total);
    drawQueues(details.details, queued);
    drawWorkers(details.details);
    drawFailed(failed);
    drawDelayed(delayed);
    drawRecurring(recurring);
    drawLocks(locks);
  }

  /** Loads everything again; a refresh asked for while one runs follows it. */
  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        await load();
        $('problem').hidden = true;
        body.dataset.state = 'ready';
        delete body.dataset.errorStatus;
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      } catch (e) {
        showProblem(e);
      } finally {
        body.dataset.refreshes = String(++refreshes);
        running = null;
        if (again) {
          again = false;
          refresh();
        }
      }
    })();
    return running;
  }

  $('credentials').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    if (key) {
      sessionStorage.setItem(KEY_STORE, key);
    } else {
      sessionStorage.removeItem(KEY_STORE);
    }
    $('api-key').value = '';
    $('notice').hidden = true;
    refresh();
  });
  $('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORE);
    $('notice').hidden = true;
    refresh();
  });
  $('refresh').addEventListener('click', () => refresh());
  $('retry-all').addEventListener('click', async () => {
    try {
      const answer = await call('resque:retryAndRemoveAllFailed', {}, true);
      notice(answer.retried + ' failed jobs queued again.');
    } catch (e) {
      showProblem(e);
      return;
    }
    refresh();
  });
  $('remove-all').addEventListener('click', async () => {
    if (!window.confirm('Remove every failed job?')) {
      return;
    }
    try {
      const answer = await call('resque:removeAllFailed', {}, true);
      notice(answer.removed + ' failed jobs removed.');
    } catch (e) {
      showProblem(e);
      return;
    }
    refresh();
  });

  refresh();
  if (refreshSeconds > 0) {
    setInterval(() => {
      if (!document.hidden) {
        refresh();
      }
    }, refreshSeconds * 1000);
  }
})();
