using System;
using System.Collections.Generic;

namespace Ftrack.Server.Api;

/// <summary>The Content-Type of a component's bytes, from its file type (".exr", ".mov", ...).</summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".png"] = "image/png", [".gif"] = "image/gif",
        [".tif"] = "image/tiff", [".tiff"] = "image/tiff", [".exr"] = "image/x-exr", [".dpx"] = "image/x-dpx",
        [".webp"] = "image/webp", [".bmp"] = "image/bmp", [".tga"] = "image/x-tga",
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime", [".webm"] = "video/webm",
        [".avi"] = "video/x-msvideo", [".mkv"] = "video/x-matroska", [".mxf"] = "application/mxf",
        [".wav"] = "audio/wav", [".mp3"] = "audio/mpeg", [".pdf"] = "application/pdf",
        [".json"] = "application/json", [".txt"] = "text/plain", [".zip"] = "application/zip",
    };

    private static readonly HashSet<string> Videos = new(StringComparer.OrdinalIgnoreCase) { ".mp4", ".m4v", ".mov", ".webm", ".avi", ".mkv", ".mxf" };

    private static readonly HashSet<string> Images = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".exr", ".dpx", ".webp", ".bmp", ".tga" };

    public static string Of(string? fileType) =>
        fileType != null && ByExtension.TryGetValue(fileType.StartsWith('.') ? fileType : "." + fileType, out var type) ? type : "application/octet-stream";

    public static bool IsVideo(string? fileType) => fileType != null && Videos.Contains(fileType.StartsWith('.') ? fileType : "." + fileType);

    public static bool IsImage(string? fileType) => fileType != null && Images.Contains(fileType.StartsWith('.') ? fileType : "." + fileType);
}
