using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Xml;
using Ftrack.Core.Schema;

namespace Ftrack.Formatting
{
    /// <summary>
    /// The views of a server's entity types, for a query without a select (a select has its own,
    /// <see cref="ProjectionViews"/>): for each type a table - its own columns for the types people
    /// look at most, type, name and id for the rest - and then a list of every loaded attribute,
    /// dates with their zone (<see cref="Core.Display.DisplayDates"/>). A list view names its items
    /// in advance, so each type's names all the attributes of its schema, each shown only when
    /// loaded; that condition can only be said in a format file, so one is written per process and
    /// set of schemas (deleted when the process ends) and added, once per runspace, when a command
    /// first has the schemas. A type's table and list are in that one file, table first, so the
    /// table stays the default display whatever else is loaded, and in what order. Cells read
    /// through <see cref="LoadedValues"/>: showing never loads anything.
    /// </summary>
    internal static class EntityViews
    {
        private const int TypeWidth = 16, IdWidth = 36;
        // One file per set of schemas, written once even when parallel runspaces ask at the same time.
        private static readonly ConcurrentDictionary<string, Lazy<string>> Files = new(StringComparer.Ordinal);
        private static readonly object ExitHook = new();
        private static bool _hooked;

        private static string Show(string path) => "[Ftrack.Formatting.LoadedValues]::Show($_, '" + path + "')";

        // The tables of the types people look at most (label, cell script); every other type gets Generic.
        private static readonly Dictionary<string, (string Label, string Script)[]> Columns = new(StringComparer.Ordinal)
        {
            ["Project"] = new[] { ("Name", Show("name")), ("FullName", Show("full_name")), ("Status", Show("status")), ("Start", Show("start_date")), ("End", Show("end_date")), ("Id", Show("id")) },
            ["Sequence"] = new[] { ("Name", Show("name")), ("Project", Show("project.name")), ("Status", Show("status.name")), ("Id", Show("id")) },
            ["Shot"] = new[] { ("Name", Show("name")), ("Parent", Show("parent.name")), ("Status", Show("status.name")), ("Bid", Show("bid")), ("Id", Show("id")) },
            ["Task"] = new[] { ("Name", Show("name")), ("Parent", Show("parent.name")), ("Type", Show("type.name")), ("Status", Show("status.name")), ("Priority", Show("priority.name")), ("Id", Show("id")) },
            ["AssetVersion"] = new[] { ("Asset", Show("asset.name")), ("Version", Show("version")), ("Status", Show("status.name")), ("Comment", Show("comment")), ("Published", Show("date")), ("Id", Show("id")) },
            ["User"] = new[] { ("Username", Show("username")), ("FirstName", Show("first_name")), ("LastName", Show("last_name")), ("Email", Show("email")), ("Active", Show("is_active")), ("Id", Show("id")) },
            ["Note"] = new[] { ("Author", Show("author.username")), ("Date", Show("date")), ("Category", Show("category.name")), ("Content", Show("content")), ("Id", Show("id")) },
            ["Status"] = new[] { ("Name", Show("name")), ("State", Show("state.name")), ("Color", Show("color")), ("Sort", Show("sort")), ("Id", Show("id")) },
            ["Timelog"] = new[] { ("User", Show("user.username")), ("Start", Show("start")),
                ("Hours", "$d = [Ftrack.Formatting.LoadedValues]::Get($_, 'duration'); if ($null -ne $d) { [math]::Round([double]$d / 3600, 2) }"),
                ("Context", Show("context.name")), ("Comment", Show("comment")), ("Id", Show("id")) },
        };

        private static readonly (string Label, string Script)[] Generic =
            { ("Type", "$_.__entity_type__"), ("Name", "[Ftrack.Formatting.LoadedValues]::Label($_)"), ("Id", Show("id")) };

