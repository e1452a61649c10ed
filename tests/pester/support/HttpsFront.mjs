// An HTTPS front for the Networks tests: terminates TLS with the given certificates and forwards
// every request to a plain-http server (the local ftrack server), like a studio's reverse proxy.
// Usage: node HttpsFront.mjs <target-url> <name>=<cert.pem>,<key.pem> ...
// Listens on 127.0.0.1, one port per certificate, and prints "LISTENING <name> <port>" for each,
// then "READY". Exits when its stdin closes, so a test run that dies leaves no front behind.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';

const [target, ...specs] = process.argv.slice(2);
const upstream = new URL(target);

function forward(req, res) {
    const out = http.request({
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
    }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
    });
    out.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(out);
}

for (const spec of specs) {
    const [name, files] = spec.split('=');
    const [cert, key] = files.split(',');
    const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, forward);
    // A refused handshake is the test's point, not an error of the front.
    server.on('tlsClientError', () => { });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    console.log(`LISTENING ${name} ${server.address().port}`);
}
console.log('READY');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
