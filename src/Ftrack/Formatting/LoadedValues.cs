using Ftrack.Core.Entities;

namespace Ftrack.Formatting
{
    /// <summary>
    /// What the format views show: a value along a path of attributes, only as far as it is loaded.
    /// Displaying a result must never send a request, so views read through this instead of the
    /// entity's properties (which load what was not selected).
    /// </summary>
    public static class LoadedValues
    {
        /// <summary>The loaded value at "status.name" (or "name"), or null where anything on the way is not loaded.</summary>
        public static object? Get(object? value, string path)
        {
            foreach (var name in path.Split('.'))
            {
                if (value is System.Management.Automation.PSObject ps) value = ps.BaseObject;
                if (value is not FtrackEntity entity || !entity.TryGetValue(name, true, out value)) return null;
            }
            return value;
        }
    }
}
