"""Proof that the official ftrack Python client publishes to the local server's ftrack.server location.

Reads FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY (a server seeded with Demo); prints each
check and exits non-zero on the first failure. It does what a publish script does with ftrack_api:
create_component of a file and of an image sequence with location=ftrack.server (which calls
get_upload_metadata and PUTs the bytes), reads them back through the client's own URLs and the
server's signed ComponentLocation.url, create_thumbnail and thumbnail_url, and encode_media.
The xunit test ComponentsPythonProofTests starts a standalone server and runs it.
"""

import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
import traceback
import uuid

import requests

import ftrack_api
import ftrack_api.exception
import ftrack_api.symbol

passed = 0


def check(condition, description, detail=None):
    global passed
    if not condition:
        raise AssertionError("FAILED: {0}{1}".format(description, "" if detail is None else ": {0!r}".format(detail)))
    passed += 1
    print("ok - " + description, flush=True)


def new_session():
    return ftrack_api.Session(
        server_url=os.environ["FTRACK_SERVER"], api_user=os.environ["FTRACK_API_USER"], api_key=os.environ["FTRACK_API_KEY"],
        auto_connect_event_hub=False, schema_cache_path=False,
    )


def write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def fetch(url):
    """GET a URL with no credentials of ours: a signed URL must work on its own."""
    response = requests.get(url, timeout=30, allow_redirects=False)
    return response.status_code, response.content


# A valid 2x2 PNG (red, green / blue, white), made by zlib and checked by its CRCs.
def png():
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"\x00" + bytes([255, 0, 0, 0, 255, 0]) + b"\x00" + bytes([0, 0, 255, 255, 255, 255])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def version_to_publish(session):
    task = session.query('Task where project.name is "sintel_redux"').first()
    asset_type = session.query('AssetType where short is "render"').one()
    asset = session.create("Asset", {"name": "py_publish_" + uuid.uuid4().hex[:6], "parent": task["parent"], "type": asset_type})
    version = session.create("AssetVersion", {"asset": asset, "task": task})
    session.commit()
    return version


def locations(session):
    for identifier, name in ((ftrack_api.symbol.SERVER_LOCATION_ID, "ftrack.server"), (ftrack_api.symbol.UNMANAGED_LOCATION_ID, "ftrack.unmanaged"),
                             (ftrack_api.symbol.ORIGIN_LOCATION_ID, "ftrack.origin"), (ftrack_api.symbol.REVIEW_LOCATION_ID, "ftrack.review")):
        location = session.get("Location", identifier)
        check(location is not None and location["name"] == name, "the built-in location {0} has the id the client knows".format(name))
    server = session.query('Location where name is "ftrack.server"').one()
    check(server.accessor is not ftrack_api.symbol.NOT_SET and server.accessor.__class__.__name__ == "_ServerAccessor",
          "the client configures ftrack.server with its server accessor")
    return server


def upload_metadata(session, folder):
    data = b"metadata probe\n"
    checksum = base64.b64encode(hashlib.md5(data).digest()).decode()
    component_id = str(uuid.uuid4())
    metadata = session.get_upload_metadata(component_id=component_id, file_name="probe.txt", file_size=len(data), checksum=checksum)
    check(metadata["component_id"] == component_id and metadata["url"].startswith(os.environ["FTRACK_SERVER"] + "/"),
          "get_upload_metadata answers a URL on this server", metadata)
    check(os.environ["FTRACK_API_KEY"] not in metadata["url"], "the upload URL carries no API key")
    check(metadata["headers"].get("Content-Length") == str(len(data)) and metadata["headers"].get("Content-MD5") == checksum,
          "get_upload_metadata answers the headers to PUT with", metadata["headers"])
    forged = metadata["url"].replace("size=" + str(len(data)), "size=" + str(len(data) + 1))
    response = requests.put(forged, data=data + b"!", headers=dict(metadata["headers"], **{"Content-Length": str(len(data) + 1)}), timeout=30)
    check(response.status_code == 403, "a PUT to an altered upload URL is refused", response.status_code)
    response = requests.put(metadata["url"], data=b"x" * len(data), headers=metadata["headers"], timeout=30)
    check(response.status_code == 400 and "checksum" in response.text, "bytes that do not match the checksum are refused", response.text)
    response = requests.put(metadata["url"], data=data, headers=metadata["headers"], timeout=30)
    check(response.status_code == 200, "the bytes PUT with those headers are stored", response.status_code)
    too_big = None
    try:
        session.get_upload_metadata(component_id=str(uuid.uuid4()), file_name="huge.bin", file_size=1 << 50)
    except ftrack_api.exception.ServerError as error:
        too_big = str(error)
    check(too_big is not None and "too large" in too_big, "get_upload_metadata refuses a file past the size limit", too_big)


