using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Ftrack.Core.Entities;

namespace Ftrack.Core.CustomAttributes
{
    /// <summary>
    /// One custom attribute as ftrack configures it (CustomAttributeConfiguration): its key, type,
    /// what it applies to (entity_type by ftrack's legacy names — task with an object type, show,
    /// assetversion, asset, user, list — and, when set, one project), and for an enumerator its
    /// choices. Checks a value before it is sent, as the server would, naming the type it expects.
    /// </summary>
    public sealed class CustomAttributeConfiguration
    {
        /// <summary>What the session reads of every configuration, once.</summary>
        internal const string Query = "select id, key, label, type.name, entity_type, object_type_id, project_id, is_hierarchical, config, default from CustomAttributeConfiguration";

        private CustomAttributeConfiguration(FtrackEntity row)
        {
            Id = row.GetValue("id") as string ?? "";
            Key = row.GetValue("key") as string ?? "";
            Label = row.GetValue("label") as string;
            TypeName = (row.GetValue("type") as FtrackEntity)?.GetValue("name") as string;
            EntityType = row.GetValue("entity_type") as string ?? "";
            ObjectTypeId = row.GetValue("object_type_id") as string;
            ProjectId = row.GetValue("project_id") as string;
            IsHierarchical = row.GetValue("is_hierarchical") is true;
            Config = row.GetValue("config") as string;
            Default = row.GetValue("default");
            (MultiSelect, Choices) = EnumeratorConfig(Config);
        }

        /// <summary>The configuration's id (a value's configuration_id).</summary>
        public string Id { get; }
        /// <summary>The key a value is read and set by (custom_attributes.fps).</summary>
        public string Key { get; }
        /// <summary>The name people see in ftrack.</summary>
        public string? Label { get; }
        /// <summary>The CustomAttributeType's name: text, number, boolean, date, enumerator, dynamic enumerator, expression, url.</summary>
        public string? TypeName { get; }
        /// <summary>What it applies to, by ftrack's legacy names: task, show, assetversion, asset, user, list.</summary>
        public string EntityType { get; }
        /// <summary>For entity_type task: the object type (Shot, Task, ...) it applies to.</summary>
        public string? ObjectTypeId { get; }
        /// <summary>The one project it applies in, or null for every project.</summary>
        public string? ProjectId { get; }
        /// <summary>Applies down the project tree (contexts, assets, versions), inherited from above when not set.</summary>
        public bool IsHierarchical { get; }
        /// <summary>The configuration's JSON text (an enumerator's choices).</summary>
        public string? Config { get; }
        /// <summary>The value of an entity that was given none.</summary>
        public object? Default { get; }
        /// <summary>An enumerator's choices (their values); empty for other types.</summary>
        public IReadOnlyList<string> Choices { get; }
        /// <summary>Whether an enumerator takes several choices.</summary>
        public bool MultiSelect { get; }

        /// <summary>"number", "enumerator: exr, dpx, mov": the key's type as messages name it.</summary>
        public string Describe() => TypeName == "enumerator" ? "enumerator: " + string.Join(", ", Choices) : TypeName ?? "any value";

        /// <inheritdoc />
        public override string ToString() => Key + " (" + Describe() + ")";

        /// <summary>The configurations among the rows of <see cref="Query"/>.</summary>
        internal static List<CustomAttributeConfiguration> From(IEnumerable<object?> rows) =>
            rows.OfType<FtrackEntity>().Select(row => new CustomAttributeConfiguration(row)).ToList();