        /// <summary>Makes sure this runspace has the views of <paramref name="schemas"/>' types.</summary>
        public static void Register(PSCmdlet cmdlet, SchemaRegistry schemas)
        {
            // The schemas' own bytes say whether two sessions' views are the same.
            var hash = Core.StableHash.Of(schemas.RawJson);
            if (!RunspaceFormats.Claim("entity-views:" + hash)) return;
            string path;
            try
            {
                path = Files.GetOrAdd(hash, h => new Lazy<string>(() => Write(schemas, h))).Value;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // no temp folder to write to: Ftrack.format.ps1xml's generic table stays
            }
            RunspaceFormats.Append(cmdlet, path);
        }

        private static string Write(SchemaRegistry schemas, string hash)
        {
            var folder = Path.Combine(Path.GetTempPath(), "ftrack-powershell");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "views-" + System.Diagnostics.Process.GetCurrentProcess().Id + "-" + hash + ".format.ps1xml");
            using (var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
            {
                writer.WriteStartElement("Configuration");
                writer.WriteStartElement("ViewDefinitions");
                foreach (var schema in schemas.All.OrderBy(s => s.Id, StringComparer.Ordinal))
                {
                    WriteTable(writer, schema.Id, Columns.TryGetValue(schema.Id, out var columns) ? columns : Generic);
                    WriteList(writer, schema);
                }
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            lock (ExitHook)
            {
                if (!_hooked) AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var file in Files.Values) if (file.IsValueCreated) TryDelete(file.Value); };
                _hooked = true;
            }
            return path;
        }

        private static void StartView(XmlWriter writer, string entityType, string control)
        {
            writer.WriteStartElement("View");
            writer.WriteElementString("Name", "Ftrack.Entity#" + entityType);
            writer.WriteStartElement("ViewSelectedBy");
            writer.WriteElementString("TypeName", "Ftrack.Entity#" + entityType);
            writer.WriteEndElement();
            writer.WriteStartElement(control);
        }

        private static void WriteTable(XmlWriter writer, string entityType, (string Label, string Script)[] columns)
        {
            StartView(writer, entityType, "TableControl");
            writer.WriteStartElement("TableHeaders");
            foreach (var (label, _) in columns)
            {
                writer.WriteStartElement("TableColumnHeader");
                writer.WriteElementString("Label", label);
                var width = ReferenceEquals(columns, Generic) && label == "Type" ? TypeWidth : label == "Id" ? IdWidth : 0;
                if (width > 0) writer.WriteElementString("Width", width.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteStartElement("TableRowEntries");
            writer.WriteStartElement("TableRowEntry");
            writer.WriteStartElement("TableColumnItems");
            foreach (var (_, script) in columns)
            {
                writer.WriteStartElement("TableColumnItem");
                writer.WriteElementString("ScriptBlock", script);
                writer.WriteEndElement();
            }
            for (var i = 0; i < 5; i++) writer.WriteEndElement(); // items, entry, entries, control, view
        }

        private static void WriteList(XmlWriter writer, EntitySchema schema)
        {
            StartView(writer, schema.Id, "ListControl");
            writer.WriteStartElement("ListEntries");
            writer.WriteStartElement("ListEntry");
            writer.WriteStartElement("ListItems");
            writer.WriteStartElement("ListItem");
            writer.WriteElementString("PropertyName", "__entity_type__");
            writer.WriteEndElement();
            // The key first, then the rest by name: easy to scan, the same for every entity of the type.
            foreach (var name in schema.PrimaryKey.Concat(schema.Attributes.Keys.Where(k => Array.IndexOf(schema.PrimaryKey, k) < 0).OrderBy(k => k, StringComparer.Ordinal)))
            {
                var quoted = "'" + name.Replace("'", "''") + "'";
                writer.WriteStartElement("ListItem");
                writer.WriteElementString("Label", name);
                writer.WriteStartElement("ItemSelectionCondition");
                writer.WriteElementString("ScriptBlock", "[Ftrack.Formatting.LoadedValues]::IsLoaded($_, " + quoted + ")");
                writer.WriteEndElement();
                writer.WriteElementString("ScriptBlock", "[Ftrack.Formatting.LoadedValues]::Entry($_, " + quoted + ")");
                writer.WriteEndElement();
            }
            for (var i = 0; i < 5; i++) writer.WriteEndElement(); // items, entry, entries, control, view
        }

        private static void TryDelete(string file)
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
