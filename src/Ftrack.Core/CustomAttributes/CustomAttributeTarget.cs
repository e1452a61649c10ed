using System;
using System.Collections.Generic;
using System.Linq;
using Ftrack.Core.Entities;
using Ftrack.Core.Query;
using Ftrack.Core.Transport;

namespace Ftrack.Core.CustomAttributes
{
    /// <summary>
    /// An entity as custom attribute configurations see it — its kind by ftrack's legacy names (task
    /// with its object type, show, assetversion, asset, user, list) and its project — and so the
    /// configurations that apply to it, as ftrack's Python client picks them: those of its kind and
    /// object type, hierarchical ones for contexts, assets and versions, each either global or of its
    /// project (a project's own shadows a global one of the same key). The project is looked up only
    /// when a project's own configuration could apply: from what the client holds (the entity, its
    /// parent, asset, ...: a create in the same batch has no row on the server yet), else with one query.
    /// </summary>
    internal sealed class CustomAttributeTarget
    {
        private static readonly string[] HierarchicalKinds = { "task", "show", "assetversion", "asset" };
        // The reference to follow up towards the project (its id attribute, the type it names, the path from there to the project id).
        private static readonly (string Reference, string IdAttribute, string Type, string ProjectPath)[] Upward =
        {
            ("parent", "parent_id", "Context", "project_id"),
            ("asset", "asset_id", "Asset", "parent.project_id"),
            ("context", "context_id", "Context", "project_id"),
        };
        private const int MaxDepth = 64;

        private readonly FtrackSession _session;
        private readonly CallOptions? _options;
        private string? _projectId;
        private bool _projectKnown;

        private CustomAttributeTarget(FtrackSession session, FtrackEntity entity, string kind, string? objectTypeId, CallOptions? options)
        {
            _session = session;
            Entity = entity;
            Kind = kind;
            ObjectTypeId = objectTypeId;
            _options = options;
        }

        /// <summary>The entity.</summary>
        public FtrackEntity Entity { get; }
        /// <summary>task, show, assetversion, asset, user or list.</summary>
        public string Kind { get; }
        /// <summary>For a task-kind entity (Shot, Task, ...): its object type.</summary>
        public string? ObjectTypeId { get; }

        /// <summary>
        /// The entity as configurations see it, or null when its type has no custom attributes.
        /// A TypedContext known only by its id is asked for its object type (one query).
        /// </summary>
        public static CustomAttributeTarget? For(FtrackSession session, FtrackEntity entity, CallOptions? options)
        {
            var schemas = session.GetSchemas(options);
            var schema = schemas.Find(entity.EntityType);
            if (schema is null || KeyValueCollection.Of(schemas, schema.Id, "custom_attributes") is null) return null;
            string? kind = schema.Id switch
            {
                "Project" => "show",
                "AssetVersion" => "assetversion",
                "Asset" => "asset",
                "User" => "user",
                "TypedContextList" or "AssetVersionList" or "List" => "list",
                _ when schema.ObjectTypeId != null || schema.Attributes.ContainsKey("object_type_id") => "task",
                _ => null,
            };
            if (kind is null) return null;
            var objectTypeId = kind == "task" ? schema.ObjectTypeId ?? entity.GetValue("object_type_id") as string ?? Ask(session, entity, "object_type_id", options) : null;
            return new CustomAttributeTarget(session, entity, kind, objectTypeId, options);
        }

        /// <summary>The configurations that apply, a project's own first (they shadow global ones of the same key).</summary>
        public List<CustomAttributeConfiguration> Applicable(IReadOnlyList<CustomAttributeConfiguration> all)
        {
            var candidates = all.Where(c => c.EntityType == Kind && string.Equals(c.ObjectTypeId, ObjectTypeId, StringComparison.OrdinalIgnoreCase)
                                            || c.IsHierarchical && Array.IndexOf(HierarchicalKinds, Kind) >= 0).ToList();
            if (candidates.Any(c => c.ProjectId != null))
            {
                var project = ProjectId();
                candidates = candidates.Where(c => c.ProjectId is null || string.Equals(c.ProjectId, project, StringComparison.OrdinalIgnoreCase)).ToList();
            }
            return candidates.OrderBy(c => c.ProjectId is null).ToList();
        }

        /// <summary>The project the entity is in (null for users, and when it cannot be found).</summary>
        private string? ProjectId()
        {
            if (!_projectKnown)
            {
                _projectId = Kind == "user" ? null : ProjectOf(Entity, 0) ?? Ask(_session, Entity, Kind switch
                {
                    "assetversion" => "asset.parent.project_id",
                    "asset" => "parent.project_id",
                    _ => "project_id",
                }, _options);
                _projectKnown = true;
            }
            return _projectId;
        }

        /// <summary>The project as far as the client's objects show it: the entity's own, else that of what it hangs on.</summary>
        private string? ProjectOf(FtrackEntity entity, int depth)
        {
            if (depth > MaxDepth) return null;
            if (entity.EntityType == "Project") return entity.GetValue("id") as string;
            if (entity.GetValue("project_id") is string project) return project;
            if (entity.GetValue("project") is FtrackEntity projectEntity) return projectEntity.GetValue("id") as string;
            foreach (var (reference, idAttribute, type, path) in Upward)
            {
                if (entity.GetValue(reference) is FtrackEntity above) return ProjectOf(above, depth + 1);
                if (entity.GetValue(idAttribute) is string aboveId) return Ask(_session, type, aboveId, path, _options);
            }
            return null;
        }

        /// <summary>The value at <paramref name="path"/> of the entity on the server (one query); null when it has none (or no row yet).</summary>
        private static string? Ask(FtrackSession session, FtrackEntity entity, string path, CallOptions? options) =>
            entity.GetValue("id") is string id ? Ask(session, entity.EntityType, id, path, options) : null;

        private static string? Ask(FtrackSession session, string type, string id, string path, CallOptions? options)
        {
            object? value = session.Query("select " + path + " from " + type + " where id is " + QueryLiteral.Quote(id), options).Data.FirstOrDefault();
            foreach (var name in path.Split('.')) value = (value as FtrackEntity)?.GetValue(name);
            return value as string;
        }
    }
}
