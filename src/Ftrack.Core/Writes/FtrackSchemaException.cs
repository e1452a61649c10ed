using System;

namespace Ftrack.Core.Writes
{
    /// <summary>
    /// A write the schema forbids, refused on the client before anything is sent: an unknown entity
    /// type or attribute (the message lists the valid names), or an immutable attribute.
    /// </summary>
    public sealed class FtrackSchemaException : FtrackException
    {
        public FtrackSchemaException(string errorId, string message) : base(message) { _errorId = errorId; }
        private readonly string _errorId;
        public override string ErrorId => _errorId;
    }
}

namespace Ftrack.Core.Writes
{
    /// <summary>Misuse of batches: starting a second one, submitting none, submitting twice.</summary>
    public sealed class FtrackBatchException : FtrackException
    {
        public FtrackBatchException(string errorId, string message) : base(message) { _errorId = errorId; }
        private readonly string _errorId;
        public override string ErrorId => _errorId;
    }
}
