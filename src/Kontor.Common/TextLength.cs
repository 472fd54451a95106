namespace Kontor.Common;

/// <summary>Fitting a text Kontor composes itself (a reason, a subject, a match key) into the column that stores it.</summary>
public static class TextLength
{
    /// <summary>The first <paramref name="max"/> characters: for keys and composed texts where a visible cut is not wanted.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>At most <paramref name="max"/> characters, ending in "…" when cut, so a reader sees there was more.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
