using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Transport;

namespace Ftrack.Core.Publishing
{
    /// <summary>One file of a component as stored in ftrack.server: the FileComponent, its file name and its signed URL.</summary>
    public sealed class StoredFile
    {
        internal StoredFile(string componentId, string fileName, Uri? url, long? size)
        {
            ComponentId = componentId;
            FileName = fileName;
            Url = url;
            Size = size;
        }

        /// <summary>The FileComponent holding the bytes (the component itself, or a member of a sequence).</summary>
        public string ComponentId { get; }
        /// <summary>The file's name when saved: "plate.mov", or "render.1001.exr" for a frame.</summary>
        public string FileName { get; }
        /// <summary>The signed download URL (no API key in it); null when the component has no data in ftrack.server.</summary>
        public Uri? Url { get; }
        /// <summary>The size ftrack records, when it does.</summary>
        public long? Size { get; }
    }

    /// <summary>
    /// The files of a component in the ftrack.server location, read with two queries: the component
    /// (and a sequence's members, in frame order), then their ComponentLocations' <c>url</c> — a URL
    /// the server signs, that carries no API key and expires. A file is named as it was published:
    /// the component's name and file type, a frame as <c>name.frame.ext</c>.
    /// </summary>
    public static class ComponentFiles
    {
        /// <summary>The component's files; throws <see cref="FtrackUsageException"/> (EntityNotFound) when there is no such component.</summary>
        public static IReadOnlyList<StoredFile> Of(FtrackSession session, FtrackEntity component, CallOptions? options = null)
        {
            var id = component.GetValue("id") as string ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, component + " has no id: select it in the query that returned it.");
            var row = session.Query("select id, name, file_type, system_type, size from Component where id is \"" + id + "\"", options).Data.OfType<FtrackEntity>().FirstOrDefault()
                ?? throw new FtrackUsageException(FtrackErrorIds.EntityNotFound, "There is no component with the id " + id + ".", UsageErrorKind.NotFound);
            var name = row.GetValue("name") as string ?? id;
            var fileType = row.GetValue("file_type") as string ?? "";
            var systemType = row.GetValue("system_type") as string;
            var files = new List<(string Id, string FileName, long? Size)>();
            if (systemType == "file")
                files.Add((id, Safe(name) + fileType, Size(row.GetValue("size"))));
            else
            {
                var members = session.Query("select id, name, file_type, size from FileComponent where container_id is \"" + id + "\"", options).Data.OfType<FtrackEntity>()
                    .Select(m => (Id: (string)m.GetValue("id")!, Name: m.GetValue("name") as string ?? "", FileType: m.GetValue("file_type") as string ?? fileType, Size: Size(m.GetValue("size"))))
                    .OrderBy(m => long.TryParse(m.Name, out var frame) ? frame : long.MaxValue).ThenBy(m => m.Name, StringComparer.Ordinal)
                    .ToList();
                if (members.Count == 0)
                    throw new FtrackUsageException(FtrackErrorIds.ComponentNotAvailable, "The " + (systemType ?? "container") + " component '" + name + "' (" + id + ") has no members: there is nothing to download.", UsageErrorKind.NotFound);
                foreach (var m in members) files.Add((m.Id, Safe(name) + "." + Safe(m.Name) + m.FileType, m.Size));
            }

            var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
            foreach (var chunk in Chunks(files.Select(f => f.Id).ToList(), 200))
            {
                var located = session.Query("select component_id, url from ComponentLocation where location_id is \"" + KnownLocations.ServerId
                    + "\" and component_id in (" + string.Join(", ", chunk.Select(c => "\"" + c + "\"")) + ")", options).Data.OfType<FtrackEntity>();
                foreach (var location in located)
                    if (location.GetValue("component_id") is string componentId && UrlOf(location.GetValue("url")) is { } url)
                        urls[componentId] = url;
            }
            return files.Select(f => new StoredFile(f.Id, f.FileName, urls.TryGetValue(f.Id, out var url) ? url : null, f.Size)).ToList();
        }

        /// <summary>ComponentLocation.url as a server answers it: {"value": "https://..."} (or the text itself).</summary>
        private static Uri? UrlOf(object? value)
        {
            var text = value switch
            {
                IDictionary<string, object?> d when d.TryGetValue("value", out var v) => v as string,
                IDictionary<string, object?> d when d.TryGetValue("url", out var v) => v as string,
                string s => s,
                _ => null,
            };
            return text != null && Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url : null;
        }

        private static long? Size(object? value) => value switch
        {
            long l => l,
            int i => i,
            double d => (long)d,
            _ => null,
        };

        /// <summary>A name from the server made safe as a file name: no folders, no characters the file system refuses.</summary>
        private static string Safe(string name)
        {
            var invalid = System.IO.Path.GetInvalidFileNameChars();
            var safe = new string(name.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c).ToArray()).Trim();
            return safe.Length == 0 || safe == "." || safe == ".." ? "component" : safe;
        }

        private static IEnumerable<List<string>> Chunks(List<string> items, int size)
        {
            for (var i = 0; i < items.Count; i += size) yield return items.GetRange(i, Math.Min(size, items.Count - i));
        }
    }
}
