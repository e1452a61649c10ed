// An HTTPS front for the Networks tests: terminates TLS with the given certificates and forwards
// every request to a plain-http server (the local ftrack server), like a studio's reverse proxy;
// websocket upgrades (the event hub) are relayed byte for byte.
// Usage: node HttpsFront.mjs <target-url> <name>=<cert.pem>,<key.pem> ...
// Listens on 127.0.0.1, one port per certificate, and prints "LISTENING <name> <port>" for each,
// then "READY". Exits when its stdin closes, so a test run that dies leaves no front behind.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import net from 'node:net';

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

function upgrade(req, socket, head) {
    const out = net.connect(Number(upstream.port), upstream.hostname, () => {
        const headers = { ...req.headers, host: upstream.host };
        out.write(`${req.method} ${req.url} HTTP/1.1\r\n`
            + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
        if (head.length) out.write(head);
        socket.pipe(out);
        out.pipe(socket);
    });
    out.on('error', () => socket.destroy());
    socket.on('error', () => out.destroy());
}

for (const spec of specs) {
    const [name, files] = spec.split('=');
    const [cert, key] = files.split(',');
    const server = https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, forward);
    // A refused handshake is the test's point, not an error of the front.
    server.on('tlsClientError', () => { });
    server.on('upgrade', upgrade);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    console.log(`LISTENING ${name} ${server.address().port}`);
}
console.log('READY');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
