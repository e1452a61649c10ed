using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;
using Ftrack.Core.Transport;
using Ftrack.Core.Writes;

namespace Ftrack.Core.Publishing
{
    /// <summary>A location a component is published to: its id and name.</summary>
    public sealed class PublishLocation
    {
        /// <summary>A location by id and name.</summary>
        public PublishLocation(string id, string name)
        {
            Id = id;
            Name = name;
        }

        /// <summary>The Location's id.</summary>
        public string Id { get; }
        /// <summary>The Location's name ("ftrack.server", "studio.disk", ...).</summary>
        public string Name { get; }
        /// <summary>Whether the server stores the bytes (they are uploaded); otherwise the files are registered where they are.</summary>
        public bool IsServer => Id == KnownLocations.ServerId;

        /// <summary>The ftrack.server location.</summary>
        public static PublishLocation Server { get; } = new(KnownLocations.ServerId, "ftrack.server");
    }

    /// <summary>What a publish will do: the component (and members) and the writes that register them in the location.</summary>
    public sealed class PublishPlan
    {
        internal PublishPlan(ComponentSource source, PublishLocation location, FtrackEntity component, IReadOnlyList<(FtrackEntity Member, SourceFile File)> files, IReadOnlyList<FtrackOperation> operations)
        {
            Source = source;
            Location = location;
            Component = component;
            Files = files;
            Operations = operations;
        }

        /// <summary>The files.</summary>
        public ComponentSource Source { get; }
        /// <summary>Where they go.</summary>
        public PublishLocation Location { get; }
        /// <summary>The FileComponent or SequenceComponent, returned to the caller.</summary>
        public FtrackEntity Component { get; }
        /// <summary>Each file with the FileComponent that holds it (the component itself, or a member of the sequence).</summary>
        public IReadOnlyList<(FtrackEntity Member, SourceFile File)> Files { get; }
        /// <summary>The creates of the components and their ComponentLocations, for one request (one transaction).</summary>
        public IReadOnlyList<FtrackOperation> Operations { get; }
    }

    /// <summary>
    /// Publishes files as ftrack components, as the Python client's <c>create_component</c> does:
    /// a FileComponent, or a SequenceComponent with one FileComponent member per frame (named by its
    /// frame number); a ComponentLocation for each in the location. For ftrack.server the bytes go
    /// first — get_upload_metadata per file, then a streamed PUT to the URL it answers — and the
    /// components are created only once every file arrived, in one request: a failed upload leaves
    /// nothing registered. For any other location the files are registered where they are (their
    /// full path is the resource identifier), as ftrack.unmanaged keeps them.
    /// </summary>
    public static class ComponentPublisher
    {
        /// <summary>
        /// Plans the component(s) and their ComponentLocations; sends nothing. <paramref name="data"/>
        /// adds attributes to the component (or the sequence), e.g. metadata-free custom fields.
        /// </summary>
        public static PublishPlan Plan(FtrackSession session, ComponentSource source, string? name, FtrackEntity? version, PublishLocation location,
            IEnumerable<KeyValuePair<string, object?>>? data = null, NameLookup? names = null)
        {
            var componentName = string.IsNullOrEmpty(name) ? source.DefaultName : name!;
            var operations = new List<FtrackOperation>();
            var files = new List<(FtrackEntity, SourceFile)>();
            var properties = new List<KeyValuePair<string, object?>>
            {
                new("id", Guid.NewGuid().ToString()),
                new("name", componentName),
                new("system_type", source.IsSequence ? "sequence" : "file"),
                new("file_type", source.FileType),
                new("size", source.TotalSize),
            };
            if (version != null) properties.Add(new("version_id", version.GetValue("id") ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, version + " has no id: select it in the query that returned it.")));
            if (source.IsSequence) properties.Add(new("padding", source.Padding));
            if (data != null) properties.AddRange(data);
            var component = WritePlanner.PlanCreate(session, source.IsSequence ? "SequenceComponent" : "FileComponent", properties, names);
            operations.Add(component);
            if (version != null) component.Entity.Set("version", version);
            var componentId = (string)component.Entity.GetValue("id")!;

