using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Ftrack.Core.Schema;

namespace Ftrack.Core.Entities
{
    /// <summary>
    /// An entity known only by its type and primary key (an id, a CSV row, a hashtable): an update or
    /// a delete needs nothing more, so it is addressed without a query. The object is of the server's
    /// own shape for the type, so it encodes, folds in a batch and merges answers like a queried one.
    /// </summary>
    public static class EntityAddress
    {
        /// <summary>
        /// The entity of <paramref name="entityType"/> (any case) whose key values <paramref name="keyValue"/>
        /// gives by attribute name (null when absent). <paramref name="input"/> names the input in
        /// messages. Throws <see cref="FtrackUsageException"/>: UnknownEntityType (with the close
        /// names), or MissingKey naming the key attributes the input lacks.
        /// </summary>
        public static FtrackEntity For(SchemaRegistry schemas, string entityType, Func<string, object?> keyValue, string input)
        {
            var schema = schemas.Require(entityType);
            var entity = new FtrackEntity(schemas.Shapes.For(schema.Id));
            var missing = new List<string>();
            foreach (var key in schema.PrimaryKey)
            {
                var value = keyValue(key);
                var text = value as string ?? (value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
                if (string.IsNullOrWhiteSpace(text)) missing.Add(key);
                else entity.Set(key, text);
            }
            if (missing.Count > 0)
                throw new FtrackUsageException(FtrackErrorIds.MissingKey, input + " has no " + string.Join(", ", missing.Select(k => "'" + k + "'"))
                    + ": a " + schema.Id + " is addressed by " + string.Join(" and ", schema.PrimaryKey) + ".");
            return entity;
        }
    }
}
