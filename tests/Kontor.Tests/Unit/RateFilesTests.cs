using System.Text;
using Kontor.Common;
using Kontor.Currencies;

namespace Kontor.Tests.Unit;

/// <summary>Reading the banks' files; expected values are copied from the sample files and divided by hand.</summary>
public sealed class RateFilesTests
{
    static RateFilesTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // to write windows-1251 samples

    private static byte[] TestFile(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", name));

    [Fact]
    public void Nbp_list_of_tables_gives_every_rate_with_its_table_and_date()
    {
        var rates = RateFiles.ParseNbp(TestFile("nbp-a-2026-11-06_2026-11-12.json"));

        Assert.Equal(4 * 12, rates.Count);
        Assert.Equal(["217/A/NBP/2026", "218/A/NBP/2026", "219/A/NBP/2026", "220/A/NBP/2026"], rates.Select(r => r.TableNumber).Distinct());
        Assert.Equal([new DateOnly(2026, 11, 6), new(2026, 11, 9), new(2026, 11, 10), new(2026, 11, 12)], rates.Select(r => r.EffectiveDate).Distinct());
        var eur = rates.Single(r => r.CurrencyCode == "EUR" && r.EffectiveDate == new DateOnly(2026, 11, 6));
        Assert.Equal(new PublishedRate(RateSource.Nbp, "217/A/NBP/2026", new DateOnly(2026, 11, 6), "EUR", "euro", "PLN", 1, 4.2451m), eur);
        // The API's mid is already per 1 unit; eight decimals for the rupiah must survive.
        Assert.Equal(0.00022518m, rates.Single(r => r.CurrencyCode == "IDR" && r.EffectiveDate == new DateOnly(2026, 11, 9)).Rate);
        Assert.Equal("forint (Węgry)", rates.First(r => r.CurrencyCode == "HUF").CurrencyName);
    }

    [Fact]
    public void Nbp_single_table_object_is_accepted()
    {
        var rates = RateFiles.ParseNbp(TestFile("nbp-a-2026-11-13.json"));

        Assert.Equal(12, rates.Count);
        Assert.All(rates, r => Assert.Equal(("221/A/NBP/2026", new DateOnly(2026, 11, 13)), (r.TableNumber, r.EffectiveDate)));
        Assert.Equal(3.6921m, rates.Single(r => r.CurrencyCode == "USD").Rate);
    }

    public static TheoryData<string, int, decimal, decimal> CbrRates() => new()
    {
        // code, Nominal, Value as printed, rate per unit = Value / Nominal worked out by hand
        { "USD", 1, 81.0542m, 81.0542m },
        { "JPY", 100, 52.3456m, 0.523456m },
        { "KZT", 100, 15.6789m, 0.156789m },
        { "IDR", 10000, 48.1234m, 0.00481234m },
    };

    [Theory]
    [MemberData(nameof(CbrRates))]
    public void Cbr_rate_per_unit_is_the_value_divided_by_the_nominal(string code, int nominal, decimal printed, decimal perUnit)
    {
        var rate = RateFiles.ParseCbr(TestFile("cbr-xml-daily-2026-11-21.xml")).Single(r => r.CurrencyCode == code);

        Assert.Equal(nominal, rate.Nominal);
        Assert.Equal(perUnit, rate.Rate);
        Assert.Equal(printed, rate.Rate * rate.Nominal);
        Assert.Equal(("RUB", new DateOnly(2026, 11, 21), "CBR 21.11.2026"), (rate.BaseCurrency, rate.EffectiveDate, rate.TableNumber));
    }

    [Fact]
    public void Cbr_names_in_windows_1251_are_decoded()
    {
        var bytes = TestFile("cbr-xml-daily-2026-11-21.xml");
        // The sample really is windows-1251: "Я" is the single byte 0xDF there, not a UTF-8 pair.
        Assert.Contains((byte)0xDF, bytes);

        var rates = RateFiles.ParseCbr(bytes);

        Assert.Equal("Японских иен", rates.Single(r => r.CurrencyCode == "JPY").CurrencyName);
        Assert.Equal("Индонезийских рупий", rates.Single(r => r.CurrencyCode == "IDR").CurrencyName);
        Assert.Equal("Доллар США", rates.Single(r => r.CurrencyCode == "USD").CurrencyName);
        Assert.Equal(8, rates.Count);
    }

    [Fact]
    public void Cbr_file_saved_as_utf8_with_its_declaration_reads_the_same()
    {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <ValCurs Date="24.11.2026" name="Foreign Currency Market"><Valute ID="R01820"><NumCode>392</NumCode><CharCode>JPY</CharCode><Nominal>100</Nominal><Name>Японских иен</Name><Value>52,4012</Value></Valute></ValCurs>
            """;

        var rate = Assert.Single(RateFiles.ParseCbr(Encoding.UTF8.GetBytes(xml)));

        Assert.Equal(("Японских иен", 0.524012m), (rate.CurrencyName, rate.Rate));
    }

    private const string NbpOk = """{"table":"A","no":"1/A/NBP/2026","effectiveDate":"2026-01-02","rates":[{"currency":"euro","code":"EUR","mid":4.2100}]}""";
    private const string CbrHead = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<ValCurs Date=\"21.11.2026\" name=\"Foreign Currency Market\">\n";

    public static TheoryData<string, RateSource, string, string, string> BadFiles() => new()
    {
        // name, source, content, field, a fragment the message must contain
        { "truncated JSON", RateSource.Nbp, """[{"table":"A","no":""", RateFiles.FileField, "line 1" },
        { "JSON on line 3 broken", RateSource.Nbp, "[\n{\"table\":\"A\",\n\"no\": x}]", RateFiles.FileField, "line 3" },
        { "empty file", RateSource.Nbp, "  \n", RateFiles.FileField, "empty" },
        { "a JSON number", RateSource.Nbp, "42", RateFiles.FileField, "found a number" },
        { "an empty list", RateSource.Nbp, "[]", RateFiles.FileField, "empty list" },
        { "table C", RateSource.Nbp, NbpOk.Replace("\"A\"", "\"C\""), "table", "table 'C'" },
        { "mid as text", RateSource.Nbp, NbpOk.Replace("4.2100", "\"4,21\""), "rates[0].mid", "found a text" },
        { "mid negative", RateSource.Nbp, NbpOk.Replace("4.2100", "-4.21"), "rates[0].mid", "positive" },
        { "no mid", RateSource.Nbp, NbpOk.Replace(",\"mid\":4.2100", ""), "rates[0].mid", "number is required" },
        { "bad date", RateSource.Nbp, NbpOk.Replace("2026-01-02", "02.01.2026"), "effectiveDate", "'02.01.2026'" },
        { "bad currency code", RateSource.Nbp, NbpOk.Replace("\"EUR\"", "\"EURO\""), "rates[0].code", "'EURO'" },
        { "second table broken", RateSource.Nbp, $"[{NbpOk},{NbpOk.Replace("4.2100", "null").Replace("01-02", "01-05")}]", "[1].rates[0].mid", "found null" },
        { "the same table twice", RateSource.Nbp, $"[{NbpOk},{NbpOk}]", RateFiles.FileField, "EUR on 2026-01-02 appears 2 times" },
        { "unclosed XML element", RateSource.Cbr, CbrHead + "<Valute ID=\"R01235\"><CharCode>USD</CharCode>\n</ValCurs>", RateFiles.FileField, "line 4" },
        { "not the CBR's root", RateSource.Cbr, "<?xml version=\"1.0\"?><Rates/>", RateFiles.FileField, "<ValCurs>" },
        { "value with letters", RateSource.Cbr, CbrHead + "<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Name>Доллар США</Name><Value>81,05x</Value></Valute>\n</ValCurs>", "Valute[0].Value", "line 3" },
        { "nominal zero", RateSource.Cbr, CbrHead + "<Valute><CharCode>JPY</CharCode><Nominal>0</Nominal><Name>Иен</Name><Value>52,3456</Value></Valute>\n</ValCurs>", "Valute[0].Nominal", "'0'" },
        { "missing char code", RateSource.Cbr, CbrHead + "<Valute><Nominal>1</Nominal><Name>?</Name><Value>1,0</Value></Valute>\n</ValCurs>", "Valute[0].CharCode", "required" },
        { "date in ISO form", RateSource.Cbr, CbrHead.Replace("21.11.2026", "2026-11-21") + "<Valute><CharCode>USD</CharCode><Nominal>1</Nominal><Name>x</Name><Value>81,0542</Value></Valute>\n</ValCurs>", "ValCurs.Date", "dd.MM.yyyy" },
        { "no rates", RateSource.Cbr, CbrHead + "</ValCurs>", RateFiles.FileField, "no <Valute>" },
        { "manual is not a file format", RateSource.Manual, "{}", "source", "nbp or cbr" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_is_refused_naming_where(string name, RateSource source, string content, string field, string fragment)
    {
        var bytes = source == RateSource.Cbr ? Encoding.GetEncoding(1251).GetBytes(content) : Encoding.UTF8.GetBytes(content);

        var ex = Assert.Throws<ValidationException>(() => RateFiles.Parse(source, bytes));

        Assert.True(ex.Errors.ContainsKey(field), $"{name}: expected an error on '{field}', got {ex.Message}");
        Assert.Contains(fragment, string.Join(" ", ex.Errors[field]));
    }

    [Theory]
    [InlineData("1000.00", "4.2415", "4241.50")] // 1000 × 4.2415
    [InlineData("230.00", "4.2415", "975.55")]   // 230 × 4.2415 = 975.545 → half away from zero
    [InlineData("-230.00", "4.2415", "-975.55")] // a correction: the same rounding on the negative side
    [InlineData("12345.67", "0.024115", "297.72")] // 12345.67 JPY-style amount × 0.024115 = 297.7158… → 297.72
    public void Amount_in_base_currency_is_rounded_to_grosz_half_away_from_zero(string amount, string rate, string expected)
    {
        var applied = new AppliedRate(RateSource.Nbp, "EUR", "PLN", decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), 1,
            "219/A/NBP/2026", new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 12));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            applied.ToBase(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("4.2451", "4.2451")]
    [InlineData("4.5500", "4.5500")]
    [InlineData("0.00022561", "0.00022561")]
    [InlineData("81.054200", "81.0542")]
    public void Rates_print_with_at_least_four_decimals(string rate, string printed) =>
        Assert.Equal(printed, ExchangeRates.Format(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)));
}
