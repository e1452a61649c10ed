using System;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core;
using Ftrack.Core.Entities;
using Ftrack.Core.Publishing;
using Ftrack.Core.Transport;

namespace Ftrack.Publishing
{
    /// <summary>
    /// What -Location names: a Location entity, a location's name ('ftrack.unmanaged',
    /// 'studio.disk') or its id; ftrack.server when omitted. Resolved with one query when the name
    /// (or id) is not enough to tell which location it is.
    /// </summary>
    internal static class LocationChoice
    {
        public static PublishLocation Resolve(FtrackSession session, object? given, CallOptions options)
        {
            given = given is PSObject wrapped ? wrapped.BaseObject : given;
            switch (given)
            {
                case null:
                    return PublishLocation.Server;
                case FtrackEntity entity when entity.EntityType == "Location":
                    var id = entity.GetValue("id") as string ?? throw new FtrackUsageException(FtrackErrorIds.MissingKey, entity + " has no id: select it in the query that returned it.");
                    if (id == KnownLocations.ServerId) return PublishLocation.Server;
                    return entity.GetValue("name") is string known ? new PublishLocation(id, known) : Find(session, "id is \"" + id + "\"", id, options);
                case FtrackEntity other:
                    throw new FtrackUsageException(FtrackErrorIds.InvalidValue, "-Location takes a Location, or a location's name or id, not " + other + ".");
                case string text when text == "ftrack.server" || text == KnownLocations.ServerId:
                    return PublishLocation.Server;
                case string text when Guid.TryParse(text, out _):
                    return Find(session, "id is \"" + text + "\"", text, options);
                case string text:
                    return Find(session, "name is \"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"", text, options);
                default:
                    throw new FtrackUsageException(FtrackErrorIds.InvalidValue, "-Location takes a Location, or a location's name or id, not a " + given.GetType().Name + ".");
            }
        }

        private static PublishLocation Find(FtrackSession session, string condition, string given, CallOptions options)
        {
            var found = session.Query("select id, name from Location where " + condition, options).Data.OfType<FtrackEntity>().FirstOrDefault();
            if (found is null)
            {
                var names = session.Query("select name from Location", options).Data.OfType<FtrackEntity>().Select(l => l.GetValue("name") as string).Where(n => n != null).OrderBy(n => n, StringComparer.Ordinal);
                throw new FtrackUsageException(FtrackErrorIds.UnknownName, "There is no location '" + given + "'. The locations are: " + string.Join(", ", names) + ".");
            }
            return new PublishLocation((string)found.GetValue("id")!, found.GetValue("name") as string ?? given);
        }
    }
}
