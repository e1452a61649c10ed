"""Proof that the official ftrack Python client (ftrack_api) works against the local server.

Reads FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY (a server seeded with Demo); prints each
check and exits non-zero on the first failure. Runs with Debian's python3 and the client's source
on PYTHONPATH (see ../shared/clients/python/README.md); the xunit test PythonClientProofTests
starts a standalone server and runs it.
"""

import datetime
import os
import sys
import traceback
import uuid

import ftrack_api
import ftrack_api.exception

passed = 0


def check(condition, description, detail=None):
    global passed
    if not condition:
        raise AssertionError("FAILED: {0}{1}".format(description, "" if detail is None else ": {0!r}".format(detail)))
    passed += 1
    print("ok - " + description, flush=True)


def refused(session, action, *fragments):
    """Run *action* (which commits or calls); it must fail with a server error naming every fragment."""
    try:
        action()
    except ftrack_api.exception.ServerError as error:
        session.rollback()
        message = str(error)
        return all(fragment in message for fragment in fragments), message
    return False, "no error"


def new_session(strict=False):
    return ftrack_api.Session(
        server_url=os.environ["FTRACK_SERVER"], api_user=os.environ["FTRACK_API_USER"], api_key=os.environ["FTRACK_API_KEY"],
        auto_connect_event_hub=False, schema_cache_path=False, strict_api=strict,
    )


def basics(session):
    info = session.server_information
    check(len(info["schema_hash"]) == 32 and info["is_timezone_support_enabled"] is True, "session start: server information", info)
    for name in ("Recipient", "Timer", "Job", "Scope", "List", "TypedContextList", "ListObject", "SequenceComponent",
                 "CustomAttributeConfiguration", "CustomAttributeType", "CustomAttributeGroup", "ContextCustomAttributeValue",
                 "CustomAttributeLink", "Metadata", "NoteLabelLink", "Schema", "SchemaStatus"):
        check(name in session.types, "the client builds the served type " + name)

    tasks = session.query('select name, parent.name, status.state.short, type.name from Task where project.name is "sintel_redux"').all()
    check(len(tasks) > 20 and all(t["status"]["state"]["short"] for t in tasks), "query with nested projections", len(tasks))
    check(tasks[0]["project"] is tasks[1]["project"] or tasks[0]["project"]["id"] == tasks[1]["project"]["id"], "shared entities merge")

    schema = session.query("ProjectSchema").first()
    name = "py_proof_" + uuid.uuid4().hex[:8]
    project = session.create("Project", {"name": name, "full_name": "Python proof", "project_schema": schema})
    sequence = session.create("Sequence", {"name": "SQ100", "parent": project})
    shot = session.create("Shot", {"name": "SQ100_SH010", "parent": sequence})
    comp = session.create("Task", {"name": "compositing", "parent": shot, "type": session.query('Type where name is "Compositing"').one()})
    untyped = session.create("Task", {"name": "untyped", "parent": shot})
    session.commit()
    check(session.query('Task where parent.name is "SQ100_SH010" and project.name is "{0}"'.format(name)).all().__len__() == 2,
          "one commit creates a project, a sequence, a shot and two tasks")
    check(session.query('select type.name from Task where id is "{0}"'.format(untyped["id"])).one()["type"]["name"] == "Generic",
          "a task created without a type gets its project's first task type")
    check(session.query('select status.name from Shot where id is "{0}"'.format(shot["id"])).one()["status"]["name"] == "Not started",
          "a new shot starts in the first status of the Shot schema")

    comp["description"] = "final comp"
    shot["description"] = "hero shot"
    session.delete(untyped)
    session.commit()
    fresh = new_session()
    check(fresh.get("Task", comp["id"])["description"] == "final comp" and fresh.get("Shot", shot["id"])["description"] == "hero shot",
          "updates of two entities commit together")
    check(fresh.get("Task", untyped["id"]) is None, "a deleted task is gone")

    urgent = session.query('Priority where name is "Urgent"').one()
    task = session.create("Task", {"name": "urgent", "parent": shot, "priority": urgent})
    session.commit()
    check(new_session().query('select priority.name from Task where id is "{0}"'.format(task["id"])).one()["priority"]["name"] == "Urgent",
          "priority set on create wins over the schema default priority_id the client also sends")

    ok, message = refused(session, lambda: (session.create("Task", {"name": "compositing", "parent": shot}), session.commit()), "DuplicateEntryError")
    check(ok, "a second task of the same name under one shot is refused with DuplicateEntryError", message)

    user = session.create("User", {"first_name": "No", "last_name": "Username"})
    component = session.create("Component", {"name": "plain"})
    session.commit()
    check(user["username"] and component["system_type"] == "file", "the server fills in a user's username and a component's system_type")
    return project, sequence, shot, comp


