// Polling a job while it runs: the work again a period after each answer, never two at once, and
// only while the page follows it and `due()` says the job still moves.
export function poller(periodMs, due, work) {
  const state = { on: false, timer: null }
  function schedule() {
    if (!state.on || state.timer || !due()) return
    const handle = setTimeout(async () => {
      await work()
      if (state.timer !== handle) return
      state.timer = null
      schedule()
    }, periodMs)
    state.timer = handle
  }
  return {
    schedule,
    follow() {
      state.on = true
      schedule()
    },
    unfollow() {
      state.on = false
      if (state.timer) clearTimeout(state.timer)
      state.timer = null
    },
  }
}
