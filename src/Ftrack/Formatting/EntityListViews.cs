using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Xml;
using Ftrack.Core.Schema;

namespace Ftrack.Formatting
{
    /// <summary>
    /// Format-List views of a server's entity types: every loaded attribute, dates with their zone
    /// (<see cref="DisplayDates"/>) — what Format-List showed before, but telling UTC from local.
    /// A list view names its items in advance, so each type's view names all the attributes of its
    /// schema, each shown only when loaded; that condition can only be said in a format file, so one
    /// is written per process and set of schemas (and deleted when the process ends) and appended,
    /// once per runspace, after the module's own views. Types without a table view of their own get
    /// the generic one (type, name, id) there too, ahead of their list view, so that a list never
    /// becomes their default display.
    /// </summary>
    internal static class EntityListViews
    {
        private static readonly ConcurrentDictionary<string, string> Files = new(StringComparer.Ordinal);
        private static readonly object ExitHook = new();
        private static bool _hooked;

        /// <summary>Makes sure this runspace has the list views of <paramref name="schemas"/>' types.</summary>
        public static void Register(PSCmdlet cmdlet, SchemaRegistry schemas)
        {
            // The schemas' own bytes say whether two sessions' views are the same.
            var hash = Core.StableHash.Of(schemas.RawJson);
            if (!RunspaceFormats.Claim("list-views:" + hash)) return;
            string path;
            try
            {
                path = Files.GetOrAdd(hash, h => Write(schemas, h));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // no temp folder to write to: the default list stays
            }
            RunspaceFormats.Append(cmdlet, path);
        }

        private static string Write(SchemaRegistry schemas, string hash)
        {
            var folder = Path.Combine(Path.GetTempPath(), "ftrack-powershell");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "views-" + System.Diagnostics.Process.GetCurrentProcess().Id + "-" + hash + ".format.ps1xml");
            var types = schemas.All.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
            using (var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
            {
                writer.WriteStartElement("Configuration");
                writer.WriteStartElement("ViewDefinitions");
                WriteGenericTable(writer, types.Select(t => "Ftrack.Entity#" + t.Id));
                foreach (var schema in types) WriteList(writer, schema);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            lock (ExitHook)
            {
                if (!_hooked) AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var file in Files.Values) TryDelete(file); };
                _hooked = true;
            }
            return path;
        }

        private static void WriteGenericTable(XmlWriter writer, System.Collections.Generic.IEnumerable<string> typeNames)
        {
            writer.WriteStartElement("View");
            writer.WriteElementString("Name", "Ftrack.Entity (by type)");
            writer.WriteStartElement("ViewSelectedBy");
            foreach (var name in typeNames) writer.WriteElementString("TypeName", name);
            writer.WriteEndElement();
            writer.WriteStartElement("TableControl");
            writer.WriteStartElement("TableHeaders");
            Header(writer, "Type", 16);
            Header(writer, "Name", 0);
            Header(writer, "Id", 36);
            writer.WriteEndElement();
            writer.WriteStartElement("TableRowEntries");
            writer.WriteStartElement("TableRowEntry");
            writer.WriteStartElement("TableColumnItems");
            foreach (var script in new[] { "$_.__entity_type__", "[Ftrack.Formatting.LoadedValues]::Label($_)", "[Ftrack.Formatting.LoadedValues]::Get($_, 'id')" })
            {
                writer.WriteStartElement("TableColumnItem");
                writer.WriteElementString("ScriptBlock", script);
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        private static void Header(XmlWriter writer, string label, int width)
        {
            writer.WriteStartElement("TableColumnHeader");
            writer.WriteElementString("Label", label);
            if (width > 0) writer.WriteElementString("Width", width.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndElement();
        }

        private static void WriteList(XmlWriter writer, EntitySchema schema)
        {
            writer.WriteStartElement("View");
            writer.WriteElementString("Name", "Ftrack.Entity#" + schema.Id + " (list)");
            writer.WriteStartElement("ViewSelectedBy");
            writer.WriteElementString("TypeName", "Ftrack.Entity#" + schema.Id);
            writer.WriteEndElement();
            writer.WriteStartElement("ListControl");
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
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        private static void TryDelete(string file)
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
