using Ftrack.Core.Publishing;
using Xunit;

namespace Ftrack.Core.Tests;

/// <summary>New-FtrackComponent's -Path: a file or ftrack's sequence notation, every file checked before anything is sent.</summary>
public sealed class ComponentSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ftrack-source-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Frames(string name, params int[] frames)
    {
        foreach (var frame in frames) File.WriteAllBytes(Path.Combine(_folder, string.Format(name, frame)), new byte[frame % 7 + 1]);
    }

    private FtrackUsageException Refused(string path)
    {
        var error = Assert.Throws<FtrackUsageException>(() => ComponentSource.Read(path, _folder));
        Assert.Equal(FtrackErrorIds.InvalidComponentPath, error.ErrorId);
        return error;
    }

    [Fact]
    public void A_file_is_one_component_named_by_its_name_without_extension()
    {
        File.WriteAllBytes(Path.Combine(_folder, "plate.v002.mov"), new byte[10]);
        var source = ComponentSource.Read("plate.v002.mov", _folder);
        Assert.False(source.IsSequence);
        Assert.Equal("plate.v002", source.DefaultName);
        Assert.Equal(".mov", source.FileType);
        Assert.Equal(10, source.TotalSize);
        Assert.Equal(Path.Combine(_folder, "plate.v002.mov"), source.Files.Single().Path);
    }

    [Fact]
    public void A_sequence_with_a_list_of_ranges_has_each_frame_in_order()
    {
        Frames("sh010_beauty.{0:0000}.exr", 1, 2, 3, 5, 8, 9, 10);
        var source = ComponentSource.Read("sh010_beauty.%04d.exr [8-10, 1-3, 5]", _folder);
        Assert.True(source.IsSequence);
        Assert.Equal(new int?[] { 1, 2, 3, 5, 8, 9, 10 }, source.Files.Select(f => f.Frame));
        Assert.Equal(4, source.Padding);
        Assert.Equal(".exr", source.FileType);
        Assert.Equal("sh010_beauty", source.DefaultName);
        Assert.Equal(source.Files.Sum(f => f.Size), source.TotalSize);
    }

    [Fact]
    public void An_unpadded_sequence_reads_its_frames_without_zeros()
    {
        Frames("frame_{0}.png", 9, 10, 11);
        var source = ComponentSource.Read("frame_%d.png [9-11]", _folder);
        Assert.Equal(0, source.Padding);
        Assert.Equal(new[] { "frame_9.png", "frame_10.png", "frame_11.png" }, source.Files.Select(f => Path.GetFileName(f.Path)));
    }

    [Fact]
    public void Missing_frames_are_listed_as_ranges_and_nothing_is_read()
    {
        Frames("r.{0:0000}.exr", 1001, 1002, 1004);
        var error = Refused("r.%04d.exr [1001-1008]");
        Assert.Contains("5 of 8 frames are missing (1003, 1005-1008)", error.Message);
        Assert.Contains("r.1003.exr", error.Message);
    }

    [Fact]
    public void A_folder_a_missing_file_and_malformed_ranges_are_refused_in_plain_words()
    {
        Assert.Contains("is a folder", Refused(".").Message);
        Assert.Contains("There is no file", Refused("nope.mov").Message);
        Assert.Contains("ends before it starts", Refused("r.%04d.exr [10-1]").Message);
        Assert.Contains("is not a frame range", Refused("r.%04d.exr [1-x]").Message);
        Assert.Contains("is not a frame range", Refused("r.%04d.exr []").Message);
        Assert.Contains("more than 100,000 frames", Refused("r.%04d.exr [1-200000]").Message);
        Assert.Contains("is not a sequence ftrack understands", Refused("r.%04x.exr [1-2]").Message);
    }
}
