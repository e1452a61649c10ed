// Proof that the official ftrack JavaScript client (@ftrack/api 1.11.2) works against the local
// server. Reads FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY; prints each check and exits
// non-zero on the first failure.
import { Session } from "@ftrack/api";
import { randomUUID } from "node:crypto";

const server = process.env.FTRACK_SERVER;
const user = process.env.FTRACK_API_USER;
const key = process.env.FTRACK_API_KEY;
if (!server || !user || !key) {
  console.error("Set FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY.");
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

async function main() {
  // The event hub needs a socket.io server this local server does not have.
  const session = new Session(server, user, key, { autoConnectEventHub: false });
  await session.initializing;
  check(typeof session.serverInformation.schema_hash === "string" && session.serverInformation.schema_hash.length === 32,
    "session start: server information carries a schema hash", session.serverInformation);
  check(session.serverInformation.is_timezone_support_enabled === true, "session start: timezone support enabled");
  const schemaIds = session.schemas.map((s) => s.id);
  for (const type of ["Project", "Sequence", "Shot", "Task", "TypedContext", "AssetVersion", "Note"]) {
    check(schemaIds.includes(type), `session start: schema ${type} is served`);
  }

  const projectSchema = (await session.query("select id, name from ProjectSchema limit 1")).data[0];
  const compositing = (await session.query('select id from Type where name is "Compositing"')).data[0];
  const lighting = (await session.query('select id from Type where name is "Lighting"')).data[0];
  check(projectSchema && compositing && lighting, "reference data (project schema, task types) is seeded");

  // One call creates a whole hierarchy: ids are chosen here, so later operations can refer to them.
  const ids = { project: randomUUID(), sequence: randomUUID(), shot: randomUUID(), comp: randomUUID(), light: randomUUID() };
  const projectName = `js_proof_${Date.now()}`;
  const created = await session.call([
    { action: "create", entity_type: "Project", entity_data: { __entity_type__: "Project", id: ids.project, name: projectName, full_name: "JS proof", project_schema_id: projectSchema.id } },
    { action: "create", entity_type: "Sequence", entity_data: { __entity_type__: "Sequence", id: ids.sequence, name: "SQ100", parent: { __entity_type__: "Project", id: ids.project } } },
    { action: "create", entity_type: "Shot", entity_data: { __entity_type__: "Shot", id: ids.shot, name: "SQ100_SH010", parent_id: ids.sequence } },
    { action: "create", entity_type: "Task", entity_data: { __entity_type__: "Task", id: ids.comp, name: "compositing", parent_id: ids.shot, type_id: compositing.id } },
    { action: "create", entity_type: "Task", entity_data: { __entity_type__: "Task", id: ids.light, name: "lighting", parent_id: ids.shot, type_id: lighting.id } },
  ]);
  check(created.length === 5 && created.every((r) => r.action === "create"), "one call creates project, sequence, shot and two tasks");
  check(created[3].data.project_id === ids.project, "a created task knows its project", created[3].data);
  check(typeof created[3].data.status_id === "string", "a created task gets a default status");

  // Nested projection: the second task's shared parent/status arrive as references the client merges.
  const nested = await session.query(
    `select name, parent.name, parent.parent.name, parent.parent.parent.name, type.name, status.name, status.state.short from Task where project_id is "${ids.project}" order by name`,
  );
  check(nested.data.length === 2, "nested projection query returns both tasks", nested.data.length);
  for (const task of nested.data) {
    check(task.parent.name === "SQ100_SH010" && task.parent.parent.name === "SQ100" && task.parent.parent.parent.name === projectName,
      `nested projection resolves parents of ${task.name} (references merged)`, task.parent);
    check(typeof task.status.state.short === "string", `status.state.short is present on ${task.name}`);
  }
  check(nested.data[0].type.name === "Compositing" && nested.data[1].type.name === "Lighting", "type names follow the order by name");

  // Paging: follow metadata.next.offset until it is null.
  const pages = [];
  let offset = 0;
  for (;;) {
    const page = await session.query(`select name from Task where project_id is "${ids.project}" order by name descending offset ${offset} limit 1`);
    pages.push(...page.data.map((t) => t.name));
    if (page.metadata.next.offset === null) break;
    offset = page.metadata.next.offset;
    check(pages.length < 10, "paging terminates");
  }
  check(JSON.stringify(pages) === JSON.stringify(["lighting", "compositing"]), "paging with limit 1 visits every task once, in order", pages);

  // Update.
  await session.update("Task", [ids.comp], { name: "comp", description: "final comp" });
  const updated = (await session.query(`select name, description from Task where id is "${ids.comp}"`)).data[0];
  check(updated.name === "comp" && updated.description === "final comp", "update changes the task", updated);

  // A failing batch leaves nothing behind.
  const orphan = randomUUID();
  let failure = null;
  try {
    await session.call([
      { action: "create", entity_type: "Sequence", entity_data: { __entity_type__: "Sequence", id: orphan, name: "SQ_ROLLBACK", parent_id: ids.project } },
      { action: "create", entity_type: "Task", entity_data: { __entity_type__: "Task", name: "no parent" } },
    ]);
  } catch (error) {
    failure = error;
  }
  check(failure !== null, "a batch with an invalid create fails");
  check(/parent_id/.test(String(failure && failure.message)), "the error names the missing attribute", String(failure && failure.message));
  const leftover = await session.query(`select id from Sequence where id is "${orphan}"`);
  check(leftover.data.length === 0, "the failed batch's first create was rolled back");

  // ensure: creates once, then finds the same entity.
  const first = await session.ensure("Sequence", { name: "SQ_ENSURED", parent_id: ids.project }, ["name", "parent_id"]);
  const second = await session.ensure("Sequence", { name: "SQ_ENSURED", parent_id: ids.project }, ["name", "parent_id"]);
  check(first.id && first.id === second.id, "ensure creates once and then finds the same Sequence", { first: first.id, second: second.id });

  // Denormalized responses (ensureSerializableResponse) are plain, fully expanded objects.
  const plain = await session.query(`select name, parent.name from Task where id is "${ids.light}"`, { ensureSerializableResponse: true });
  check(plain.data[0].parent.name === "SQ100_SH010", "denormalized query expands references");

  // Custom attributes: a value is updated as ContextCustomAttributeValue [configuration_id, entity_id],
  // also one the shot never had set (every entity has a value for each of its attributes).
  const fstart = (await session.query('select id from CustomAttributeConfiguration where key is "fstart"')).data[0];
  await session.update("ContextCustomAttributeValue", [fstart.id, ids.shot], { value: 1009 });
  const attributes = (await session.query(`select custom_attributes from Shot where id is "${ids.shot}"`)).data[0].custom_attributes;
  const values = Object.fromEntries(attributes.map((a) => [a.key, a.value]));
  check(values.fstart === 1009 && values.fend === 1100, "custom attributes: a set value and a default read back", values);
  const fast = await session.query('select id from Shot where custom_attributes any (key is "fstart" and value > 1001)');
  check(fast.data.some((s) => s.id === ids.shot), "custom attributes: a query compares values as numbers");

  // Aggregates need the strict API.
  const strict = new Session(server, user, key, { autoConnectEventHub: false, strictApi: true });
  await strict.initializing;
  const counts = await strict.query(`select count(id) from Task where project_id is "${ids.project}" group by project_id`);
  check(counts.data.length === 1 && counts.data[0].count_id === 2, "aggregates: count(id) group by under the strict API", counts.data);

  // Delete the project: its whole subtree goes with it.
  await session.delete("Project", [ids.project]);
  const remaining = await session.query(`select id from Context where project_id is "${ids.project}" or id is "${ids.project}"`);
  check(remaining.data.length === 0, "deleting the project deletes its descendants", remaining.data.length);

  console.log(`JS proof passed: ${passed} checks`);
}

main().catch((error) => {
  console.error(error && error.message ? error.message : error);
  console.error(`JS proof FAILED after ${passed} passing checks`);
  process.exit(1);
});
