// A reverse proxy on loopback that adds LATENCY_MS before forwarding each request, so the local
// server (which answers at once) can be measured as a server tens of milliseconds away would be.
// Prints "LISTENING http://127.0.0.1:<port>" on its first line. Keep-alive on both sides.
import http from 'node:http';

const target = new URL(process.env.TARGET ?? '');
const latency = Number(process.env.LATENCY_MS ?? 50);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    setTimeout(() => {
      const upstream = http.request({
        host: target.hostname, port: target.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: target.host }, agent,
      }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
      upstream.end(Buffer.concat(chunks));
    }, latency);
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`LISTENING http://127.0.0.1:${server.address().port}`);
});
