using System.Globalization;
using System.Text;
using Kontor.Common;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kontor.Reports;

public enum ColumnKind { Text, Date, Amount, Integer }

public sealed record ReportColumn(string Title, ColumnKind Kind);

/// <summary>A report flattened to a table for export: a title block (lines of text), column headings, rows. Cells are string, DateOnly, decimal, int or null.</summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Heading, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// CSV and XLSX of a <see cref="ReportTable"/> (docs/reports.md "Export"). CSV is written for Polish Excel, which is
/// what the accountants who get it open it with: UTF-8 with a BOM (so Excel does not read it as Windows-1250), ';' as
/// the separator and a decimal comma (Excel with Polish settings takes "1234,56" as a number and "1234.56" as text),
/// no thousands separator, dates yyyy-MM-dd. Amounts are written exactly as stored (two decimals), never through a
/// binary floating point. XLSX cells are real numbers and dates with a number format, so the locale does not matter.
/// </summary>
public static class ReportExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly CultureInfo Polish = CultureInfo.GetCultureInfo("pl-PL");

    public static byte[] ToCsv(ReportTable table)
    {
        var text = new StringBuilder();
        foreach (var line in table.Heading) Csv.WriteRow(text, [line]);
        if (table.Heading.Count > 0) text.Append("\r\n");
        Csv.WriteRow(text, table.Columns.Select(c => c.Title));
        foreach (var row in table.Rows) Csv.WriteRow(text, row.Select(CsvCell));
        return Csv.Encode(text);
    }

    private static string? CsvCell(object? value) => value switch
    {
        decimal d => d.ToString("0.00##", Polish),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    };

    public static byte[] ToXlsx(ReportTable table)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint rowIndex = 0;
            foreach (var line in table.Heading)
                data.Append(Row(++rowIndex, [Text(line, StyleBold)]));
            if (table.Heading.Count > 0) rowIndex++;
            data.Append(Row(++rowIndex, table.Columns.Select(c => Text(c.Title, StyleBold))));
            foreach (var values in table.Rows)
                data.Append(Row(++rowIndex, values.Select(XlsxCell)));
            var columns = new Columns(table.Columns.Select((c, i) => new Column
            {
                Min = (uint)i + 1, Max = (uint)i + 1, CustomWidth = true,
                Width = c.Kind switch { ColumnKind.Text => 40, ColumnKind.Date => 12, _ => 16 },
            }));
            sheetPart.Worksheet = new Worksheet(columns, data);
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = 1, Name = SheetName(table.Name) });
            workbookPart.Workbook.Save();
        }
        return stream.ToArray();
    }

    private const uint StyleBold = 1, StyleAmount = 2, StyleDate = 3;

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },   // built-in #,##0.00
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }) { Count = 4 });

    private static Row Row(uint index, IEnumerable<Cell> cells)
    {
        var row = new Row { RowIndex = index };
        var column = 0;
        foreach (var cell in cells)
        {
            cell.CellReference = ColumnName(column++) + index.ToString(CultureInfo.InvariantCulture);
            row.Append(cell);
        }
        return row;
    }

    private static Cell XlsxCell(object? value) => value switch
    {
        null => new Cell(),
        decimal d => new Cell { DataType = CellValues.Number, CellValue = new CellValue(d.ToString(CultureInfo.InvariantCulture)), StyleIndex = StyleAmount },
        int i => new Cell { DataType = CellValues.Number, CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture)) },
        // Excel's serial date: days since 1899-12-30.
        DateOnly date => new Cell { CellValue = new CellValue((date.DayNumber - new DateOnly(1899, 12, 30).DayNumber).ToString(CultureInfo.InvariantCulture)), StyleIndex = StyleDate },
        _ => Text(value.ToString() ?? "", 0),
    };

    private static Cell Text(string text, uint style) =>
        new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve }), StyleIndex = style };

    private static string ColumnName(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    /// <summary>Excel: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Select(c => ":\\/?*[]".Contains(c) ? '-' : c).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }
}
