/*
 * herald-client.js: the browser client of Herald's WebSocket server (served by the node at /public/herald-client.js).
 * Actionhero's ActionheroWebsocketClient, simplified: one WebSocket, promises instead of callbacks, no dependencies,
 * ES2017, no build step. Usage:
 *
 *   const client = new HeraldClient();                 // ws(s)://<this page's host>/ws, or {url: 'ws://host:8080/ws'}
 *   client.on('say', (m) => console.log(m.from, m.message));
 *   await client.connect();                            // resolves with the welcome message (client.id, client.fingerprint)
 *   const status = await client.action('status', {}); // the action's response; a failure holds `error`
 *   await client.roomAdd('lobby');
 *   await client.say('lobby', 'hello');
 *
 * Events (client.on(name, fn)): welcome, say (chat: {context: "user", from, room, message, sentAt}), message (every
 * message), connected, disconnected ({code, reason}), reconnect (after a reconnection, once the rooms are re-joined),
 * error. After an unexpected close the client reconnects with exponential backoff (reconnectDelay doubling up to
 * maxReconnectDelay, with jitter) and re-joins its rooms; requests of the lost connection resolve with
 * {error: "connection lost"}. client.disconnect() closes and stops reconnecting.
 */
(function (root) {
  'use strict';

  var CONNECTION_LOST = 'connection lost';

  function defaultUrl() {
    var location = root.location;
    if (!location || !location.host) {
      throw new Error('HeraldClient needs {url} outside a page served over http(s)');
    }
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function option(options, name, fallback) {
    return options[name] === undefined || options[name] === null ? fallback : options[name];
  }

  class HeraldClient {
    constructor(options) {
      options = options || {};
      this.url = option(options, 'url', null) || defaultUrl();
      this.reconnectDelay = option(options, 'reconnectDelay', 100);
      this.maxReconnectDelay = option(options, 'maxReconnectDelay', 5000);
      this.WebSocket = option(options, 'WebSocket', root.WebSocket);
      this.id = null;
      this.fingerprint = null;
      this.welcome = null;
      this.state = 'disconnected';
      this.rooms = new Set();
      this.listeners = {};
      this.pending = new Map();
      this.messageCount = 0;
      this.socket = null;
      this.attempts = 0;
      this.timer = null;
      this.stopped = true;
    }

    on(event, listener) {
      (this.listeners[event] = this.listeners[event] || []).push(listener);
      return this;
    }

    off(event, listener) {
      var list = this.listeners[event] || [];
      var index = list.indexOf(listener);
      if (index >= 0) {
        list.splice(index, 1);
      }
      return this;
    }

    emit(event, value) {
      (this.listeners[event] || []).slice().forEach(function (listener) {
        try {
          listener(value);
        } catch (e) {
          // a listener's bug must not stop the client: report it where a page looks for errors
          setTimeout(function () { throw e; });
        }
      });
    }

    /** Opens the connection; resolves with the welcome message, rejects when the first attempt fails. */
    connect() {
      this.stopped = false;
      if (this.state === 'connected') {
        return Promise.resolve(this.welcome);
      }
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (this.socket) {
        // a reconnection attempt in progress: this call starts afresh instead of leaving a second socket open
        var previous = this.socket;
        this.socket = null;
        previous.close();
      }
      return this.open();
    }

    /** Closes the connection and stops reconnecting. */
    disconnect() {
      this.stopped = true;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (this.socket) {
        this.socket.close(1000, 'the client disconnected');
      }
    }

    /** Runs an action; resolves with its response (which holds `error` when it failed), as Actionhero's client does. */
    action(name, params) {
      var merged = Object.assign({}, params || {}, {action: name});
      return this.send({event: 'action', params: merged});
    }

    roomAdd(room) {
      var self = this;
      return this.send({event: 'roomAdd', room: room}).then(function (answer) {
        if (!answer.error) {
          self.rooms.add(room);
        }
        return answer;
      });
    }

    roomLeave(room) {
      this.rooms.delete(room);
      return this.send({event: 'roomLeave', room: room});
    }

    say(room, message) {
      return this.send({event: 'say', room: room, message: message});
    }

    roomView(room) {
      return this.send({event: 'roomView', room: room});
    }

    detailsView() {
      return this.send({event: 'detailsView'});
    }

    documentation() {
      return this.send({event: 'documentation'});
    }

    /** Sends an event with a new messageId; resolves with the answer carrying that messageId. */
    send(message) {
      var socket = this.socket;
      if (this.state !== 'connected' || !socket) {
        return Promise.resolve({error: 'not connected', context: 'response'});
      }
      var messageId = ++this.messageCount;
      var self = this;
      return new Promise(function (resolve) {
        self.pending.set(messageId, {resolve: resolve, socket: socket});
        socket.send(JSON.stringify(Object.assign({}, message, {messageId: messageId})));
      });
    }

    open() {
      var self = this;
      return new Promise(function (resolve, reject) {
        var welcomed = false;
        var socket;
        try {
          socket = new self.WebSocket(self.url);
        } catch (e) {
          reject(e);
          return;
        }
        self.socket = socket;
        self.state = 'connecting';

        socket.onmessage = function (event) {
          if (self.socket !== socket) {
            return;
          }
          var message;
          try {
            message = JSON.parse(event.data);
          } catch (e) {
            self.emit('error', new Error('the server sent a message that is not JSON'));
            return;
          }
          self.emit('message', message);
          if (!welcomed && message.welcome !== undefined) {
            welcomed = true;
            self.state = 'connected';
            self.attempts = 0;
            self.id = message.id;
            self.fingerprint = message.fingerprint;
            self.welcome = message;
            self.emit('welcome', message);
            self.emit('connected', message);
            resolve(message);
            return;
          }
          if (message.context === 'response' && message.messageId !== undefined && self.pending.has(message.messageId)) {
            var request = self.pending.get(message.messageId);
            self.pending.delete(message.messageId);
            request.resolve(message);
          } else if (message.context === 'user') {
            self.emit('say', message);
          } else if (message.error) {
            self.emit('error', new Error(message.error));
          }
        };

        socket.onerror = function () {
          // the close event follows with the code; browsers give no detail here
          if (self.socket === socket) {
            self.emit('error', new Error('WebSocket error on ' + self.url));
          }
        };

        socket.onclose = function (event) {
          if (self.socket !== socket) {
            return;
          }
          self.socket = null;
          self.state = 'disconnected';
          self.failPending(socket);
          if (welcomed) {
            self.emit('disconnected', {code: event.code, reason: event.reason});
          } else {
            reject(new Error('could not connect to ' + self.url + ' (close ' + event.code + ')'));
          }
          // a first connect that fails is the caller's to retry; a lost or retried connection is ours
          if (!self.stopped && (welcomed || self.attempts > 0)) {
            self.scheduleReconnect();
          }
        };
      });
    }

    failPending(socket) {
      var self = this;
      this.pending.forEach(function (request, messageId) {
        if (request.socket === socket) {
          self.pending.delete(messageId);
          request.resolve({error: CONNECTION_LOST, context: 'response', messageId: messageId});
        }
      });
    }

    /** Exponential backoff with jitter (half to all of the delay), so a restarted node is not hit by every client at once. */
    scheduleReconnect() {
      var self = this;
      var delay = Math.min(this.maxReconnectDelay, this.reconnectDelay * Math.pow(2, this.attempts));
      delay = delay / 2 + Math.random() * delay / 2;
      this.attempts++;
      this.timer = setTimeout(function () {
        self.timer = null;
        if (self.stopped) {
          return;
        }
        self.open().then(function () {
          return self.rejoin();
        }).then(function (rooms) {
          self.emit('reconnect', {rooms: rooms});
        }, function () {
          // the close handler scheduled the next attempt
        });
      }, delay);
    }

    /** Joins again every room this client was in (Actionhero's client does so after a reconnection). */
    rejoin() {
      var self = this;
      var rooms = Array.from(this.rooms);
      return Promise.all(rooms.map(function (room) {
        return self.send({event: 'roomAdd', room: room}).then(function (answer) {
          if (answer.error) {
            self.emit('error', new Error('could not join ' + room + ' again: ' + answer.error));
          }
          return {room: room, error: answer.error};
        });
      }));
    }
  }

  HeraldClient.CONNECTION_LOST = CONNECTION_LOST;

  if (typeof module === 'object' && module.exports) {
    module.exports = HeraldClient;
  } else {
    root.HeraldClient = HeraldClient;
  }
})(typeof self !== 'undefined' ? self : this);
