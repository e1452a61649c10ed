using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Ftrack.Core.Publishing
{
    /// <summary>One file of a component: the whole of a FileComponent, or one frame of a sequence.</summary>
    public sealed class SourceFile
    {
        internal SourceFile(string path, long size, int? frame)
        {
            Path = path;
            Size = size;
            Frame = frame;
        }

        /// <summary>The file's full path.</summary>
        public string Path { get; }
        /// <summary>Its size in bytes, when it was checked.</summary>
        public long Size { get; }
        /// <summary>The frame number, for a member of a sequence.</summary>
        public int? Frame { get; }
    }

    /// <summary>
    /// What New-FtrackComponent publishes, read from its -Path and checked before anything is sent:
    /// a file (a FileComponent), or an image sequence in ftrack's notation
    /// <c>render.%04d.exr [1001-1100]</c> (a SequenceComponent with one member per frame; ranges may
    /// be lists, <c>[1-3, 5, 8-10]</c>). A folder, a missing file or any missing frame is refused
    /// here, so a publish never starts with part of its files.
    /// </summary>
    public sealed class ComponentSource
    {
        // head %0Nd tail [ranges]: clique's format, which the Python client's create_component parses.
        private static readonly Regex SequencePattern = new(@"^(?<head>.*?)%(?<padding>0\d+|)d(?<tail>[^%]*?)\s*\[(?<ranges>[^\]]*)\]\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex RangePattern = new(@"^\s*(?<first>-?\d+)\s*(?:-\s*(?<last>-?\d+)\s*)?$", RegexOptions.CultureInvariant);

        /// <summary>At most this many frames in one sequence: a typo such as [1-1000000] is refused rather than checked frame by frame.</summary>
        public const int MaxFrames = 100_000;

        private ComponentSource(string display, IReadOnlyList<SourceFile> files, bool isSequence, string head, string tail, int padding)
        {
            Display = display;
            Files = files;
            IsSequence = isSequence;
            Head = head;
            Tail = tail;
            Padding = padding;
        }

        /// <summary>How the path reads in messages: the file, or the sequence notation with full folder.</summary>
        public string Display { get; }
        /// <summary>The files, in frame order for a sequence.</summary>
        public IReadOnlyList<SourceFile> Files { get; }
        /// <summary>Whether this is an image sequence (a SequenceComponent).</summary>
        public bool IsSequence { get; }
        /// <summary>For a sequence, the path before the frame number ("/renders/sh010.").</summary>
        public string Head { get; }
        /// <summary>For a sequence, the part after the frame number (".exr").</summary>
        public string Tail { get; }
        /// <summary>For a sequence, the frame number's width (4 for %04d, 0 for %d).</summary>
        public int Padding { get; }
        /// <summary>All the bytes.</summary>
        public long TotalSize => Files.Sum(f => f.Size);

        /// <summary>
        /// The file type as ftrack keeps it: the extension with its dot (".exr"), "" when there is none.
        /// </summary>
        public string FileType => System.IO.Path.GetExtension(IsSequence ? Tail : Files[0].Path);

        /// <summary>
        /// The component's name when none is given: a file's name without its extension
        /// ("plate.mov" → "plate"); a sequence's head without its folder and trailing separators
        /// ("sh010_beauty.%04d.exr" → "sh010_beauty").
        /// </summary>
        public string DefaultName => IsSequence
            ? System.IO.Path.GetFileName(Head).TrimEnd('.', '_', '-', ' ') is { Length: > 0 } name ? name : "sequence"
            : System.IO.Path.GetFileNameWithoutExtension(Files[0].Path);

        /// <summary>
        /// Reads <paramref name="path"/> (relative to <paramref name="currentFolder"/>) and checks
        /// every file exists. Throws <see cref="FtrackUsageException"/> (InvalidComponentPath) saying
        /// what is wrong: a folder, a missing file, missing frames (listed), a malformed range.
        /// </summary>
        public static ComponentSource Read(string path, string currentFolder)
        {
            if (string.IsNullOrWhiteSpace(path)) throw Invalid("The path is empty: give a file, or a sequence such as 'render.%04d.exr [1001-1100]'.");
            var match = SequencePattern.Match(path);
            if (!match.Success)
            {
                if (path.Contains("%") && path.TrimEnd().EndsWith("]", StringComparison.Ordinal))
                    throw Invalid("'" + path + "' is not a sequence ftrack understands: write it as head%0Nd.ext [first-last], e.g. 'render.%04d.exr [1001-1100]'.");
                var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(currentFolder, path));
                if (Directory.Exists(full))
                    throw Invalid("'" + full + "' is a folder: a component is a file, or an image sequence given as 'name.%04d.ext [first-last]'.");
                if (!File.Exists(full))
                    throw Invalid("There is no file '" + full + "'.", UsageErrorKind.NotFound);
                return new ComponentSource(full, new[] { new SourceFile(full, new FileInfo(full).Length, null) }, false, "", "", 0);
            }

            var head = System.IO.Path.GetFullPath(System.IO.Path.Combine(currentFolder, match.Groups["head"].Value + "x")).TrimEnd('x');
            var tail = match.Groups["tail"].Value;
            var padding = match.Groups["padding"].Value.Length == 0 ? 0 : int.Parse(match.Groups["padding"].Value, CultureInfo.InvariantCulture);
            var frames = Frames(match.Groups["ranges"].Value, path);
            var files = new List<SourceFile>(frames.Count);
            var missing = new List<int>();
            string? folder = null;
            foreach (var frame in frames)
            {
                var file = head + Format(frame, padding) + tail;
                if (Directory.Exists(file)) folder = file;
                else if (File.Exists(file)) files.Add(new SourceFile(file, new FileInfo(file).Length, frame));
                else missing.Add(frame);
            }
            var display = head + (padding == 0 ? "%d" : "%0" + padding.ToString(CultureInfo.InvariantCulture) + "d") + tail + " [" + match.Groups["ranges"].Value.Trim() + "]";
            if (folder != null)
                throw Invalid("'" + folder + "' is a folder, not a frame of " + display + ".");
            if (missing.Count > 0)
                throw Invalid(display + ": " + missing.Count.ToString(CultureInfo.InvariantCulture) + " of " + frames.Count.ToString(CultureInfo.InvariantCulture)
                    + " frames are missing (" + RangesText(missing) + "), e.g. '" + head + Format(missing[0], padding) + tail + "'. Nothing was published.", UsageErrorKind.NotFound);
            return new ComponentSource(display, files, true, head, tail, padding);
        }

        /// <summary>"1001" for frame 1001 with padding 4, "0007" for 7.</summary>
        public static string Format(int frame, int padding) =>
            frame < 0 ? "-" + (-frame).ToString(CultureInfo.InvariantCulture).PadLeft(padding, '0') : frame.ToString(CultureInfo.InvariantCulture).PadLeft(padding, '0');

        private static List<int> Frames(string ranges, string path)
        {
            var frames = new SortedSet<int>();
            foreach (var part in ranges.Split(','))
            {
                var range = RangePattern.Match(part);
                if (!range.Success)
                    throw Invalid("'" + path + "': '" + part.Trim() + "' is not a frame range; write [first-last], or a list such as [1-3, 5, 8-10].");
                if (!int.TryParse(range.Groups["first"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var first)
                    || !int.TryParse(range.Groups["last"].Success ? range.Groups["last"].Value : range.Groups["first"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var last))
                    throw Invalid("'" + path + "': the frame numbers in '" + part.Trim() + "' are too large.");
                if (last < first)
                    throw Invalid("'" + path + "': the range " + part.Trim() + " ends before it starts.");
                if ((long)last - first + 1 + frames.Count > MaxFrames)
                    throw Invalid("'" + path + "' names more than " + MaxFrames.ToString("N0", CultureInfo.InvariantCulture) + " frames; check the range.");
                for (var frame = first; frame <= last; frame++) frames.Add(frame);
            }
            if (frames.Count == 0) throw Invalid("'" + path + "' names no frames: give a range such as [1001-1100].");
            return frames.ToList();
        }

        /// <summary>"1003, 1007-1009": frames as ranges, for messages (at most 20 parts).</summary>
        internal static string RangesText(IReadOnlyList<int> frames)
        {
            var parts = new List<string>();
            for (var i = 0; i < frames.Count;)
            {
                var j = i;
                while (j + 1 < frames.Count && frames[j + 1] == frames[j] + 1) j++;
                parts.Add(i == j ? frames[i].ToString(CultureInfo.InvariantCulture) : frames[i].ToString(CultureInfo.InvariantCulture) + "-" + frames[j].ToString(CultureInfo.InvariantCulture));
                i = j + 1;
            }
            return parts.Count <= 20 ? string.Join(", ", parts) : string.Join(", ", parts.Take(20)) + ", … (" + (parts.Count - 20).ToString(CultureInfo.InvariantCulture) + " more ranges)";
        }

        private static FtrackUsageException Invalid(string message, UsageErrorKind kind = UsageErrorKind.InvalidArgument) =>
            new(FtrackErrorIds.InvalidComponentPath, message, kind);
    }
}
