using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Ftrack.Formatting
{
    /// <summary>
    /// Format views the module makes while it runs (a query's select), added to the runspace that
    /// shows them, once each: format data belongs to a runspace, and ForEach-Object -Parallel runs
    /// each block in its own.
    /// </summary>
    internal static class RunspaceFormats
    {
        // The caller's -WhatIf, -Confirm or -Verbose (or their preference variables) are about its own work, not this.
        private const string UpdateFormatData = "Update-FormatData -WhatIf:$false -Confirm:$false -Verbose:$false";

        private static readonly ConditionalWeakTable<Runspace, HashSet<string>> Added = new();

        /// <summary>True the first time <paramref name="key"/> is claimed in this runspace (the caller then adds its views).</summary>
        public static bool Claim(string key)
        {
            if (Runspace.DefaultRunspace is not { } runspace) return false;
            var added = Added.GetOrCreateValue(runspace);
            lock (added) return added.Add(key);
        }

        /// <summary>Adds views held in memory to this runspace (Update-FormatData applies them: a few milliseconds).</summary>
        public static void Add(PSCmdlet cmdlet, ExtendedTypeDefinition definition)
        {
            try
            {
                Runspace.DefaultRunspace!.InitialSessionState.Formats.Add(new SessionStateFormatEntry(definition));
                cmdlet.InvokeCommand.InvokeScript(UpdateFormatData);
            }
            catch (RuntimeException)
            {
                // Without these views the rows show with their type's view: less fitting, never wrong.
            }
        }
    }
}
