using System.Globalization;
using System.Resources;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kontor.Common;

/// <summary>
/// Texts for people — refusals and field errors — in the reader's language (<see cref="CultureInfo.CurrentUICulture"/>).
/// A message is written in English where it is raised; its English text with the interpolated values as {0}, {1}… is the
/// key of its translation in Resources/Messages.*.resx, generated from the tables in Resources/messages/*.py
/// (docs/localisation.md). The web host reads the UI language from the person's choice and answers the API in English
/// unless the client asks otherwise, so a message is translated once, where it is raised, as .NET's own are.
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Catalog = new("Kontor.Common.Resources.Messages", typeof(Messages).Assembly);

    /// <summary>A fixed text in the reader's language; itself when it has no translation.</summary>
    public static string Translate(string text) =>
        Translated(text) ?? text;

    /// <summary>
    /// A template with its values in the reader's language: the values are formatted for the reader's culture, and an enum
    /// value is said by its own row ("OrderStatus.Cancelled") where there is one.
    /// </summary>
    public static string Format(string template, params object?[] arguments)
    {
        if (Translated(template) is not { } translated) return string.Format(CultureInfo.CurrentCulture, template, arguments);
        var said = arguments.Select(a => a is Enum e ? Translated($"{e.GetType().Name}.{e}") ?? (object)e : a).ToArray();
        try
        {
            return string.Format(CultureInfo.CurrentCulture, translated, said);
        }
        catch (FormatException)
        {
            // A broken row must not turn a refusal into a 500; the generator refuses such rows, this is the last guard.
            return string.Format(CultureInfo.CurrentCulture, template, arguments);
        }
    }

    private static string? Translated(string key)
    {
        var culture = CultureInfo.CurrentUICulture;
        // The code's own text is English: no lookup for an English (or culture-less) reader.
        if (culture.TwoLetterISOLanguageName is "en" or "iv") return null;
        return Catalog.GetString(key, culture);
    }
}

/// <summary>
/// The form of an interpolated message (<c>$"Invoice {number} is issued"</c>) kept apart from its values: the template
/// <c>Invoice {0} is issued</c> finds the translation, the values fill it. Methods that take a message for people accept
/// it beside <see cref="string"/>; the compiler picks this overload for every interpolated string.
/// </summary>
[InterpolatedStringHandler]
public ref struct MessageTemplate
{
    private readonly StringBuilder? template;
    private readonly List<object?>? arguments;

    public MessageTemplate(int literalLength, int formattedCount)
    {
        template = new StringBuilder(literalLength + formattedCount * 4);
        arguments = new List<object?>(formattedCount);
    }

    /// <summary>For a message given only when <paramref name="condition"/> fails: nothing is built when it holds.</summary>
    public MessageTemplate(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        shouldAppend = !condition;
        if (shouldAppend)
        {
            template = new StringBuilder(literalLength + formattedCount * 4);
            arguments = new List<object?>(formattedCount);
        }
    }

    /// <summary>The English form with {0}, {1}… where the values go: the key of the translation.</summary>
    public readonly string Template => template?.ToString() ?? "";

    public readonly object?[] Arguments => arguments?.ToArray() ?? [];

    public void AppendLiteral(string text) => template!.Append(text.Replace("{", "{{").Replace("}", "}}"));

    public void AppendFormatted<T>(T value) => Append(value, 0, null);

    public void AppendFormatted<T>(T value, string? format) => Append(value, 0, format);

    public void AppendFormatted<T>(T value, int alignment) => Append(value, alignment, null);

    public void AppendFormatted<T>(T value, int alignment, string? format) => Append(value, alignment, format);

    private void Append(object? value, int alignment, string? format)
    {
        template!.Append('{').Append(arguments!.Count);
        if (alignment != 0) template.Append(',').Append(alignment);
        if (format is not null) template.Append(':').Append(format);
        template.Append('}');
        arguments.Add(value);
    }

    /// <summary>The message in the reader's language.</summary>
    public override readonly string ToString() => Messages.Format(Template, Arguments);
}
