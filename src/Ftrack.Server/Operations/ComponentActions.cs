using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;
using Ftrack.Server.Storage;

namespace Ftrack.Server.Operations;

/// <summary>
/// The actions of the <c>ftrack.server</c> location, answered in the shapes the official clients read:
/// <list type="bullet">
/// <item><c>get_upload_metadata</c> (<c>component_id</c>, <c>file_name</c>, <c>file_size</c>,
/// <c>checksum</c>): <c>{"url", "headers", "component_id"}</c>, a signed URL on this server to PUT
/// exactly those bytes to. The component need not exist yet: the Python client uploads before it
/// commits the component.</item>
/// <item><c>encode_media</c> (<c>component_id</c>, <c>version_id</c>, <c>keep_original</c>):
/// <c>{"job_id"}</c>, a Job that is <c>done</c> at once, with review components
/// (<c>ftrackreview-mp4</c> for video, <c>ftrackreview-image</c> for an image) in ftrack.server.
/// This server transcodes nothing: a review component holds the source's bytes.</item>
/// <item><c>complete_multipart_upload</c>: refused, as get_upload_metadata never hands out
/// multi-part URLs here.</item>
/// </list>
/// </summary>
internal sealed class ComponentActions
{
    private readonly EntityModel _model;
    private readonly PreparedCommands _commands;
    private readonly EntityWriter _writer;
    private readonly ComponentUrls? _urls;
    private readonly StoredFileChanges _files;

    public ComponentActions(EntityModel model, PreparedCommands commands, EntityWriter writer, ComponentUrls? urls, StoredFileChanges files)
    {
        _model = model;
        _commands = commands;
        _writer = writer;
        _urls = urls;
        _files = files;
    }

    private ComponentUrls Urls => _urls ?? throw FtrackError.Server("This server has no storage for the ftrack.server location.");

