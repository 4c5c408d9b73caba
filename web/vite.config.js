import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The agent to talk to during `npm run dev`; its API and live feed are proxied so that the page
// and the API share an origin, as they do when the agent serves the built UI itself.
const agent = process.env.JAMWIRE_AGENT || 'http://127.0.0.1:8464'

// The agent refuses requests whose Origin is not its own host and port, so the proxy presents
// the agent's origin instead of the dev server's.
function asAgentOrigin(proxy) {
  const origin = new URL(agent).origin
  proxy.on('proxyReq', (req) => {
    if (req.getHeader('origin')) req.setHeader('origin', origin)
  })
  proxy.on('proxyReqWs', (req) => {
    if (req.getHeader('origin')) req.setHeader('origin', origin)
  })
}

export default defineConfig({
  plugins: [vue()],
  base: './',
  build: {
    // Maven packs target/classes into the jar, so the UI ends up as classpath resources under
    // org/jamwire/web/ui/ for the agent to serve.
    outDir: 'target/classes/org/jamwire/web/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
  },
  server: {
    proxy: {
      '/api': {
        target: agent,
        changeOrigin: true,
        ws: true,
        configure: asAgentOrigin,
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/__tests__/*.spec.js'],
    // The spec files share one page instead of each building its own (20 s of a 26 s run went to
    // setting up pages and imports); each test resets the stores it uses, and setup.js unmounts
    // what it mounted.
    isolate: false,
    setupFiles: ['src/testing/setup.js'],
    restoreMocks: true,
    // Besides the console, a JUnit report where scripts/test counts Maven's own test reports.
    reporters: ['default', 'junit'],
    outputFile: { junit: 'target/surefire-reports/TEST-vitest.xml' },
    unstubGlobals: true,
  },
})
