"""Proof that the official ftrack Python client's event hub works against the local server.

Reads FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY (a server seeded with Demo), like proof.py,
and prints each check; exits non-zero on the first failure.

Alone, it proves the hub with the client itself: connecting (socket.io handshake and websocket),
subscribing with ftrack's expressions, publishing and receiving, replies, targeted events, a
wrong key refused, and ftrack.update after a commit with the changed keys' old and new values.

With FTRACK_PROOF_PEER=module it is the other side of tests/pester/EventsPython.Tests.ps1: it
answers the module's events and publishes its own, so events go both ways between the official
client and the PowerShell module.
"""

import os
import sys
import threading
import time
import traceback
import uuid

import ftrack_api
import ftrack_api.event.base
import ftrack_api.exception

passed = 0
Event = ftrack_api.event.base.Event


def check(condition, description, detail=None):
    global passed
    if not condition:
        raise AssertionError("FAILED: {0}{1}".format(description, "" if detail is None else ": {0!r}".format(detail)))
    passed += 1
    print("ok - " + description, flush=True)


def new_session(api_key=None):
    return ftrack_api.Session(
        server_url=os.environ["FTRACK_SERVER"], api_user=os.environ["FTRACK_API_USER"],
        api_key=api_key or os.environ["FTRACK_API_KEY"], auto_connect_event_hub=True, schema_cache_path=False,
    )


def wait_until(session, condition, seconds=10.0):
    """Let the hub handle events until *condition* holds (or time runs out); return whether it held."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        session.event_hub.wait(0.1)
    return condition()


def wait_connected(session, seconds=10.0):
    deadline = time.time() + seconds
    while not session.event_hub.connected and time.time() < deadline:
        time.sleep(0.05)
    # Subscriptions are announced right after connecting; give the acknowledgements a moment.
    session.event_hub.wait(0.3)
    return session.event_hub.connected


def standalone():
    listener = new_session()
    publisher = new_session()
    check(wait_connected(listener) and wait_connected(publisher), "both hubs connect (handshake, websocket)")

    received = []
    listener.event_hub.subscribe("topic=proof.events.* and data.colour=red", lambda event: received.append(event))
    wait_connected(listener)
    publisher.event_hub.publish(Event("proof.events.one", data={"colour": "blue"}))
    publisher.event_hub.publish(Event("proof.other", data={"colour": "red"}))
    publisher.event_hub.publish(Event("proof.events.two", data={"colour": "red", "n": 2}))
    check(wait_until(listener, lambda: len(received) >= 1), "an event published by one hub reaches another's subscriber", received)
    listener.event_hub.wait(0.5)
    check([e["topic"] for e in received] == ["proof.events.two"], "only the event the expression matches arrives", [e["topic"] for e in received])
    check(received[0]["data"]["n"] == 2 and received[0]["source"]["user"]["username"] == os.environ["FTRACK_API_USER"],
          "its data and source arrive as sent", received[0])

    # Replies: a callback's return value is published as a reply, targeted at the asker's hub.
    listener.event_hub.subscribe("topic=proof.question", lambda event: {"answer": event["data"]["x"] * 2})
    wait_connected(listener)
    replies = []
    publisher.event_hub.publish(Event("proof.question", data={"x": 21}), on_reply=lambda event: replies.append(event))
    ok = False
    deadline = time.time() + 10
    while time.time() < deadline and not replies:
        listener.event_hub.wait(0.05)
        publisher.event_hub.wait(0.05)
    check(len(replies) == 1 and replies[0]["data"]["answer"] == 42, "a reply comes back to the publisher (on_reply)", replies)
    check(replies[0]["in_reply_to_event"] is not None, "the reply names the event it answers", replies[0])

    # Targeted events reach the named subscriber only.
    targeted = []
    listener.event_hub.subscribe("topic=proof.targeted", lambda event: targeted.append("a"), subscriber={"name": "a"})
    listener.event_hub.subscribe("topic=proof.targeted", lambda event: targeted.append("b"), subscriber={"name": "b"})
    wait_connected(listener)
    publisher.event_hub.publish(Event("proof.targeted", data={}, target="name=b"))
    wait_until(listener, lambda: targeted, 10)
    listener.event_hub.wait(0.3)
    check(targeted == ["b"], "a targeted event reaches only the subscriber it names", targeted)

    # ftrack.update after a commit: the key renamed as ftrack names it, old and new values, parents.
    updates = []
    listener.event_hub.subscribe("topic=ftrack.update", lambda event: updates.append(event))
    wait_connected(listener)
    task = publisher.query("Task where name is \"compositing\"").first()
    old_name = task["name"]
    new_name = "events proof " + uuid.uuid4().hex[:8]
    task["name"] = new_name
    publisher.commit()
    check(wait_until(listener, lambda: updates), "ftrack.update arrives after a commit")
    entity = [e for e in updates[0]["data"]["entities"] if e["entityId"] == task["id"]]
    check(len(entity) == 1 and entity[0]["action"] == "update" and entity[0]["entityType"] == "task", "it names the task, updated", updates[0]["data"])
    check(entity[0]["keys"] == ["name"] and entity[0]["changes"]["name"] == {"old": old_name, "new": new_name},
          "with the changed key and its old and new values", entity[0])
    check(entity[0]["parents"][0]["entityId"] == task["id"] and entity[0]["parents"][-1]["entityType"] == "show",
          "and its parents, from itself up to the project", entity[0]["parents"])
    task["name"] = old_name
    publisher.commit()

    # A wrong key is refused at the handshake.
    refused = False
    try:
        wrong = ftrack_api.event.hub.EventHub(os.environ["FTRACK_SERVER"], os.environ["FTRACK_API_USER"], "not-the-key")
        wrong.connect()
    except ftrack_api.exception.EventHubConnectionError as error:
        refused = "401" in str(error)
    check(refused, "a wrong API key is refused at the handshake (401)")

    listener.event_hub.disconnect()
    publisher.event_hub.disconnect()


def with_module():
    """The peer of the Pester test: both ways with the PowerShell module."""
    session = new_session()
    check(wait_connected(session), "the Python hub connects")
    updates = []
    session.event_hub.subscribe("topic=proof.ping", lambda event: {"pong": event["data"]["n"] + 1, "by": "python"})
    session.event_hub.subscribe("topic=ftrack.update", lambda event: updates.append(event))
    done = []
    session.event_hub.subscribe("topic=proof.done", lambda event: done.append(event))
    wait_connected(session)
    # Tell the module we are listening (python -> module).
    session.event_hub.publish(Event("proof.hello", data={"from": "python", "ready": True}))
    check(wait_until(session, lambda: updates and done or done, 60), "the module says it is done")
    hits = [entity for event in updates for entity in event["data"]["entities"] if entity["action"] == "update" and "name" in entity["keys"]]
    check(hits, "the module's write reached Python as ftrack.update", [u["data"] for u in updates])
    # Report what Python saw (python -> module) so the module can check it too.
    change = hits[-1]["changes"]["name"]
    session.event_hub.publish(Event("proof.saw-update", data={"entityId": hits[-1]["entityId"], "old": change["old"], "new": change["new"]}))
    session.event_hub.wait(1)
    session.event_hub.disconnect()


def main():
    try:
        if os.environ.get("FTRACK_PROOF_PEER") == "module":
            with_module()
        else:
            standalone()
    except Exception:
        traceback.print_exc()
        print("Python events proof FAILED after {0} checks".format(passed), flush=True)
        return 1
    print("Python events proof passed: {0} checks".format(passed), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
