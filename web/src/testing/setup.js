// Runs before every spec file. The spec files share one page (one module graph, one document), so
// whatever a test mounted is unmounted after it: a view left mounted would keep its subscriptions
// to the live feed and its timers alive into the next file's tests. The hook is registered again
// for each file, since each file's tests have hooks of their own.
import { afterEach } from 'vitest'
import { disableAutoUnmount, enableAutoUnmount } from '@vue/test-utils'

disableAutoUnmount()
enableAutoUnmount(afterEach)