            if (source.IsSequence)
            {
                var members = new List<object?>();
                foreach (var file in source.Files)
                {
                    var member = WritePlanner.PlanCreate(session, "FileComponent", new KeyValuePair<string, object?>[]
                    {
                        new("id", Guid.NewGuid().ToString()),
                        new("name", ComponentSource.Format(file.Frame!.Value, source.Padding)),
                        new("system_type", "file"),
                        new("file_type", source.FileType),
                        new("size", file.Size),
                        new("container_id", componentId),
                    }, names);
                    operations.Add(member);
                    members.Add(member.Entity);
                    files.Add((member.Entity, file));
                }
                component.Entity.Set("members", members);
            }
            else files.Add((component.Entity, source.Files[0]));

            // The container's location entry too, as the Python client adds it (recursive add_component).
            var located = new List<(FtrackEntity Component, string Resource)>();
            foreach (var (member, file) in files)
                located.Add((member, location.IsServer ? (string)member.GetValue("id")! : file.Path));
            if (source.IsSequence)
                located.Add((component.Entity, location.IsServer ? componentId : source.Head + (source.Padding == 0 ? "%d" : "%0" + source.Padding.ToString(CultureInfo.InvariantCulture) + "d") + source.Tail));
            foreach (var (owner, resource) in located)
                operations.Add(WritePlanner.PlanCreate(session, "ComponentLocation", new KeyValuePair<string, object?>[]
                {
                    new("component_id", owner.GetValue("id")),
                    new("location_id", location.Id),
                    new("resource_identifier", resource),
                }, names));
            return new PublishPlan(source, location, component.Entity, files, operations);
        }

        /// <summary>
        /// Uploads every file of the plan to ftrack.server (nothing for other locations): for each,
        /// get_upload_metadata, then the bytes PUT to its URL with its headers. Throws
        /// <see cref="FtrackTransferException"/> (or the server's error) at the first failure.
        /// </summary>
        public static async Task UploadAsync(FtrackSession session, PublishPlan plan, ByteTransfer transfer, TransferProgress progress, CallOptions options, CancellationToken cancellation)
        {
            if (!plan.Location.IsServer) return;
            foreach (var (member, file) in plan.Files)
            {
                cancellation.ThrowIfCancellationRequested();
                var (url, headers) = await UploadMetadataAsync(session, (string)member.GetValue("id")!, member.GetValue("name") + plan.Source.FileType, file.Size, options).ConfigureAwait(false);
                await transfer.UploadAsync(url, headers, file, progress, cancellation).ConfigureAwait(false);
            }
        }

        /// <summary>get_upload_metadata: where to PUT a component's bytes, and with which headers.</summary>
        public static async Task<(Uri Url, IReadOnlyDictionary<string, string> Headers)> UploadMetadataAsync(FtrackSession session, string componentId, string fileName, long size, CallOptions? options = null)
        {
            var operation = new RawOperation(new Dictionary<string, object?>
            {
                ["action"] = "get_upload_metadata",
                ["component_id"] = componentId,
                ["file_name"] = fileName,
                ["file_size"] = size,
            });
            var answer = (await session.CallAsync(new FtrackOperation[] { operation }, options).ConfigureAwait(false))[0] as IDictionary<string, object?>;
            if (answer is null || !(answer.TryGetValue("url", out var u) && u is string text && Uri.TryCreate(text, UriKind.Absolute, out var url)))
            {
                var multipart = answer != null && answer.ContainsKey("urls");
                throw new FtrackTransferException(multipart
                    ? "The server answered get_upload_metadata with a multi-part upload (a file of " + size.ToString("N0", CultureInfo.InvariantCulture) + " bytes), which this module does not send yet."
                    : "The server's answer to get_upload_metadata has no upload URL.");
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (answer.TryGetValue("headers", out var h) && h is IDictionary<string, object?> given)
                foreach (var pair in given)
                    if (pair.Value != null) headers[pair.Key] = Convert.ToString(pair.Value, CultureInfo.InvariantCulture)!;
            if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                throw new FtrackTransferException("The server's upload URL is not http(s): " + url.GetLeftPart(UriPartial.Path));
            // An http upload URL from an https server would send the studio's files unencrypted.
            if (session.Server.Scheme == Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttps)
                throw new FtrackTransferException("The server answered an unencrypted upload URL (" + url.GetLeftPart(UriPartial.Authority) + ") to an https session: refused.");
            return (url, headers);
        }

        /// <summary>"3 files, 1.2 GB": what a publish moves, for -WhatIf and progress.</summary>
        public static string SizeText(long bytes) =>
            bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB"
            : bytes >= 1L << 20 ? (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
            : bytes >= 1L << 10 ? (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
    }
}
