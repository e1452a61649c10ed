using System;
using System.Threading;
using Ftrack.Core.Json;

namespace Ftrack.Core.Transport
{
    /// <summary>Per-call hooks: where log lines go, where streamed rows go, which identity map to merge into.</summary>
    public sealed class CallOptions
    {
        /// <summary>One line per HTTP call (verbose). Called on the calling thread.</summary>
        public Action<string>? Log { get; set; }
        /// <summary>Request and response bodies, truncated (debug).</summary>
        public Action<string>? Debug { get; set; }
        /// <summary>Receives query rows as they are decoded instead of collecting them (operation index, row).</summary>
        public Action<int, object?>? OnRow { get; set; }
        /// <summary>Share an identity map across calls (every page of one query).</summary>
        public DecodeContext? Context { get; set; }
        /// <summary>Called before the decoder waits for more bytes from the network (a streaming consumer hands over what it has).</summary>
        public Action? BeforeWait { get; set; }
        /// <summary>Cancels the call (Ctrl+C).</summary>
        public CancellationToken CancellationToken { get; set; }

        /// <summary>A copy to change a field of, for one inner call: the one place options are copied.</summary>
        public CallOptions Copy() => (CallOptions)MemberwiseClone();
    }
}