def file_component(session, server, version, folder):
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = os.path.join(folder, "plate.mov")
    write(path, data)
    component = version.create_component(path, data={"name": "main"}, location=server)
    session.commit()
    check(component.entity_type == "FileComponent" and component["size"] == len(data) and component["file_type"] == ".mov",
          "create_component(path, location=ftrack.server) makes a FileComponent", dict(component.items()) if component else None)
    check(server.get_component_availability(component) == 100.0, "the component is available in ftrack.server")

    # The client's own URL (key in the query string: accepted, never built by the server).
    status, body = fetch(server.get_url(component))
    check(status == 200 and body == data, "the bytes come back byte-identical from the client's get_url", status)

    # The server's own URL: signed, no key.
    fresh = new_session()
    record = fresh.query('select url, resource_identifier from ComponentLocation where component_id is "{0}" and location_id is "{1}"'.format(
        component["id"], ftrack_api.symbol.SERVER_LOCATION_ID)).one()
    url = record["url"]["value"]
    check(os.environ["FTRACK_API_KEY"] not in url and "signature=" in url, "ComponentLocation.url is signed and carries no API key", url)
    status, body = fetch(url)
    check(status == 200 and body == data, "ComponentLocation.url downloads the bytes byte-identical", status)
    status, _ = fetch(url.replace("signature=", "signature=x"))
    check(status == 403, "a forged download URL is refused", status)
    fresh.close()
    return component


def sequence_component(session, server, version, folder):
    frames = {}
    for frame in range(1001, 1006):
        frames[frame] = os.urandom(100 * 1024 + frame)
        write(os.path.join(folder, "render.{0:04d}.exr".format(frame)), frames[frame])
    sequence = version.create_component(os.path.join(folder, "render.%04d.exr [1001-1005]"), data={"name": "render"}, location=server)
    session.commit()
    check(sequence.entity_type == "SequenceComponent" and len(sequence["members"]) == 5 and sequence["padding"] == 4,
          "create_component('render.%04d.exr [1001-1005]') makes a SequenceComponent with 5 members")
    for member in sequence["members"]:
        status, body = fetch(server.get_url(member))
        frame = int(member["name"])
        check(status == 200 and body == frames[frame], "frame {0} comes back byte-identical".format(frame), status)


def thumbnail(session, server, version, folder):
    path = os.path.join(folder, "thumb.png")
    write(path, png())
    component = version.create_thumbnail(path)
    session.commit()
    check(version["thumbnail_id"] == component["id"], "create_thumbnail sets the version's thumbnail")
    fresh = new_session()
    answer = fresh.query('select thumbnail_url from AssetVersion where id is "{0}"'.format(version["id"])).one()["thumbnail_url"]
    check(isinstance(answer, dict) and "url" in answer and os.environ["FTRACK_API_KEY"] not in answer["url"],
          "thumbnail_url answers {url} as a real server does, without the API key", answer)
    status, body = fetch(answer["url"])
    check(status == 200 and body == png(), "thumbnail_url serves the thumbnail", status)
    status, body = fetch(server.get_thumbnail_url(component))
    check(status == 200 and body == png(), "the client's get_thumbnail_url serves it too", status)
    empty = fresh.query('select thumbnail_url from Project where name is "sintel_redux"').first()["thumbnail_url"]
    status, body = fetch(empty["url"])
    check(status == 200 and body.startswith(b"\x89PNG"), "an entity without a thumbnail answers the default image", empty)
    fresh.close()


def encode(session, version, folder):
    path = os.path.join(folder, "review.mov")
    data = os.urandom(256 * 1024)
    write(path, data)
    job = session.encode_media(path, version_id=version["id"], keep_original=False)
    check(job.entity_type == "Job" and job["status"] == "done", "encode_media returns a Job that is done", job["status"])
    job_data = json.loads(job["data"])
    outputs = job_data["output"]
    check(len(outputs) >= 1 and outputs[0]["format"] == "video/mp4", "the Job's data names its review outputs", job_data)
    review = session.get("FileComponent", outputs[0]["component_id"])
    check(review["name"] == "ftrackreview-mp4" and review["version_id"] == version["id"], "the review component belongs to the version", review["name"])
    for job_component in job["job_components"]:
        status, body = fetch(job_component["url"]["value"])
        check(status == 200 and body == data, "the review component is downloadable from JobComponent.url", status)


def delete(session, server, component):
    url_before = server.get_url(component)
    server.remove_component(component)
    session.commit()
    status, _ = fetch(url_before)
    check(status == 404, "removing a component from ftrack.server deletes its bytes", status)


def main():
    session = new_session()
    folder = tempfile.mkdtemp(prefix="ftrack-py-publish-")
    try:
        server = locations(session)
        upload_metadata(session, folder)
        version = version_to_publish(session)
        component = file_component(session, server, version, folder)
        sequence_component(session, server, version, folder)
        thumbnail(session, server, version, folder)
        encode(session, version, folder)
        delete(session, server, component)
    except Exception:
        traceback.print_exc()
        print("{0} checks passed before the failure".format(passed))
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        session.close()
    print("Python components proof passed: {0} checks".format(passed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
