// How a feed moves with each message of the live feed. One reducer serves every feed the page
// keeps: this agent's links (counters and meters by link id), each hub server's clients (by slot)
// and each followed peer's relayed links (by link id). It is pure: it returns the parts of the feed
// that a message changes, as new objects, and leaves what it was given alone. A store applies them
// with Object.assign(feed, reduceFeed(feed, msg, options)).

// A feed before any message: a hub's also has clients, a peer's and this agent's events.
export function emptyFeed() {
  return { counters: {}, meters: {}, clients: [], events: [] }
}

// key: whose counters or meters the message carries (a link id, or a hub client's slot);
// eventsKept: how many events the feed keeps, newest last.
export function reduceFeed(feed, msg, { key = msg.link, eventsKept = Infinity } = {}) {
  switch (msg.type) {
    // Each message carries only the counters that changed.
    case 'counters':
      return { counters: { ...feed.counters, [key]: { ...feed.counters[key], ...msg.values } } }
    case 'meters':
      return { meters: { ...feed.meters, [key]: { t: msg.t, send: msg.send, receive: msg.receive } } }
    case 'clients':
      return clientsChanged(feed, msg.clients || [])
    case 'event': {
      const { type, ...event } = msg
      return { events: [...feed.events, event].slice(-eventsKept) }
    }
    default:
      return {}
  }
}

// A client list is whole: a slot missing from it, or held by a client that joined later, loses
// what was kept of the client before.
function clientsChanged(feed, clients) {
  const now = new Map(clients.map((c) => [c.slot, c.joinedAt]))
  const counters = { ...feed.counters }
  const meters = { ...feed.meters }
  for (const c of feed.clients) {
    if (now.get(c.slot) !== c.joinedAt) {
      delete counters[c.slot]
      delete meters[c.slot]
    }
  }
  return { clients, counters, meters }
}