def notes(session, shot):
    author = session.query('User where username is "{0}"'.format(os.environ["FTRACK_API_USER"])).one()
    jane = session.query('User where username is "jane.doe"').one()
    category = session.query('NoteCategory where name is "Client feedback"').one()
    note = shot.create_note("Please track the new plate.", author, recipients=[jane], category=category)
    session.commit()
    reply = note.create_reply("Tracking it now.", jane)
    session.commit()
    retake = session.query('NoteLabel where name is "Retake"').one()
    labelled = shot.create_note("Retake the edge.", author, labels=[retake])
    session.commit()

    fresh = new_session()
    found = fresh.query('select content, author.username, recipients.resource_id, note_label_links.label_id, replies.content, parent_id, parent_type '
                        'from Note where id is "{0}"'.format(note["id"])).one()
    check(found["parent_id"] == shot["id"] and found["parent_type"] == "TypedContext", "create_note hangs the note on the shot", found["parent_type"])
    check([r["resource_id"] for r in found["recipients"]] == [jane["id"]], "create_note with recipients creates Recipient rows")
    check([l["label_id"] for l in found["note_label_links"]] == [category["id"]], "a category becomes the note's label (NoteLabel is served)")
    check([r["content"] for r in found["replies"]] == ["Tracking it now."], "create_reply threads the reply")
    check(fresh.get("Note", reply["id"])["in_reply_to_id"] == note["id"], "the reply names its thread")
    shot_notes = fresh.query('select notes.content from Shot where id is "{0}"'.format(shot["id"])).one()["notes"]
    check(sorted(n["content"] for n in shot_notes if n["in_reply_to_id"] is None) == ["Please track the new plate.", "Retake the edge."],
          "the shot's notes list both notes")
    check([l["label_id"] for l in fresh.get("Note", labelled["id"])["note_label_links"]] == [retake["id"]], "create_note with labels links them")


def metadata(session, sequence):
    sequence["metadata"]["plate"] = "/mnt/plates/SQ100"
    session.commit()
    sequence["metadata"]["plate"] = "/mnt/plates/SQ100_v2"
    sequence["metadata"]["lens"] = "35mm"
    session.commit()
    fresh = new_session()
    found = fresh.query('select metadata from Sequence where id is "{0}"'.format(sequence["id"])).one()
    check(dict(found["metadata"]) == {"plate": "/mnt/plates/SQ100_v2", "lens": "35mm"}, "metadata set, changed and read back", dict(found["metadata"]))
    check(len(fresh.query('Sequence where metadata.key is "lens" and metadata.value is "35mm"').all()) == 1, "a query filters on metadata")
    sequence["metadata"] = {"lens": "50mm"}
    session.commit()
    check(dict(new_session().get("Sequence", sequence["id"])["metadata"]) == {"lens": "50mm"}, "assigning a mapping replaces the metadata")


