using System.Collections.Generic;
using System.Linq;
using Ftrack.Server.Api;
using Ftrack.Server.Schema;

namespace Ftrack.Server.Query;

/// <summary>
/// The attributes to load for the entities at one point of a projection: the root type's, or
/// those reached through a reference or collection (<c>select status.state.short</c> gives a
/// Task node with a status child with a state child).
/// </summary>
internal sealed class ProjectionNode
{
    public ProjectionNode(EntityType type) => Type = type;

    public EntityType Type { get; }

    /// <summary>Stored and computed attributes (not relations) to load.</summary>
    public HashSet<string> Attributes { get; } = new();

    public Dictionary<string, ProjectionNode> Relations { get; } = new();

    /// <summary>Relations to types this server does not store: answered as null or [].</summary>
    public HashSet<string> Unsupported { get; } = new();

    /// <summary>Builds the tree for the projections of a query; without any, the type's default projections.</summary>
    public static ProjectionNode Build(EntityType type, IReadOnlyList<string> projections)
    {
        var root = new ProjectionNode(type);
        foreach (var path in projections.Count > 0 ? projections : type.DefaultProjections)
            root.AddPath(path);
        return root;
    }

    /// <summary>Adds one projection path (a relation at its end is loaded with its default projections).</summary>
    public void AddPath(string path) => Add(path.Split('.'), 0, path);

    private void Add(string[] segments, int index, string path)
    {
        var segment = segments[index];
        var bracket = segment.IndexOf('[');
        var name = bracket < 0 ? segment : segment[..bracket];
        var attribute = Type.FindAttribute(name);
        if (attribute == null)
            throw FtrackError.Validation($"Unknown attribute \"{name}\" on entity type \"{Type.Name}\" in projection \"{path}\".");
        // parent[Shot].status: the cast only widens which attributes resolve; rows keep their own type.
        var target = attribute.Target;
        if (bracket >= 0)
        {
            var castName = segment[(bracket + 1)..^1];
            target = target?.Table.Members.FirstOrDefault(m => m.Name == castName && (m.IsA(target) || target.IsA(m)))
                ?? throw FtrackError.Validation($"\"{segment}\" in projection \"{path}\" casts to a type that is not a kind of {attribute.Target?.Name ?? name}.");
        }
        var last = index == segments.Length - 1;
        var isRelation = attribute.Kind is AttributeKind.Reference or AttributeKind.Collection
            || (attribute.Kind == AttributeKind.Computed && attribute.Target != null);
        if (attribute.Kind == AttributeKind.Unsupported)
        {
            Unsupported.Add(attribute.Name);
            return;
        }
        if (!isRelation)
        {
            if (!last)
                throw FtrackError.Validation($"Projection \"{path}\" continues after \"{attribute.Name}\", which is not a relation.");
            Attributes.Add(attribute.Name);
            return;
        }
        if (!Relations.TryGetValue(attribute.Name, out var child))
            Relations[attribute.Name] = child = new ProjectionNode(target!);
        if (last)
        {
            foreach (var projection in child.Type.DefaultProjections)
                if (child.Type.Attributes.TryGetValue(projection, out var a) && a.Kind is AttributeKind.Scalar or AttributeKind.Computed && a.Target == null)
                    child.Attributes.Add(projection);
            return;
        }
        child.Add(segments, index + 1, path);
    }
}
