// The signed-in user's event stream (/ws/events/): keeps the header's unread counts
// (messages, notifications) live, reads new notifications out through a polite live
// region, and, by pinging every 30 s, tells the server the user is on the site (no
// message e-mail then).
(() => {
  "use strict";
  if (!("WebSocket" in window)) return;
  const messageBadge = document.querySelector("[data-unread-badge]");
  const noticeBadge = document.querySelector("[data-notification-badge]");
  const live = document.querySelector("[data-notification-live]");
  if (!messageBadge && !noticeBadge) return;
  let retries = 0;
  let pingTimer = null;

  const show = (badge, selector, total) => {
    if (!badge) return;
    badge.querySelector(selector).textContent = total;
    badge.hidden = total === 0;
  };

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/events/`);
    socket.addEventListener("open", () => {
      retries = 0;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 30000);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "hello") {
        // Says the page is live (what arrives from now on shows at once).
        document.body.dataset.liveEvents = "connected";
      } else if (data.type === "unread") {
        show(messageBadge, "[data-unread-total]", data.total);
      } else if (data.type === "notification") {
        show(noticeBadge, "[data-notification-total]", data.unread);
        if (live) live.textContent = data.title;
      } else if (data.type === "notification-read") {
        show(noticeBadge, "[data-notification-total]", data.unread);
      }
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      delete document.body.dataset.liveEvents;
      if (event.code === 4401) return;
      const delay = Math.min(30000, 1000 * 2 ** retries);
      retries += 1;
      setTimeout(connect, delay);
    });
  };
  connect();
})();