    public void UploadMetadata(JsonElement operation, Utf8JsonWriter json, string? serverUrl)
    {
        var id = operation.TryGetProperty("component_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : throw FtrackError.Validation("get_upload_metadata needs a string \"component_id\".");
        if (!ComponentStore.IsValidId(id))
            throw FtrackError.Validation($"get_upload_metadata: \"{FtrackError.Shorten(id)}\" is not a component id (letters, digits, '-' and '_').");
        if (!operation.TryGetProperty("file_size", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var size) || size < 0)
            throw FtrackError.Validation("get_upload_metadata needs \"file_size\": the file's size in bytes, a whole number of at least 0.");
        if (size > Urls.MaxUploadBytes)
            throw FtrackError.Validation($"The file is too large to upload: {Bytes(size)}, and this server accepts files of at most {Bytes(Urls.MaxUploadBytes)} (--max-upload-bytes).");
        var fileName = operation.TryGetProperty("file_name", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
        string? checksum = null;
        if (operation.TryGetProperty("checksum", out var sum) && sum.ValueKind == JsonValueKind.String)
        {
            checksum = sum.GetString()!;
            if (!IsMd5Base64(checksum))
                throw FtrackError.Validation("get_upload_metadata: \"checksum\" must be the base64 of the file's 16-byte MD5 digest (RFC 1864 Content-MD5).");
        }
        json.WriteStartObject();
        json.WriteString("url", Urls.Upload(serverUrl, id, size, checksum));
        json.WriteStartObject("headers");
        json.WriteString("Content-Type", MediaTypes.Of(System.IO.Path.GetExtension(fileName)));
        json.WriteString("Content-Length", size.ToString(CultureInfo.InvariantCulture));
        if (checksum != null)
            json.WriteString("Content-MD5", checksum);
        json.WriteEndObject();
        json.WriteString("component_id", id);
        json.WriteEndObject();
    }

    private static bool IsMd5Base64(string text)
    {
        var bytes = new byte[18];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 16;
    }

    private static string Bytes(long bytes) =>
        bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB (" + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes)"
        : bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    public static void RefuseMultipart(Utf8JsonWriter json) =>
        throw FtrackError.Validation("complete_multipart_upload: this server hands out single-part upload URLs only (get_upload_metadata answers \"url\", never \"urls\"); there is no multi-part upload to complete.");

    public void EncodeMedia(JsonElement operation, Utf8JsonWriter json, string userId)
    {
        var sourceId = operation.TryGetProperty("component_id", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : throw FtrackError.Validation("encode_media needs a string \"component_id\".");
        var versionId = operation.TryGetProperty("version_id", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var keepOriginal = !operation.TryGetProperty("keep_original", out var k) || k.ValueKind != JsonValueKind.False;
        string? fileType = null;
        var found = false;
        using (var reader = _commands.Get("SELECT file_type FROM component WHERE id = $0 AND system_type = 'file'", sourceId).ExecuteReader())
            if (reader.Read())
            {
                found = true;
                fileType = reader.IsDBNull(0) ? null : reader.GetString(0);
            }
        if (!found)
            throw FtrackError.Validation($"encode_media: there is no FileComponent \"{FtrackError.Shorten(sourceId)}\".");
        if (!Urls.Store.Exists(sourceId))
            throw FtrackError.Validation($"encode_media: FileComponent {sourceId} has no data in the ftrack.server location; upload it there first.");
        var video = MediaTypes.IsVideo(fileType);
        if (!video && !MediaTypes.IsImage(fileType))
            throw FtrackError.Validation($"encode_media takes a video (.mov, .mp4, ...) or an image (.jpg, .png, .exr, ...); FileComponent {sourceId} is \"{fileType}\".");
        var size = new System.IO.FileInfo(Urls.Store.PathOf(sourceId)).Length;

        var jobId = Guid.NewGuid().ToString();
        var outputs = new List<(string Id, string Format)>();
        var (name, format, outputType) = video ? ("ftrackreview-mp4", "video/mp4", ".mp4") : ("ftrackreview-image", "image/jpeg", fileType!);
        var outputId = Guid.NewGuid().ToString();
        outputs.Add((outputId, format));
        var data = new JsonObject
        {
            ["output"] = new JsonArray(outputs.Select(o => (JsonNode)new JsonObject { ["format"] = o.Format, ["component_id"] = o.Id }).ToArray()),
            ["source_component_id"] = sourceId,
            ["keep_original"] = keepOriginal,
        };
        var now = new JsonObject { ["__type__"] = "datetime", ["value"] = ValueCodec.Now() };
        Create("Job", new JsonObject
        {
            ["id"] = jobId, ["type"] = "encode_media", ["status"] = "done", ["user_id"] = userId,
            ["created_at"] = now.DeepClone(), ["finished_at"] = now.DeepClone(), ["data"] = data.ToJsonString(),
        });
        foreach (var (id, _) in outputs)
        {
            var component = new JsonObject { ["id"] = id, ["name"] = name, ["file_type"] = outputType, ["size"] = size };
            if (versionId != null)
                component["version_id"] = versionId;
            Create("FileComponent", component);
            Create("ComponentLocation", new JsonObject { ["component_id"] = id, ["location_id"] = SeedData.ServerLocationId, ["resource_identifier"] = id });
            Create("JobComponent", new JsonObject { ["job_id"] = jobId, ["component_id"] = id });
            if (!Urls.Store.Copy(sourceId, id))
                throw new FtrackError("ServerError", $"encode_media: this server's storage quota ({Urls.Store.QuotaBytes:N0} bytes) has no room for the review copy.", 507);
            _files.Written(id);
        }
        // An image output is the version's thumbnail, as ftrack sets it.
        if (versionId != null && !video)
            _writer.Update(_model.Find("AssetVersion")!, JsonSerializer.SerializeToElement(new[] { versionId }), JsonSerializer.SerializeToElement(new { thumbnail_id = outputId }));
        if (!keepOriginal)
            _writer.Delete(_model.Find("FileComponent")!, JsonSerializer.SerializeToElement(new[] { sourceId }));
        json.WriteStartObject();
        json.WriteString("action", "encode_media");
        json.WriteString("job_id", jobId);
        json.WriteEndObject();
    }

    private void Create(string typeName, JsonObject data)
    {
        data["__entity_type__"] = typeName;
        _writer.Create(_model.Find(typeName)!, JsonSerializer.SerializeToElement(data));
    }
}
