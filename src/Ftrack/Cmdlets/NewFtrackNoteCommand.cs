using System;
using System.Linq;
using System.Management.Automation;
using Ftrack.Core.Entities;
using Ftrack.Core.Writes;
using Ftrack.PipeBinds;

namespace Ftrack.Cmdlets
{
    /// <summary>
    /// New-FtrackNote: writes a note on an entity (a shot, task, version, ...), or a reply to a note,
    /// as ftrack's clients do — the note, a recipient per user to notify, a label link per label — in
    /// one request (or into the open batch), and returns the note, its id known at once. Users,
    /// categories and labels can be named (username, name).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FtrackNote", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ParentSet)]
    [OutputType(typeof(FtrackEntity))]
    public sealed class NewFtrackNoteCommand : FtrackWriteCmdlet
    {
        private const string ParentSet = "Parent", ReplySet = "Reply";

        /// <summary>The entity the note is on: an entity object, or an object naming one (__entity_type__ and id).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ParentSet)]
        [ValidateNotNull]
        public EntityPipeBind? Parent { get; set; }

        /// <summary>The note to answer: the reply joins its thread and hangs where the thread does.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ReplySet)]
        [ValidateNotNull]
        public EntityPipeBind? InReplyTo { get; set; }

        /// <summary>The note's text.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Content { get; set; } = "";

        /// <summary>A NoteCategory, or its name (e.g. 'Client feedback').</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Category { get; set; }

        /// <summary>Users (or groups) to notify, or usernames.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Recipient { get; set; }

        /// <summary>NoteLabels, or their names (e.g. 'Retake').</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public object[]? Label { get; set; }

        /// <summary>The User who writes the note, or a username; the API user when omitted.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Author { get; set; }

        /// <inheritdoc />
        protected override void ProcessInput()
        {
            var session = ResolveSession();
            var input = (Parent ?? InReplyTo)!;
            ForItem(input, () =>
            {
                var schemas = session.GetSchemas(NewCallOptions());
                var request = new NoteRequest
                {
                    Content = Content,
                    Parent = Parent?.Resolve(schemas, null),
                    InReplyTo = InReplyTo?.Resolve(schemas, "Note"),
                    Category = PowerShellValues.ToClr(Category),
                    Recipients = Items(Recipient),
                    Labels = Items(Label),
                    Author = PowerShellValues.ToClr(Author),
                };
                var plan = NoteWrites.Plan(session, request, NamesFor(session), NewCallOptions());
                var on = request.InReplyTo is { } answered ? "Reply to " + answered : "Note on " + request.Parent;
                if (!ShouldProcess(on, "Create note " + Core.Display.ValueText.Of(Content) + " (" + plan.Operations.Count + " operation(s))")) return;
                Send(session, plan.Operations);
                WriteObject(plan.Note);
            });
        }

        private static object[] Items(object[]? given) => given?.Select(PowerShellValues.ToClr).Where(v => v != null).Cast<object>().ToArray() ?? Array.Empty<object>();
    }
}
