using System;
using System.Collections.Generic;
using System.Management.Automation;
using Ftrack.Core.Query;
using Ftrack.Core.Schema;

namespace Ftrack.Formatting
{
    /// <summary>
    /// The views of a query's select: a table (and a list) whose columns are the selected paths, in
    /// their order, for the type name every row of the result carries first
    /// (<see cref="QueryProjection.TypeName"/>). Made from the schemas when a query's first row is
    /// written and added once per runspace (in memory: a few milliseconds per new select). Cells
    /// read through <see cref="LoadedValues.Show"/>, so showing a result never loads anything. A
    /// query without a select has no such type name: its type's view in Ftrack.format.ps1xml applies.
    /// </summary>
    internal static class ProjectionViews
    {
        private const int IdWidth = 36;
        // Wide enough for DisplayDates: "2026-11-28 10:39:00 UTC", or "... server time" without timezone support.
        private const int UtcDateWidth = 23, ServerDateWidth = 31, DayWidth = 10, NumberWidth = 10, BooleanWidth = 5;

        /// <summary>Makes sure this runspace has the views of <paramref name="projection"/>.</summary>
        public static void Register(PSCmdlet cmdlet, QueryProjection projection, SchemaRegistry? schemas, bool utc)
        {
            if (!RunspaceFormats.Claim(projection.TypeName)) return;
            var root = schemas?.Find(projection.EntityType, ignoreCase: true);
            var table = TableControl.Create(outOfBand: false, autoSize: false, hideTableHeaders: false);
            var list = ListControl.Create(outOfBand: false).StartEntry(entrySelectedByType: null, entrySelectedByCondition: null);
            var scripts = new List<string>();
            foreach (var path in projection.Paths)
            {
                var (width, alignment) = ColumnOf(schemas, root, path, utc);
                var script = "[Ftrack.Formatting.LoadedValues]::Show($_, '" + path.Replace("'", "''") + "')";
                // A width of 0 leaves the column to share what the others leave (strings, names).
                table.AddHeader(alignment, width == 0 ? 0 : Math.Max(width, path.Length), path);
                list.AddItemScriptBlock(script, path, format: null);
                scripts.Add(script);
            }
            var row = table.StartRowDefinition(wrap: false, entrySelectedByType: null, entrySelectedByCondition: null);
            foreach (var script in scripts) row.AddScriptBlockColumn(script, Alignment.Undefined, format: null);
            var definition = new ExtendedTypeDefinition(projection.TypeName, new[]
            {
                new FormatViewDefinition(projection.TypeName, row.EndRowDefinition().EndTable()),
                new FormatViewDefinition(projection.TypeName, list.EndEntry().EndList()),
            });
            RunspaceFormats.Add(cmdlet, definition);
        }

        /// <summary>A column's width and alignment, from what the path's last attribute is (0: no fixed width).</summary>
        private static (int Width, Alignment Alignment) ColumnOf(SchemaRegistry? schemas, EntitySchema? root, string path, bool utc)
        {
            if (schemas is null || root is null) return (0, Alignment.Undefined);
            var dot = path.LastIndexOf('.');
            var owner = dot < 0 ? root : AttributePaths.Resolve(schemas, root, path.Substring(0, dot)).Target;
            var name = path.Substring(dot + 1);
            if (name.IndexOf('[') is var bracket and >= 0) name = name.Substring(0, bracket);
            if (owner is null || !owner.Attributes.TryGetValue(name, out var attribute)) return (0, Alignment.Undefined);
            return attribute switch
            {
                { IsDateTime: true } => (utc ? UtcDateWidth : ServerDateWidth, Alignment.Left),
                { Format: "date" } => (DayWidth, Alignment.Left),
                { Type: "integer" or "number" } => (NumberWidth, Alignment.Right),
                { Type: "boolean" } => (BooleanWidth, Alignment.Left),
                { Format: "foreign_key" } => (IdWidth, Alignment.Left),
                _ when Array.IndexOf(owner.PrimaryKey, name) >= 0 => (IdWidth, Alignment.Left),
                _ => (0, Alignment.Undefined),
            };
        }
    }
}
