namespace Ftrack.Core.Publishing
{
    /// <summary>
    /// The built-in locations, by the ids every ftrack server and client knows them by
    /// (ftrack_api.symbol in the Python client): they are the same on every server.
    /// </summary>
    public static class KnownLocations
    {
        /// <summary>ftrack.server: the server stores the bytes (uploads, signed download URLs).</summary>
        public const string ServerId = "3a372bde-05bc-11e4-8908-20c9d081909b";
        /// <summary>ftrack.unmanaged: the files stay where they are; the location records their paths.</summary>
        public const string UnmanagedId = "cb268ecc-8809-11e3-a7e2-20c9d081909b";
        /// <summary>ftrack.review: encoded review media.</summary>
        public const string ReviewId = "cd41be70-8809-11e3-b98a-20c9d081909b";
        /// <summary>ftrack.origin: where a component was published from (the Python client's in-memory location).</summary>
        public const string OriginId = "ce9b348f-8809-11e3-821c-20c9d081909b";
    }
}
