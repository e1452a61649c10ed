using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Ftrack.Formatting
{
    /// <summary>
    /// Format views the module makes while it runs (for a query's select, for a server's entity
    /// types), added to the runspace that shows them, once each: format data belongs to a runspace,
    /// and ForEach-Object -Parallel runs each block in its own.
    /// </summary>
    internal static class RunspaceFormats
    {
        private static readonly ConditionalWeakTable<Runspace, HashSet<string>> Added = new();

        /// <summary>True the first time <paramref name="key"/> is claimed in this runspace (the caller then adds its views).</summary>
        public static bool Claim(string key)
        {
            if (Runspace.DefaultRunspace is not { } runspace) return false;
            var added = Added.GetOrCreateValue(runspace);
            lock (added) return added.Add(key);
        }

        // The caller's -WhatIf, -Confirm or -Verbose (or their preference variables) are about its own work, not this.
        private const string UpdateFormatData = "Update-FormatData -WhatIf:$false -Confirm:$false -Verbose:$false";

        /// <summary>Adds views held in memory to this runspace.</summary>
        public static void Add(PSCmdlet cmdlet, ExtendedTypeDefinition definition) =>
            Update(cmdlet, () => Runspace.DefaultRunspace!.InitialSessionState.Formats.Add(new SessionStateFormatEntry(definition)), UpdateFormatData);

        /// <summary>Adds the views of a format file to this runspace, after those already there (the module's own come first).</summary>
        public static void Append(PSCmdlet cmdlet, string path) =>
            Update(cmdlet, () => { }, UpdateFormatData + " -AppendPath '" + path.Replace("'", "''") + "'");

        private static void Update(PSCmdlet cmdlet, System.Action add, string command)
        {
            try
            {
                add();
                cmdlet.InvokeCommand.InvokeScript(command);
            }
            catch (RuntimeException)
            {
                // Without these views entities show with the module's static ones: less fitting, never wrong.
            }
        }
    }
}
