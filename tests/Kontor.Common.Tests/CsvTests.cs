using System.Text;

namespace Kontor.Common.Tests;

public sealed class CsvTests
{
    [Theory]
    [InlineData("Spółka z o.o.", "Spółka z o.o.")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(null, "")]
    // Formulas are defused with an apostrophe (CSV injection) ...
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3+cmd", "'-2+3+cmd")]
    [InlineData("'=1", "''=1")]   // a value starting with the mark itself keeps it
    [InlineData("\tTAB", "'\tTAB")]
    // ... a phone number too (Excel computes "+48-600-100-200" to -852) ...
    [InlineData("+48-600-100-200", "'+48-600-100-200")]
    [InlineData("+48 600 100 200", "'+48 600 100 200")]
    [InlineData("-1-1", "'-1-1")]
    // ... while plain signed numbers stay values.
    [InlineData("-1234,50", "-1234,50")]
    [InlineData("-100.00", "-100.00")]
    [InlineData("+15", "+15")]
    public void A_field_is_quoted_when_needed_and_never_a_formula_and_reads_back_as_it_was(string? value, string written)
    {
        Assert.Equal(written, Csv.Field(value));
        // Behind a first ";" field, so the reader takes ";" as the separator even for "-1234,50".
        Assert.Equal(value ?? "", Csv.Unquoted(Csv.Read(";" + written + "\r\n").Single().Fields[1]));
    }

    [Theory]
    [InlineData("'quoted on purpose", "'quoted on purpose")]   // an apostrophe Kontor did not add stays
    [InlineData("'", "'")]
    [InlineData("''=1", "'=1")]   // what Field wrote for the text "'=1"
    public void Only_the_apostrophe_before_a_would_be_formula_is_taken_off(string field, string value) =>
        Assert.Equal(value, Csv.Unquoted(field));

    [Fact]
    public void Written_rows_read_back_as_the_same_fields_and_the_file_starts_with_a_BOM_unless_it_is_for_programs()
    {
        string?[][] rows = [["Nazwa", "Miasto", "Uwagi"], ["\"Kwiaciarnia\" Łąka; s.c.", "Łódź", "line one\r\nline two"], ["Почта", "", "=1+1"]];
        var output = new StringBuilder();
        foreach (var row in rows) Csv.WriteRow(output, row);

        var bytes = Csv.Encode(output);

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var read = Csv.Read(Csv.Decode(bytes)).Select(r => r.Fields.ToArray()).ToList();
        Assert.Equal([
            ["Nazwa", "Miasto", "Uwagi"],
            ["\"Kwiaciarnia\" Łąka; s.c.", "Łódź", "line one\r\nline two"],
            ["Почта", "", "'=1+1"],
        ], read);
        Assert.Equal([1, 2, 4], Csv.Read(Csv.Decode(bytes)).Select(r => r.Line));   // the quoted line break makes row 3 start on line 4
        Assert.Equal(bytes[3..], Csv.Encode(output, byteOrderMark: false));
    }
}
