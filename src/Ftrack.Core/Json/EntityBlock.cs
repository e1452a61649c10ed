using Ftrack.Core.Entities;

namespace Ftrack.Core.Json
{
    /// <summary>
    /// Up to <see cref="IdentityMap.BlockSize"/> entities decoded together. Each entity holds its
    /// block, and the block holds its map: while any entity of the block is alive, all of them stay
    /// in the map, so no key ever maps to a second object. See <see cref="IdentityMap"/>.
    /// </summary>
    internal sealed class EntityBlock
    {
        public EntityBlock(IdentityMap map) { Map = map; }

        public IdentityMap Map { get; }
        public readonly FtrackEntity?[] Entities = new FtrackEntity?[IdentityMap.BlockSize];
        public int Count;

        /// <summary>The result its entities come from.</summary>
        public DecodeContext? Context => Map.Owner;
    }
}