        /// <summary>
        /// The value to send for <paramref name="value"/> (null: back to the default), checked as the
        /// server checks it. Text from a CSV cell becomes a number or boolean where the type says so
        /// (an empty cell is null); one choice of an enumerator becomes the list ftrack keeps. Dates
        /// are never read from text. Throws <see cref="FtrackUsageException"/> (InvalidCustomAttributeValue)
        /// naming the type expected. <paramref name="owner"/> names the entity in messages.
        /// </summary>
        internal object? Check(object? value, string owner)
        {
            if (value is null) return null;
            var text = value as string;
            if (text != null && string.IsNullOrWhiteSpace(text) && TypeName is "number" or "boolean" or "date") return null;
            switch (TypeName)
            {
                case "number":
                    if (value is int or long or short or byte or sbyte or ushort or uint or ulong or decimal) return value;
                    if (value is double or float)
                    {
                        var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                        if (!double.IsNaN(d) && !double.IsInfinity(d)) return value;
                    }
                    if (text != null)
                    {
                        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l is >= int.MinValue and <= int.MaxValue ? (object)(int)l : l;
                        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d)) return d;
                    }
                    throw Wrong(value, owner, "a number");
                case "text" or "url":
                    return text ?? throw Wrong(value, owner, "text");
                case "boolean":
                    if (value is bool) return value;
                    if (text != null && bool.TryParse(text.Trim(), out var b)) return b;
                    if (text?.Trim() is "1" or "0") return text.Trim() == "1";
                    throw Wrong(value, owner, "$true or $false");
                case "date":
                    if (value is DateTime or DateTimeOffset) return value;
                    throw Wrong(value, owner, "a date: give a [datetime], e.g. (Get-Date '2026-03-01')");
                case "enumerator":
                    var chosen = new List<object?>();
                    foreach (var item in TextItems(value) ?? throw Wrong(value, owner, "one of " + string.Join(", ", Choices)))
                    {
                        var choice = Choices.FirstOrDefault(c => string.Equals(c, item, StringComparison.Ordinal))
                                     ?? Choices.FirstOrDefault(c => string.Equals(c, item, StringComparison.OrdinalIgnoreCase))
                                     ?? throw Wrong(value, owner, "one of " + string.Join(", ", Choices));
                        chosen.Add(choice);
                    }
                    if (chosen.Count > 1 && !MultiSelect) throw Wrong(value, owner, "one of " + string.Join(", ", Choices) + " (a single choice)");
                    return chosen;
                case "dynamic enumerator":
                    return TextItems(value)?.Cast<object?>().ToList() ?? throw Wrong(value, owner, "text, or a list of text");
                case "expression":
                    throw new FtrackUsageException(FtrackErrorIds.InvalidCustomAttributeValue,
                        "Custom attribute '" + Key + "' of " + owner + " is an expression: its value is computed by ftrack and cannot be set.");
                default:
                    return value;
            }
        }

        /// <summary>A text, or a list of texts, as a list; null when it is anything else.</summary>
        private static List<string>? TextItems(object value)
        {
            if (value is string one) return new List<string> { one };
            if (value is not IEnumerable items || value is IDictionary) return null;
            var texts = new List<string>();
            foreach (var item in items)
            {
                if (item is not string text) return null;
                texts.Add(text);
            }
            return texts;
        }

        private FtrackUsageException Wrong(object value, string owner, string expected) =>
            new(FtrackErrorIds.InvalidCustomAttributeValue, "Custom attribute '" + Key + "' of " + owner + " (" + (TypeName ?? "?") + ") takes " + expected + "; "
                + Display.ValueText.Of(value) + " (" + KindOf(value) + ") is not one.");

        private static string KindOf(object value) => value switch
        {
            string => "text",
            bool => "boolean",
            DateTime or DateTimeOffset => "date",
            IDictionary => "hashtable",
            IEnumerable => "list",
            IFormattable => "number",
            _ => value.GetType().Name,
        };

        /// <summary>
        /// An enumerator's config: {"multiSelect": bool, "data": [{"menu", "value"}, ...]}, where ftrack's
        /// own clients send data as a JSON text of that list. Anything else has no choices.
        /// </summary>
        private static (bool MultiSelect, IReadOnlyList<string> Choices) EnumeratorConfig(string? config)
        {
            if (string.IsNullOrEmpty(config)) return (false, Array.Empty<string>());
            try
            {
                using var document = JsonDocument.Parse(config!);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return (false, Array.Empty<string>());
                var multiSelect = root.TryGetProperty("multiSelect", out var flag) && flag.ValueKind == JsonValueKind.True;
                if (!root.TryGetProperty("data", out var data)) return (multiSelect, Array.Empty<string>());
                if (data.ValueKind == JsonValueKind.String)
                {
                    using var inner = JsonDocument.Parse(data.GetString()!);
                    return (multiSelect, ChoicesOf(inner.RootElement));
                }
                return (multiSelect, ChoicesOf(data));
            }
            catch (JsonException)
            {
                return (false, Array.Empty<string>());
            }
        }

        private static IReadOnlyList<string> ChoicesOf(JsonElement data) =>
            data.ValueKind != JsonValueKind.Array ? Array.Empty<string>()
                : data.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object && i.TryGetProperty("value", out _))
                    .Select(i => i.GetProperty("value").ToString()).ToList();
    }
}
