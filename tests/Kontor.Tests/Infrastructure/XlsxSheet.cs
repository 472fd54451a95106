using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kontor.Tests.Infrastructure;

/// <summary>The one sheet of an exported XLSX read back as rows of cell texts (inline strings, or the number as stored), for assertions.</summary>
public static class XlsxSheet
{
    public static List<List<string?>> Rows(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        using var document = SpreadsheetDocument.Open(stream, false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InlineString?.Text?.Text ?? Number(c.CellValue?.Text)).ToList()).ToList();
    }

    /// <summary>A numeric cell as the decimal it holds, without trailing zeros: PostgreSQL hands back 123.000000 where SQLite gives 123.</summary>
    private static string? Number(string? text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value.ToString("0.############", System.Globalization.CultureInfo.InvariantCulture)
            : text;

    /// <summary>The row whose cell <paramref name="column"/> is <paramref name="text"/>, exactly one.</summary>
    public static List<string?> RowWith(this List<List<string?>> rows, int column, string text) =>
        rows.Single(r => r.Count > column && r[column] == text);

    public static async Task<byte[]> DownloadAsync(this HttpClient client, string url, string mediaType)
    {
        using var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return bytes;
    }
}
