// A live conversation over /ws/conversations/<id>/ (see messaging/consumers.py).
//
// The page already shows the latest messages, and the form works without this file.
// Here: messages arrive as they are sent; each carries its conversation's seq, so the page
// renders them in order, ignores ones it has, and asks the server for anything it missed
// (a gap, a reconnect). What the user sends waits in an outbox kept in sessionStorage
// until the server acknowledges it; resending the same client_id stores one message, so a
// dropped connection or a reload loses nothing and doubles nothing.
(() => {
  "use strict";
  const root = document.getElementById("conversation");
  if (!root || !root.dataset.socket || !("WebSocket" in window)) return;

  const texts = JSON.parse(document.getElementById("chat-texts").textContent);
  const list = document.getElementById("chat-messages");
  const status = document.getElementById("chat-status");
  const form = document.getElementById("chat-form");
  const errors = document.getElementById("chat-errors");
  const textarea = form && form.querySelector("textarea");
  const fileInput = form && form.querySelector('input[type="file"]');
  const shareBox = form && form.querySelector('input[name="share_contact"]');
  const userId = Number(root.dataset.user);
  const outboxKey = `chat-outbox-${root.dataset.conversation}`;
  const CLOSING = new Set(["declined", "invitation_declined", "withdrawn", "expired"]);

  let lastSeq = 0;
  for (const item of list.querySelectorAll("[data-seq]")) {
    lastSeq = Math.max(lastSeq, Number(item.dataset.seq));
  }
  let othersRead = Number(root.dataset.othersRead || 0);
  let readSent = 0;
  let socket = null;
  let connectedOnce = false;
  let retries = 0;
  let syncing = false;
  let pingTimer = null;
  const early = new Map(); // seq -> message that arrived before the one in front of it

  // --- Outbox ----------------------------------------------------------------------------
  const loadOutbox = () => {
    try {
      return JSON.parse(sessionStorage.getItem(outboxKey)) || [];
    } catch {
      return [];
    }
  };
  let outbox = loadOutbox();
  const saveOutbox = () => {
    try {
      sessionStorage.setItem(outboxKey, JSON.stringify(outbox));
    } catch {
      /* private mode: the outbox lives as long as the page */
    }
  };
  const newClientId = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // --- Rendering (the same markup as messaging/chat_message.html) ------------------------
  const node = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const pad = (n) => String(n).padStart(2, "0");
  const formatTime = (iso) => {
    // Y-m-d H:i in Japan time, like the server-rendered messages.
    const parts = {};
    const format = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    for (const part of format.formatToParts(new Date(iso))) parts[part.type] = part.value;
    return `${parts.year}-${parts.month}-${parts.day} ${pad(parts.hour)}:${parts.minute}`;
  };
  const withBreaks = (el, text) => {
    text.split("\n").forEach((line, i) => {
      if (i) el.append(document.createElement("br"));
      el.append(line);
    });
    return el;
  };
  const meta = (message) => {
    const p = node("p", "chat-message__meta");
    const time = node("time", "", formatTime(message.created_at));
    time.dateTime = message.created_at;
    p.append(time);
    return p;
  };

  const render = (message) => {
    const li = node("li", "chat-message");
    li.id = `m${message.seq}`;
    li.dataset.seq = message.seq;
    if (message.event) {
      li.classList.add("chat-message--event");
      li.append(node("p", "", texts.events[message.event] || ""), meta(message));
      return li;
    }
    const mine = message.sender && message.sender.id === userId;
    if (mine) li.classList.add("chat-message--mine");
    li.append(node("p", "chat-message__sender", mine ? texts.you : message.sender ? message.sender.name : ""));
    if (message.removed) {
      li.append(node("p", "chat-message__body chat-message__body--removed", texts.removed));
    } else {
      if (message.body) li.append(withBreaks(node("p", "chat-message__body"), message.body));
      for (const file of message.attachments) {
        const p = node("p", "chat-message__file");
        const link = node("a");
        link.href = file.url;
        if (file.is_image) {
          const img = node("img", "chat-message__image");
          img.src = file.url;
          img.alt = file.name;
          img.loading = "lazy";
          link.append(img);
        } else {
          link.textContent = file.name;
        }
        p.append(link);
        li.append(p);
      }
    }
    const info = meta(message);
    if (mine) {
      const read = node("span", "chat-message__read", texts.read);
      read.hidden = message.seq > othersRead;
      info.append(" ", read);
    } else if (message.sender && !message.removed) {
      const report = node("a", "chat-message__report", texts.report);
      report.href = root.dataset.reportBase.replace("/0/", `/${message.id}/`);
      info.append(" ", report);
    }
    li.append(info);
    return li;
  };

  const nearBottom = () => window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;

  const place = (message) => {
    const existing = document.getElementById(`m${message.seq}`);
    if (existing) {
      existing.replaceWith(render(message)); // e.g. removed by a moderator
      return;
    }
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    if (message.client_id) {
      const pending = list.querySelector(`[data-client-id="${message.client_id}"]`);
      if (pending) pending.remove();
      outbox = outbox.filter((item) => item.client_id !== message.client_id);
      saveOutbox();
    }
    const stick = nearBottom();
    const later = Array.from(list.children).find(
      (el) => el.dataset.seq && Number(el.dataset.seq) > message.seq,
    );
    const firstPending = list.querySelector(".chat-message--pending");
    const el = render(message);
    list.insertBefore(el, later || firstPending || null);
    if (stick) el.scrollIntoView({ block: "end" });
    if (message.event && CLOSING.has(message.event) && form) {
      form.hidden = true;
    }
  };

  // Messages go on the page strictly in seq order: one that arrives early waits in `early`
  // until the ones before it are here, and a gap makes the page ask the server.
  const accept = (message) => {
    if (message.seq <= lastSeq) {
      if (message.removed) place(message);
      return;
    }
    early.set(message.seq, message);
    while (early.has(lastSeq + 1)) {
      const next = early.get(lastSeq + 1);
      early.delete(lastSeq + 1);
      place(next);
      lastSeq = next.seq;
    }
    if (early.size) sync();
  };

  const showPending = (item) => {
    const li = node("li", "chat-message chat-message--mine chat-message--pending");
    li.dataset.clientId = item.client_id;
    li.append(node("p", "chat-message__sender", texts.you));
    li.append(withBreaks(node("p", "chat-message__body"), item.body));
    li.append(node("p", "chat-message__meta", texts.sending));
    const empty = document.getElementById("chat-empty");
    if (empty) empty.remove();
    list.append(li);
    li.scrollIntoView({ block: "end" });
  };

  const showError = (text) => {
    if (!errors) return;
    errors.querySelector("ul").replaceChildren(node("li", "", text));
    errors.hidden = !text;
  };

  // --- The socket -------------------------------------------------------------------------
  const send = (data) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(data));
  };
  const sync = () => {
    if (syncing) return;
    syncing = true;
    send({ type: "sync", after: lastSeq });
  };
  const flush = () => {
    for (const item of outbox) send({ type: "send", ...item });
  };
  const markRead = () => {
    if (document.visibilityState === "visible" && lastSeq > readSent) {
      readSent = lastSeq;
      send({ type: "read", seq: lastSeq });
    }
  };
  const setStatus = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  const handlers = {
    hello() {
      syncing = false;
      sync();
      flush();
    },
    message(data) {
      accept(data.message);
      markRead();
    },
    messages(data) {
      syncing = false;
      for (const message of data.messages) accept(message);
      if (data.more || early.size) sync();
      markRead();
    },
    ack(data) {
      outbox = outbox.filter((item) => item.client_id !== data.client_id);
      saveOutbox();
      // The broadcast follows the ack; if it went missing, fetch the message.
      setTimeout(() => {
        if (lastSeq < data.seq) sync();
      }, 2000);
    },
    error(data) {
      const item = outbox.find((entry) => entry.client_id === data.client_id);
      outbox = outbox.filter((entry) => entry.client_id !== data.client_id);
      saveOutbox();
      const pending = list.querySelector(`[data-client-id="${data.client_id}"]`);
      if (pending) pending.remove();
      if (item && textarea && !textarea.value) textarea.value = item.body;
      showError(data.message);
      if (data.code === "contact_details" && shareBox) shareBox.focus();
      else if (textarea) textarea.focus();
    },
    read(data) {
      if (data.user === userId || data.seq <= othersRead) return;
      othersRead = data.seq;
      for (const el of list.querySelectorAll(".chat-message--mine[data-seq]")) {
        const read = el.querySelector(".chat-message__read");
        if (read && Number(el.dataset.seq) <= othersRead) read.hidden = false;
      }
    },
    pong(data) {
      // Broadcasts are hints; the pong says how far the conversation really is.
      if (lastSeq < data.last_seq) sync();
    },
  };

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socket}`);
    socket.addEventListener("open", () => {
      retries = 0;
      connectedOnce = true;
      setStatus(texts.online);
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: "ping" }), 30000);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      const handler = handlers[data.type];
      if (handler) handler(data);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      syncing = false;
      if (event.code === 4401 || event.code === 4404) {
        setStatus("");
        return; // signed out or no longer allowed: the plain form still works
      }
      setStatus(texts.offline);
      const delay = Math.min(15000, 1000 * 2 ** retries);
      retries += 1;
      setTimeout(connect, delay);
    });
  };

  if (form) {
    form.addEventListener("submit", (event) => {
      // Files, and a socket that never opened, take the plain form post.
      if ((fileInput && fileInput.files.length) || !connectedOnce) return;
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) {
        textarea.focus();
        return;
      }
      const item = {
        client_id: newClientId(),
        body,
        share_contact: Boolean(shareBox && shareBox.checked),
      };
      outbox.push(item);
      saveOutbox();
      showPending(item);
      showError("");
      textarea.value = "";
      if (shareBox) shareBox.checked = false;
      flush();
    });
    // Enter sends only with Ctrl/⌘: a plain Enter is a new line, as IME users expect.
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
  for (const item of outbox) showPending(item);
  document.addEventListener("visibilitychange", markRead);
  if (!window.location.hash && list.lastElementChild) list.lastElementChild.scrollIntoView({ block: "end" });
  connect();
})();
