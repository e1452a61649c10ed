using System.Collections.Generic;

namespace Ftrack.PipeBinds
{
    /// <summary>
    /// The entities one input of Get-, Set- or Remove-FtrackEntity names, whichever parameter set
    /// was used: -InputObject (from the pipeline: entities, ids, hashtables, CSV rows), or
    /// -EntityType with -Id.
    /// </summary>
    internal static class EntityInputs
    {
        /// <summary>The parameter set of -InputObject.</summary>
        public const string InputObjectSet = "InputObject";
        /// <summary>The parameter set of -EntityType with -Id.</summary>
        public const string IdSet = "Id";

        /// <summary>The inputs of one ProcessRecord: the pipeline's object, or one per -Id.</summary>
        public static IEnumerable<EntityPipeBind> Of(EntityPipeBind? inputObject, string[]? ids)
        {
            if (inputObject != null) yield return inputObject;
            foreach (var id in ids ?? System.Array.Empty<string>()) yield return new EntityPipeBind(id);
        }
    }
}
