using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Ftrack.Core.Json;

namespace Ftrack.Core.Operations
{
    /// <summary>A batch of operations as the JSON array POSTed to /api, and as one line for logs and errors.</summary>
    internal static class OutgoingRequestBody
    {
        public static byte[] Encode(IReadOnlyList<FtrackOperation> operations, ValueEncoder encoder)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
            {
                writer.WriteStartArray();
                for (var i = 0; i < operations.Count; i++)
                {
                    try { operations[i].WriteTo(writer, encoder); }
                    catch (FtrackEncodingException e)
                    {
                        e.Operation = "operation " + (i + 1) + " (" + operations[i].Describe() + ")";
                        throw;
                    }
                }
                writer.WriteEndArray();
            }
            return buffer.ToArray();
        }

        /// <summary>"query \"select ...\"" for one operation, "batch of 3 (2×create, update)" for several.</summary>
        public static string Summarize(IReadOnlyList<FtrackOperation> operations)
        {
            if (operations.Count == 1) return operations[0].Describe();
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var op in operations) counts[op.Action] = counts.TryGetValue(op.Action, out var n) ? n + 1 : 1;
            var parts = new List<string>();
            foreach (var pair in counts) parts.Add(pair.Value == 1 ? pair.Key : pair.Value + "×" + pair.Key);
            return "batch of " + operations.Count + " (" + string.Join(", ", parts) + ")";
        }
    }
}
