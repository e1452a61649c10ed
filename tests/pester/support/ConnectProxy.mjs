// A forward proxy on loopback for the Networks tests: tunnels CONNECT (https) and relays
// absolute-URL requests (plain http), recording each request it receives. With a user and a
// password it requires Proxy-Authorization: Basic and answers 407 otherwise, as studio proxies do.
// Usage: node ConnectProxy.mjs [<user> <password>]
// Prints "LISTENING <port>". GET /__log (a plain request, not a proxied one) answers the recorded
// requests as JSON: [{ method, target, authorized }]. Exits when its stdin closes.
import http from 'node:http';
import net from 'node:net';

const [user, password] = process.argv.slice(2);
const expected = user === undefined ? null : 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
const log = [];

function authorized(req) {
    return expected === null || req.headers['proxy-authorization'] === expected;
}

const proxyAuthenticate = { 'Proxy-Authenticate': 'Basic realm="ftrack-tests"', 'Content-Length': '0', Connection: 'close' };

const server = http.createServer((req, res) => {
    if (req.url === '/__log') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(log));
        return;
    }
    const ok = authorized(req);
    log.push({ method: req.method, target: req.url, authorized: ok });
    if (!ok) { res.writeHead(407, proxyAuthenticate); res.end(); return; }
    const to = new URL(req.url);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = http.request({ host: to.hostname, port: to.port, method: req.method, path: to.pathname + to.search, headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
});

server.on('connect', (req, client, head) => {
    const ok = authorized(req);
    log.push({ method: 'CONNECT', target: req.url, authorized: ok });
    if (!ok) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n'
            + Object.entries(proxyAuthenticate).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
        return;
    }
    const [host, port] = req.url.split(':');
    const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
});

server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
