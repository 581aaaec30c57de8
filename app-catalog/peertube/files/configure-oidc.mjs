// Installs PeerTube's official OpenID Connect plugin and fills in its settings, through PeerTube's
// own REST API (the plugin keeps its settings in the database; there is no variable or file for
// them). Run inside the PeerTube container by HostPanel's SSO step, with:
//   PEERTUBE_ROOT_PASSWORD, OIDC_DISCOVERY_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_DISPLAY_NAME
// Exits 0 when the plugin is installed and configured, 1 with a reason otherwise.
import http from 'node:http'

const PLUGIN = 'peertube-plugin-auth-openid-connect'
// PeerTube hands out its OAuth client only to requests addressed to its own hostname.
const HOST = process.env.PEERTUBE_WEBSERVER_HOSTNAME

function fail (message) {
  console.error('OpenID Connect setup failed: ' + message)
  process.exit(1)
}

function call (method, path, options = {}) {
  return new Promise((resolve, reject) => {
    const headers = { Host: HOST, Accept: 'application/json' }
    let body
    if (options.form) {
      body = new URLSearchParams(options.form).toString()
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
    } else if (options.json) {
      body = JSON.stringify(options.json)
      headers['Content-Type'] = 'application/json'
    }
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body)
    if (options.token) headers.Authorization = 'Bearer ' + options.token

    const request = http.request({ host: '127.0.0.1', port: 9000, method, path, headers }, response => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', chunk => { text += chunk })
      response.on('end', () => resolve({ status: response.statusCode, text }))
    })
    request.on('error', reject)
    request.setTimeout(60000, () => request.destroy(new Error('no answer from PeerTube within 60 s')))
    if (body !== undefined) request.write(body)
    request.end()
  })
}

function json (response, what) {
  try {
    return JSON.parse(response.text)
  } catch {
    fail(what + ': unexpected answer (HTTP ' + response.status + ')')
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

for (const name of ['PEERTUBE_WEBSERVER_HOSTNAME', 'PEERTUBE_ROOT_PASSWORD', 'OIDC_DISCOVERY_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET']) {
  if (!process.env[name]) fail(name + ' is not set')
}

// 1. Sign in as root, the way PeerTube's own web client does.
const clientResponse = await call('GET', '/api/v1/oauth-clients/local')
if (clientResponse.status !== 200) fail('PeerTube refused its OAuth client (HTTP ' + clientResponse.status + ')')
const client = json(clientResponse, 'OAuth client')

const tokenResponse = await call('POST', '/api/v1/users/token', {
  form: {
    client_id: client.client_id,
    client_secret: client.client_secret,
    grant_type: 'password',
    response_type: 'code',
    username: 'root',
    password: process.env.PEERTUBE_ROOT_PASSWORD
  }
})
if (tokenResponse.status !== 200) {
  fail('cannot sign in as root (HTTP ' + tokenResponse.status + '). If the root password was changed ' +
    'in PeerTube, or two-factor authentication was turned on for root, configure the plugin by hand.')
}
const token = json(tokenResponse, 'sign-in').access_token

// 2. Install the plugin unless it is already there. Recent releases install in a background job
//    and answer at once, so wait until PeerTube lists it.
async function installed () {
  const response = await call('GET', '/api/v1/plugins/' + PLUGIN, { token })
  if (response.status === 404) return false
  if (response.status !== 200) fail('cannot read the plugin list (HTTP ' + response.status + ')')
  return json(response, 'plugin').uninstalled !== true
}

if (!(await installed())) {
  const response = await call('POST', '/api/v1/plugins/install', { token, json: { npmName: PLUGIN } })
  if (response.status >= 300) fail('PeerTube could not install ' + PLUGIN + ' (HTTP ' + response.status + ')')
  const deadline = Date.now() + 8 * 60 * 1000
  while (!(await installed())) {
    if (Date.now() > deadline) fail(PLUGIN + ' was still not installed after 8 minutes')
    await sleep(5000)
  }
}

// 3. Settings. PeerTube replaces them as a whole; the ones left out keep the plugin's defaults.
const settingsResponse = await call('PUT', '/api/v1/plugins/' + PLUGIN + '/settings', {
  token,
  json: {
    settings: {
      'auth-display-name': process.env.OIDC_DISPLAY_NAME || 'OpenID Connect',
      'discover-url': process.env.OIDC_DISCOVERY_URL,
      'client-id': process.env.OIDC_CLIENT_ID,
      'client-secret': process.env.OIDC_CLIENT_SECRET,
      scope: 'openid email profile',
      'username-property': 'preferred_username',
      'mail-property': 'email',
      'display-name-property': 'name'
    }
  }
})
if (settingsResponse.status >= 300) fail('PeerTube refused the plugin settings (HTTP ' + settingsResponse.status + ')')

await call('POST', '/api/v1/users/revoke-token', { token }).catch(() => {})
console.log(PLUGIN + ' is installed and configured.')
