using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace Kontor.UiTests;

/// <summary>A document page's "Download PDF", taken through the browser's download, and read back with PdfPig.</summary>
public static class PdfDownloads
{
    public static async Task<byte[]> DownloadAsync(IPage page)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-pdf").ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 5 && System.Text.Encoding.ASCII.GetString(bytes, 0, 5) == "%PDF-",
            $"{download.SuggestedFilename}: not a PDF ({bytes.Length} bytes)");
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        return bytes;
    }

    /// <summary>The words of every page joined by single spaces, as a reader copies them.</summary>
    public static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    public static int ImagesOnFirstPage(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPage(1).GetImages().Count();
    }
}
