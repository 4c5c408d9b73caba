import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import { liveStore } from '../stores/live.js'

// This page's clock, read again every periodMs while the component is mounted: uptimes and plots
// go on between the agent's messages.
export function useClock(periodMs) {
  const now = ref(Date.now())
  let ticker = null
  onMounted(() => {
    ticker = setInterval(() => (now.value = Date.now()), periodMs)
  })
  onBeforeUnmount(() => clearInterval(ticker))
  return now
}

// The agent's clock, as the feed's last counters or meters message showed it against this page's.
export function useAgentClock(periodMs) {
  const now = useClock(periodMs)
  return computed(() => now.value + liveStore.clockOffsetMs)
}
