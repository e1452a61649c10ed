using System.Management.Automation;

namespace Ftrack.LocalServer
{
    /// <summary>
    /// Remove-Module Ftrack stops the local servers started in that runspace: they run inside
    /// pwsh, and nothing could stop them once the module's cmdlets are gone. Their sessions then
    /// say the server was stopped.
    /// </summary>
    public sealed class ModuleCleanup : IModuleAssemblyCleanup
    {
        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo) => LocalServers.StopStartedInThisRunspace("was stopped when the Ftrack module was removed");
    }
}
