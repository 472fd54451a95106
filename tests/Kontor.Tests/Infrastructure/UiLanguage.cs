using System.Globalization;

namespace Kontor.Tests.Infrastructure;

/// <summary>Runs a piece of a test as a reader of <c>language</c> (messages are said in it) and puts the previous one back.</summary>
public sealed class UiLanguage : IDisposable
{
    private readonly CultureInfo previous = CultureInfo.CurrentUICulture;

    private UiLanguage(string language) => CultureInfo.CurrentUICulture = new CultureInfo(language);

    public static UiLanguage Use(string language) => new(language);

    public void Dispose() => CultureInfo.CurrentUICulture = previous;
}
