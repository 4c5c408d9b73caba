import { createApp } from 'vue'
import App from './App.vue'
import { loadToken, tokenFromHash } from './stores/auth.js'
import './style.css'

// Before the router looks at the hash: a #token=... fragment is taken and removed first, at
// start-up and when the agent's URL is pasted into the address bar of an open page.
loadToken()
window.addEventListener('hashchange', () => {
  if (tokenFromHash(window.location.hash)) loadToken()
})
createApp(App).mount('#app')