def custom_attributes(session, project, sequence, shot, comp):
    demo_shot = session.query('select custom_attributes from Shot where name is "SQ020_SH020"').one()
    values = dict(demo_shot["custom_attributes"])
    check(values["fps"] == 24 and values["fstart"] == 1001 and values["plate_format"] == ["exr"], "custom attributes read with the configurations' defaults", values)
    check(values["handles"] == 12, "a hierarchical attribute is inherited from the sequence", values["handles"])
    check(session.query('select custom_attributes from Shot where name is "SQ020_SH010"').one()["custom_attributes"]["handles"] == 4,
          "a hierarchical value of the shot's own wins")

    shot["custom_attributes"]["fps"] = 25
    shot["custom_attributes"]["fstart"] = 1009
    shot["custom_attributes"]["plate_format"] = ["dpx"]
    shot["custom_attributes"]["client_due"] = datetime.datetime(2026, 6, 1, 12, 0)
    session.commit()
    fresh = new_session()
    read = fresh.query('select custom_attributes from Shot where id is "{0}"'.format(shot["id"])).one()["custom_attributes"]
    check((read["fps"], read["fstart"], read["plate_format"]) == (25, 1009, ["dpx"]), "custom attributes set and read back", dict(read))
    check(read["client_due"].year == 2026 and read["client_due"].month == 6, "a date attribute reads back as a date", read["client_due"])
    check(read["handles"] == 0, "a hierarchical attribute falls back to its default at the top", read["handles"])

    project["custom_attributes"]["handles"] = 10
    session.commit()
    check(new_session().get("Shot", shot["id"])["custom_attributes"]["handles"] == 10, "a value set on the project is inherited by its shots")

    new_shot = session.create("Shot", {"name": "SQ100_SH020", "parent": sequence})
    new_shot["custom_attributes"]["fend"] = 1250
    session.commit()
    check(new_session().get("Shot", new_shot["id"])["custom_attributes"]["fend"] == 1250,
          "custom attributes set in the same commit as the entity's create (a real server fails here)")

    ok, message = refused(session, lambda: (shot["custom_attributes"].__setitem__("fstart", "soon"), session.commit()), "ValidationError", '"fstart"', "number")
    check(ok, "a text for a number attribute is a ValidationError naming the key and the type", message)
    shot = session.get("Shot", shot["id"])
    ok, message = refused(session, lambda: (shot["custom_attributes"].__setitem__("plate_format", ["tiff"]), session.commit()), "ValidationError", "plate_format")
    check(ok, "an enumerator refuses a value it does not offer", message)
    shot = session.get("Shot", shot["id"])
    try:
        shot["custom_attributes"]["no_such_key"] = 1
        check(False, "an unknown key is refused")
    except KeyError:
        check(True, "the client refuses an unknown key (KeyError), as against a real server")

    fast = [s["name"] for s in fresh.query('Shot where custom_attributes any (key is "fps" and value > 24)').all()]
    check(shot["name"] in fast and "SQ020_SH020" not in fast, "a query compares a number attribute as a number", fast)
    formats = fresh.query('select name from Shot where custom_attributes any (key is "plate_format" and value is "dpx")').all()
    check([s["id"] for s in formats] == [shot["id"]], "a query compares an enumerator's choice")
    nested = fresh.query('select parent.custom_attributes from Task where id is "{0}"'.format(comp["id"])).one()
    check(nested["parent"]["custom_attributes"]["fps"] == 25, "custom attributes through a nested projection")
    stored = fresh.query('select value, entity_id from CustomAttributeValue where configuration.key is "fstart" and entity_id is "{0}"'.format(shot["id"])).one()
    check(stored["value"] == 1009, "CustomAttributeValue is queried by its configuration's key")

    del shot["custom_attributes"]["fstart"]
    session.commit()
    check(new_session().get("Shot", shot["id"])["custom_attributes"]["fstart"] == 1001, "deleting a value gives the default back")

    version = session.query("select custom_attributes from AssetVersion").first()
    version["custom_attributes"]["delivered"] = True
    jane = session.query('User where username is "jane.doe"').one()
    jane["custom_attributes"]["department"] = "Lighting"
    session.commit()
    fresh = new_session()
    check(fresh.get("AssetVersion", version["id"])["custom_attributes"]["delivered"] is True, "an asset version's custom attribute")
    check(fresh.get("User", jane["id"])["custom_attributes"]["department"] == "Lighting", "a user's custom attribute")

    text_type = session.query('CustomAttributeType where name is "text"').one()
    role = session.query("SecurityRole").first()
    configuration = session.create("CustomAttributeConfiguration", {
        "entity_type": "assetversion", "type": text_type, "label": "Review comment", "key": "review_comment", "default": "none yet",
        "config": '{"markdown": false}', "read_security_roles": [role], "write_security_roles": [role],
    })
    session.commit()
    fresh = new_session()
    check(fresh.get("AssetVersion", version["id"])["custom_attributes"]["review_comment"] == "none yet",
          "a configuration created through the API applies at once, with its default")
    check([r["id"] for r in fresh.get("CustomAttributeConfiguration", configuration["id"])["read_security_roles"]] == [role["id"]],
          "a configuration keeps its security roles")
    ok, message = refused(session, lambda: (session.create("CustomAttributeConfiguration", {
        "entity_type": "assetversion", "type": text_type, "label": "Again", "key": "review_comment"}), session.commit()), "DuplicateEntryError")
    check(ok, "a second configuration of the same key for the same entities is refused", message)


def aggregates(session):
    strict = new_session(strict=True)
    result = strict.call([{"action": "query", "expression": "select count(id) from Task group by status_id"}])[0]["data"]
    total = len(session.query("select id from Task").all())
    check(sum(row["count_id"] for row in result) == total and all("status_id" in row for row in result),
          "select count(id) from Task group by status_id answers one row per status (strict API)", result[:2])
    ordered = strict.call([{"action": "query", "expression":
        'select sum(bid), count(id) from Task where project.name is "sintel_redux" group by type.name order by count_id desc, type.name'}])[0]["data"]
    check(ordered[0]["count_id"] >= ordered[-1]["count_id"] and "sum_bid" in ordered[0] and "type.name" in ordered[0], "aggregates combine with where and order by", ordered[:2])
    ok, message = refused(session, lambda: session.call([{"action": "query", "expression": "select count(id) from Task group by status_id"}]), "ParseError", "strict")
    check(ok, "without the strict API an aggregate is a ParseError", message)


