using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Ftrack.Adapters
{
    /// <summary>
    /// Lines from code that no cmdlet is running — the entity adapter, loading an attribute on first
    /// access — written to the host as the preferences of the scope that read the property ask. The
    /// runspace's own script engine answers both questions. Errors go here because PowerShell
    /// swallows whatever a property getter throws (the value just reads as $null).
    /// </summary>
    internal static class HostMessages
    {
        private const string VerboseScript = "param($m) if ($VerbosePreference -ne 'SilentlyContinue') { $Host.UI.WriteVerboseLine($m) }";
        // Recorded in $Error too, as the engine records an error it reports (unless told to ignore it).
        private const string ErrorScript = "param($m, $r) if ($ErrorActionPreference -ne 'Ignore') { $Error.Insert(0, $r) }; "
            + "if ($ErrorActionPreference -notin 'SilentlyContinue', 'Ignore') { $Host.UI.WriteErrorLine($m) }";

        public static void Verbose(string message)
        {
            if (Runspace.DefaultRunspace != null) ScriptBlock.Create(VerboseScript).Invoke(message);
        }

        public static void Error(ErrorRecord record)
        {
            if (Runspace.DefaultRunspace != null) ScriptBlock.Create(ErrorScript).Invoke(record.FullyQualifiedErrorId + ": " + record.Exception.Message, record);
        }
    }
}
