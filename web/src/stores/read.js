// Reads an answer of the agent into a store: the value under `key`, or the error's message under
// `error`; `loaded` (when named) is set either way, for the view to stop saying "Loading…".
// True when the value came.
export async function readInto(store, { key, error = 'error', loaded = 'loaded' }, read) {
  try {
    store[key] = await read()
    store[error] = ''
    return true
  } catch (e) {
    store[error] = e.message
    return false
  } finally {
    if (loaded) store[loaded] = true
  }
}