def project_schema(session):
    schema = session.query("ProjectSchema").first()
    check([s["name"] for s in schema.get_statuses("Shot")] == ["Not started", "In progress", "On hold", "Omitted", "Completed"],
          "project_schema.get_statuses('Shot') reads the object type's statuses")
    check(sorted(t["name"] for t in schema.get_types("AssetBuild")) == ["Character", "Environment", "Matte Painting", "Prop"],
          "project_schema.get_types('AssetBuild')")
    editing = session.query('Type where name is "Editing"').one()
    check("Client review" in [s["name"] for s in schema.get_statuses("Task", editing["id"])], "get_statuses('Task', type_id) follows a workflow override")
    check(len(schema.get_statuses("Task")) == 9 and len(schema.get_types("Task")) == 13, "get_statuses('Task') and get_types('Task')")
    try:
        schema.get_statuses("Invalid")
        check(False, "an unknown schema is refused")
    except ValueError:
        check(True, "get_statuses of an unknown schema raises ValueError")


def other_types(session, shot, comp):
    jane = session.query('User where username is "jane.doe"').one()
    timer = jane.start_timer(comp, comment="tracking", force=True)
    try:
        jane.start_timer(comp)
        check(False, "a second timer is refused")
    except ftrack_api.exception.NotUniqueError:
        session.rollback()
        check(True, "a second running timer is refused (the client reads DuplicateEntryError)")
    timelog = jane.stop_timer()
    check(timelog["context_id"] == comp["id"] and timelog["comment"] == "tracking", "stop_timer turns the timer into a timelog")
    check(new_session().get("Timer", timer["id"]) is None, "the timer is gone")

    job = session.create("Job", {"user": jane, "status": "running", "data": '{"description": "Proof job"}'})
    session.commit()
    check(new_session().get("Job", job["id"])["type"] == "api_job", "a Job is created with its defaults")

    scope = session.create("Scope", {"name": "scope_" + uuid.uuid4().hex[:6]})
    comp["scopes"].append(scope)
    session.commit()
    check([s["id"] for s in new_session().get("Task", comp["id"])["scopes"]] == [scope["id"]], "a task's scopes (many-to-many) are written")

    category = session.query("ListCategory").first()
    task_list = session.create("TypedContextList", {"name": "proof list", "project": shot["project"], "category": category})
    session.create("ListObject", {"list_id": task_list["id"], "entity_id": comp["id"]})
    session.commit()
    check([i["id"] for i in new_session().get("TypedContextList", task_list["id"])["items"]] == [comp["id"]], "a list holds its items")
    dailies = session.query('select items.name from TypedContextList where name is "Dailies 2026-01-20"').one()
    check(len(dailies["items"]) == 4, "the Demo seed's dailies list")

    sequence_component = session.create_component("/tmp/plate.%04d.exr [1001-1003]", location=None)
    session.commit()
    members = new_session().query('select name, members.name, system_type from SequenceComponent where id is "{0}"'.format(sequence_component["id"])).one()
    check(members["system_type"] == "sequence" and sorted(m["name"] for m in members["members"]) == ["1001", "1002", "1003"],
          "create_component of an image sequence makes a SequenceComponent with its members")

    version = session.query("select link from AssetVersion").first()
    check([l["type"] for l in version["link"]][-2:] == ["Asset", "AssetVersion"] and version["link"][0]["type"] == "Project",
          "AssetVersion.link runs from the project through the asset to the version")

    url = session.get_widget_url("info", entity=comp, theme="light")
    check(url.startswith(os.environ["FTRACK_SERVER"]) and comp["id"] in url, "get_widget_url answers a URL", url)
    first = session.reset_remote("api_key", entity=jane)
    second = session.reset_remote("api_key", entity=jane)
    check(first["api_key"] != second["api_key"], "reset_remote('api_key') answers a new key each time")
    ok, message = refused(session, lambda: session.reset_remote("email", jane), "ValidationError")
    check(ok, "reset_remote of an attribute without a default is refused", message)


def main():
    session = new_session()
    project, sequence, shot, comp = basics(session)
    notes(session, shot)
    metadata(session, sequence)
    custom_attributes(session, project, sequence, shot, comp)
    aggregates(session)
    project_schema(session)
    other_types(session, shot, comp)
    session.delete(project)
    session.commit()
    check(new_session().get("Project", project["id"]) is None, "deleting the project takes its tree, notes and values along")
    print("Python proof passed: {0} checks".format(passed))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        print("Python proof FAILED after {0} passing checks".format(passed))
        sys.exit(1)
