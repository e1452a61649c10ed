using System;
using System.Collections.Generic;
using System.Linq;

namespace Ftrack.Core.Schema
{
    /// <summary>
    /// Where an attribute path (status.state.name, parent[Shot].sequence.name) leads, step by step
    /// through references and collections, as far as the schemas can tell. The result is either the
    /// schema the path ends at, a definite mistake (an attribute no type of that kind has, a cast to
    /// a type that does not exist), or "unknown" — the schemas cannot say (a scalar such as
    /// <c>link</c> or <c>custom_attributes.value</c> followed by more, an attribute only some subtypes
    /// have) and the server decides.
    /// </summary>
    internal sealed class PathResolution
    {
        private PathResolution(EntitySchema? target, bool isMistake, string? message, int offset)
        {
            Target = target; IsMistake = isMistake; Message = message; Offset = offset;
        }

        /// <summary>The schema the path ends at (a reference or collection), or null (a scalar, a mistake, or unknown).</summary>
        public EntitySchema? Target { get; }
        /// <summary>True when the schemas prove the path wrong.</summary>
        public bool IsMistake { get; }
        /// <summary>What is wrong, in words ("Task has no attribute 'nmae'. Did you mean 'name'? ").</summary>
        public string? Message { get; }
        /// <summary>Where in the path the mistake starts.</summary>
        public int Offset { get; }
        /// <summary>The error id of the mistake.</summary>
        public string ErrorId { get; private set; } = FtrackErrorIds.UnknownAttribute;

        internal static PathResolution EndsAt(EntitySchema? target) => new(target, false, null, 0);
        internal static PathResolution Unknown { get; } = new(null, false, null, 0);
        internal static PathResolution Mistake(string message, int offset, string errorId) => new(null, true, message, offset) { ErrorId = errorId };
    }

    /// <summary>Resolves and completes attribute paths against one server's schemas.</summary>
    internal static class AttributePaths
    {
        /// <summary>Follows <paramref name="path"/> from <paramref name="start"/>, segment by segment.</summary>
        public static PathResolution Resolve(SchemaRegistry schemas, EntitySchema start, string path)
        {
            var schema = start;
            var offset = 0;
            var segments = path.Split('.');
            for (var i = 0; i < segments.Length; i++)
            {
                if (schema is null) return PathResolution.Unknown;
                var (name, cast) = SplitCast(segments[i]);
                if (name.Length == 0) return PathResolution.Unknown;
                if (!schema.Attributes.TryGetValue(name, out var attribute))
                {
                    // A path through a base type may name what only its subtypes have (children.type).
                    if (schemas.SubtypesOf(schema).Any(s => s.Attributes.ContainsKey(name))) return PathResolution.Unknown;
                    return PathResolution.Mistake(schema.Id + " has no attribute '" + name + "'. " + Suggestions.DidYouMean(name, schema.Attributes.Keys)
                        + "Get-FtrackSchema " + schema.Id + " lists its attributes.", offset, FtrackErrorIds.UnknownAttribute);
                }
                var next = attribute.Reference ?? attribute.ItemsReference;
                schema = next is null ? null : schemas.Find(next);
                if (cast != null)
                {
                    var castTo = schemas.Find(cast);
                    if (castTo is null)
                        return PathResolution.Mistake("The server has no entity type '" + cast + "' (in the cast " + segments[i] + "). "
                            + Suggestions.DidYouMean(cast, schemas.EntityTypeNames), offset + name.Length + 1, FtrackErrorIds.UnknownEntityType);
                    schema = castTo;
                }
                // A scalar (link, custom_attributes.value) followed by more: the schemas cannot follow it.
                if (schema is null && i < segments.Length - 1) return PathResolution.Unknown;
                offset += segments[i].Length + 1;
            }
            return PathResolution.EndsAt(schema);
        }

        /// <summary>
        /// The completions of a partly typed path relative to <paramref name="start"/>: the full paths
        /// whose last segment starts with what was typed of it (any case), sorted. A base type offers
        /// its subtypes' attributes when none of its own fit (children.ty → children.type).
        /// </summary>
        public static IEnumerable<string> Complete(SchemaRegistry schemas, EntitySchema start, string partialPath)
        {
            var dot = partialPath.LastIndexOf('.');
            var prefix = dot < 0 ? "" : partialPath.Substring(0, dot + 1);
            var last = partialPath.Substring(dot + 1);
            var schema = dot < 0 ? start : Resolve(schemas, start, partialPath.Substring(0, dot)).Target;
            if (schema is null) return Array.Empty<string>();
            IEnumerable<string> Matching(IEnumerable<string> names) => names.Where(n => n.StartsWith(last, StringComparison.OrdinalIgnoreCase));
            var names = Matching(schema.Attributes.Keys).ToList();
            if (names.Count == 0) names = Matching(schemas.SubtypesOf(schema).SelectMany(s => s.Attributes.Keys)).Distinct().ToList();
            return names.OrderBy(n => n, StringComparer.Ordinal).Select(n => prefix + n);
        }

        /// <summary>"parent[Shot]" → ("parent", "Shot"); "parent" → ("parent", null).</summary>
        private static (string Name, string? Cast) SplitCast(string segment)
        {
            var open = segment.IndexOf('[');
            if (open < 0) return (segment, null);
            var close = segment.IndexOf(']', open);
            return (segment.Substring(0, open), close > open ? segment.Substring(open + 1, close - open - 1) : segment.Substring(open + 1));
        }
    }
}
