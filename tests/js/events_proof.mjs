// Proof that the official ftrack JavaScript client's event hub (@ftrack/api 1.11.2) works against
// the local server: connect (socket.io handshake with the credentials in the query string, then
// the websocket), subscribe, publish, receive, reply, and ftrack.update after a write. Reads
// FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY; prints each check; exits non-zero on the
// first failure. Node 20 needs --experimental-websocket (JsClientProofTests passes it when needed).
import { Session, Event } from "@ftrack/api";

const server = process.env.FTRACK_SERVER;
const user = process.env.FTRACK_API_USER;
const key = process.env.FTRACK_API_KEY;
if (!server || !user || !key) {
  console.error("Set FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY.");
  process.exit(2);
}
if (typeof WebSocket !== "function") {
  console.error("This Node has no WebSocket: run it with --experimental-websocket (Node 20) or use Node 22+.");
  process.exit(2);
}

let passed = 0;
function check(condition, description, detail) {
  if (!condition) {
    throw new Error(`FAILED: ${description}${detail === undefined ? "" : ": " + JSON.stringify(detail)}`);
  }
  passed++;
  console.log(`ok - ${description}`);
}

async function until(condition, seconds, what) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

async function main() {
  const session = new Session(server, user, key, { autoConnectEventHub: true });
  await session.initializing;
  const hub = session.eventHub;
  check(await until(() => hub.isConnected(), 15), "the event hub connects (handshake, websocket)");

  const received = [];
  hub.subscribe("topic=proof.js.*", (event) => {
    received.push(event);
    return { echo: event.data.n * 2 };
  });
  const reply = await hub.publishAndWaitForReply(new Event("proof.js.ping", { n: 21 }), { timeout: 15 });
  check(received.length === 1 && received[0].topic === "proof.js.ping", "a published event reaches the subscriber", received);
  check(received[0].source.user.username === user, "with its source", received[0].source);
  check(reply.data.echo === 42 && reply.topic === "ftrack.meta.reply", "the subscriber's answer comes back as the reply", reply);

  const updates = [];
  hub.subscribe("topic=ftrack.update", (event) => { updates.push(event); });
  const task = (await session.query('select id, name from Task where name is "animation"')).data[0];
  check(task !== undefined, "a task to rename is seeded");
  const name = `js events ${Date.now()}`;
  // Let the subscription reach the server before the write (the JS client does not wait for it).
  await new Promise((resolve) => setTimeout(resolve, 300));
  await session.update("Task", [task.id], { name });
  check(await until(() => updates.length > 0, 15), "ftrack.update arrives after a write");
  const entity = updates[0].data.entities.find((e) => e.entityId === task.id);
  check(entity && entity.action === "update" && entity.entityType === "task", "it names the task, updated", updates[0].data);
  check(entity.changes.name.old === task.name && entity.changes.name.new === name, "with the name's old and new values", entity.changes);
  await session.update("Task", [task.id], { name: task.name });

  hub.disconnect();
  console.log(`JS events proof passed: ${passed} checks`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error.stack || String(error));
    console.error(`JS events proof FAILED after ${passed} checks`);
    process.exit(1);
  },
);
