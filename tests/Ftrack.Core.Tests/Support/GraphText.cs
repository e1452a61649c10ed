using System.Globalization;
using System.Text;
using Ftrack.Core.Entities;
using Ftrack.Core.Operations;

namespace Ftrack.Core.Tests.Support;

/// <summary>
/// A canonical text of decoded results, identity included: each entity is numbered at first sight
/// and written in full once, later as "#n" — two decodings are equal graphs iff the texts are equal.
/// </summary>
internal static class GraphText
{
    public static string Describe(IEnumerable<object?> values)
    {
        var ids = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var sb = new StringBuilder();
        foreach (var v in values) { Write(sb, v, ids); sb.Append('\n'); }
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, Dictionary<object, int> ids)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case string s: sb.Append('"').Append(s).Append('"'); break;
            case FtrackEntity e:
                if (ids.TryGetValue(e, out var n)) { sb.Append('#').Append(n); break; }
                ids[e] = ids.Count;
                sb.Append(e.EntityType).Append('#').Append(ids[e]).Append('{');
                foreach (var a in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)) { sb.Append(a.Key).Append(':'); Write(sb, a.Value, ids); sb.Append(','); }
                sb.Append('}');
                break;
            case QueryResult q:
                sb.Append("query next=").Append(q.NextOffset?.ToString(CultureInfo.InvariantCulture) ?? "null").Append(" data=");
                Write(sb, q.Data, ids);
                sb.Append(" metadata=");
                Write(sb, q.Metadata, ids);
                break;
            case RawJsonResult r: sb.Append("raw:").Append(Convert.ToBase64String(r.Json)); break;
            case IDictionary<string, object?> d:
                sb.Append('{');
                foreach (var p in d.OrderBy(p => p.Key, StringComparer.Ordinal)) { sb.Append(p.Key).Append(':'); Write(sb, p.Value, ids); sb.Append(','); }
                sb.Append('}');
                break;
            case IList<object?> l:
                sb.Append('[');
                foreach (var item in l) { Write(sb, item, ids); sb.Append(','); }
                sb.Append(']');
                break;
            case DateTime dt: sb.Append("date:").Append(dt.Ticks).Append(dt.Kind); break;
            case IFormattable f: sb.Append(value.GetType().Name).Append(':').Append(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: sb.Append(value.GetType().Name).Append(':').Append(value); break;
        }
    }
}
