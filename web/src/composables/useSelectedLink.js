import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { route } from '../router.js'
import { isRunning, linksStore, loadCounterInfo, loadLinks } from '../stores/links.js'

// The link a view shows out of `links` (a computed list): the one the user picked or the address
// names (#/live/l3, #/clients/l2) while it is listed, else the first running one, else the first.
// follow(id) is called with each choice, and with null when the view goes; the links and the
// counters' meanings are read when the view opens.
export function useSelectedLink(links, follow) {
  const picked = ref(route.param)
  watch(
    () => route.param,
    (id) => {
      if (id) picked.value = id
    },
  )

  const selectedId = computed(() => {
    const list = links.value
    if (picked.value && list.some((l) => l.id === picked.value)) return picked.value
    return (list.find(isRunning) || list[0])?.id ?? null
  })
  const selected = computed(() => links.value.find((l) => l.id === selectedId.value) || null)

  watch(selectedId, (id) => follow(id), { immediate: true })
  onMounted(() => {
    if (!linksStore.loaded) loadLinks()
    loadCounterInfo()
  })
  onBeforeUnmount(() => follow(null))

  function pick(id) {
    picked.value = id
  }

  return { selectedId, selected, pick }
}
