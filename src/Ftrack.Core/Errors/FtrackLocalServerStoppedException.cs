namespace Ftrack.Core
{
    /// <summary>
    /// The session's server ran in this process (the local server) and no longer does: it was
    /// stopped, or it exited. Raised before anything is sent, so a write was certainly not applied.
    /// </summary>
    public sealed class FtrackLocalServerStoppedException : FtrackException
    {
        /// <summary>A stopped server, described by <paramref name="message"/> (which says which server and why).</summary>
        public FtrackLocalServerStoppedException(string message) : base(message) { }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.LocalServerStopped;
    }
}
