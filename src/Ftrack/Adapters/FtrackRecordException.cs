using System.Management.Automation;
using Ftrack.Core;

namespace Ftrack.Adapters
{
    /// <summary>
    /// An FtrackException raised where PowerShell itself reports the failure — setting a key of a
    /// custom attribute or metadata dictionary — carrying the module's ErrorRecord, so the error has
    /// the module's id and category (Ftrack.NoBatch, Ftrack.UnknownCustomAttribute...) as a cmdlet's would.
    /// </summary>
    internal sealed class FtrackRecordException : RuntimeException
    {
        private readonly ErrorRecord _record;

        public FtrackRecordException(FtrackException exception, object? target) : base(exception.Message, exception)
        {
            _record = FtrackErrorRecords.From(exception, target);
        }

        public override ErrorRecord ErrorRecord => _record;
    }
}
