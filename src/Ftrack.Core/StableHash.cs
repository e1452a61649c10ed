namespace Ftrack.Core
{
    /// <summary>
    /// A hash that is the same in every process (string.GetHashCode is not): FNV-1a, 64 bits, as
    /// 16 hex digits. For names derived from content (a select's view, a schema set's views), not security.
    /// </summary>
    internal static class StableHash
    {
        private const ulong Offset = 14695981039346656037UL, Prime = 1099511628211UL;

        public static string Of(string text)
        {
            var hash = Offset;
            foreach (var c in text) hash = (hash ^ c) * Prime;
            return Hex(hash);
        }

        public static string Of(byte[] bytes)
        {
            var hash = Offset;
            foreach (var b in bytes) hash = (hash ^ b) * Prime;
            return Hex(hash);
        }

        private static string Hex(ulong hash) => hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
