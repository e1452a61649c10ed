namespace Ftrack.Core
{
    /// <summary>A value given by the caller cannot be encoded for ftrack (nothing was sent).</summary>
    public sealed class FtrackEncodingException : FtrackException
    {
        /// <summary>Why the value cannot be encoded.</summary>
        public FtrackEncodingException(string message) : base(message) { }

        /// <inheritdoc />
        public override string ErrorId => FtrackErrorIds.InvalidValue;
    }
}
