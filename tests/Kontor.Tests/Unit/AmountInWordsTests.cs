using Kontor.Common;
using Kontor.Documents;

namespace Kontor.Tests.Unit;

/// <summary>Amounts in words with the grammatical forms written out by hand (PL: 1 złoty / 2–4 złote / 5+ złotych, 12–14 złotych; RU: 1 рубль / 2–4 рубля / 5+ рублей, 11–14 рублей, feminine тысяча).</summary>
public sealed class AmountInWordsTests
{
    [Theory]
    [InlineData("0", "zero złotych 00/100")]
    [InlineData("0.01", "zero złotych 01/100")]
    [InlineData("1", "jeden złoty 00/100")]
    [InlineData("2", "dwa złote 00/100")]
    [InlineData("4.99", "cztery złote 99/100")]
    [InlineData("5", "pięć złotych 00/100")]
    [InlineData("11", "jedenaście złotych 00/100")]
    [InlineData("12", "dwanaście złotych 00/100")]
    [InlineData("14", "czternaście złotych 00/100")]
    [InlineData("21", "dwadzieścia jeden złotych 00/100")]
    [InlineData("22", "dwadzieścia dwa złote 00/100")]
    [InlineData("24", "dwadzieścia cztery złote 00/100")]
    [InlineData("104", "sto cztery złote 00/100")]
    [InlineData("112", "sto dwanaście złotych 00/100")]
    [InlineData("300", "trzysta złotych 00/100")]
    [InlineData("369.10", "trzysta sześćdziesiąt dziewięć złotych 10/100")]
    [InlineData("1000", "tysiąc złotych 00/100")]
    [InlineData("1001.50", "tysiąc jeden złotych 50/100")]
    [InlineData("2000", "dwa tysiące złotych 00/100")]
    [InlineData("3144.87", "trzy tysiące sto czterdzieści cztery złote 87/100")]
    [InlineData("5000", "pięć tysięcy złotych 00/100")]
    [InlineData("12000", "dwanaście tysięcy złotych 00/100")]
    [InlineData("15000", "piętnaście tysięcy złotych 00/100")]
    [InlineData("22000", "dwadzieścia dwa tysiące złotych 00/100")]
    [InlineData("1234567.89", "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100")]
    [InlineData("2000000", "dwa miliony złotych 00/100")]
    [InlineData("5000000", "pięć milionów złotych 00/100")]
    [InlineData("1000000000", "miliard złotych 00/100")]
    [InlineData("1000000000000", "bilion złotych 00/100")]
    [InlineData("10.005", "dziesięć złotych 01/100")] // half a grosz rounds away from zero
    [InlineData("-300", "minus trzysta złotych 00/100")]
    public void Polish_zloty(string amount, string expected) =>
        Assert.Equal(expected, AmountInWords.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "PLN", DocumentLanguage.Pl));

    [Theory]
    [InlineData("0.05", "ноль рублей 05 копеек")]
    [InlineData("1", "один рубль 00 копеек")]
    [InlineData("1.21", "один рубль 21 копейка")]
    [InlineData("2", "два рубля 00 копеек")]
    [InlineData("5", "пять рублей 00 копеек")]
    [InlineData("11", "одиннадцать рублей 00 копеек")]
    [InlineData("14.02", "четырнадцать рублей 02 копейки")]
    [InlineData("21", "двадцать один рубль 00 копеек")]
    [InlineData("22.01", "двадцать два рубля 01 копейка")]
    [InlineData("41.11", "сорок один рубль 11 копеек")]
    [InlineData("300", "триста рублей 00 копеек")]
    [InlineData("1000", "одна тысяча рублей 00 копеек")]
    [InlineData("2000", "две тысячи рублей 00 копеек")]
    [InlineData("5000", "пять тысяч рублей 00 копеек")]
    [InlineData("11000", "одиннадцать тысяч рублей 00 копеек")]
    [InlineData("21000", "двадцать одна тысяча рублей 00 копеек")]
    [InlineData("112000", "сто двенадцать тысяч рублей 00 копеек")]
    [InlineData("1000000", "один миллион рублей 00 копеек")]
    [InlineData("3000000", "три миллиона рублей 00 копеек")]
    [InlineData("1234567.22", "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 22 копейки")]
    public void Russian_rouble(string amount, string expected) =>
        Assert.Equal(expected, AmountInWords.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), "RUB", DocumentLanguage.Ru));

    [Theory]
    [InlineData("0", "PLN", "zero PLN 00/100")]
    [InlineData("21", "USD", "twenty-one USD 00/100")]
    [InlineData("115", "PLN", "one hundred fifteen PLN 00/100")]
    [InlineData("300", "PLN", "three hundred PLN 00/100")]
    [InlineData("1234.56", "EUR", "one thousand two hundred thirty-four EUR 56/100")]
    [InlineData("1000000", "PLN", "one million PLN 00/100")]
    [InlineData("3144.87", "PLN", "three thousand one hundred forty-four PLN 87/100")]
    [InlineData("1500", "JPY", "one thousand five hundred JPY")] // no minor units
    [InlineData("1.005", "KWD", "one KWD 005/1000")]            // three minor digits
    public void English_any_currency(string amount, string currency, string expected) =>
        Assert.Equal(expected, AmountInWords.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency, DocumentLanguage.En));

    [Theory]
    [InlineData("1234.50", "EUR", DocumentLanguage.Pl, "tysiąc dwieście trzydzieści cztery EUR 50/100")]
    [InlineData("2", "RUB", DocumentLanguage.Pl, "dwa RUB 00/100")]
    [InlineData("300", "PLN", DocumentLanguage.Ru, "триста PLN 00/100")]
    [InlineData("21", "EUR", DocumentLanguage.Ru, "двадцать один EUR 00/100")]
    [InlineData("1000", "PLN", DocumentLanguage.Ru, "одна тысяча PLN 00/100")]
    public void Other_currencies_are_the_number_in_words_with_the_iso_code(string amount, string currency, DocumentLanguage language, string expected) =>
        Assert.Equal(expected, AmountInWords.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency, language));
}

public sealed class DocumentRulesTests
{
    [Theory]
    [InlineData("15000.00", "PLN", TaxIdKind.Nip, "5260250274", true)]
    [InlineData("14999.99", "PLN", TaxIdKind.Nip, "5260250274", false)]
    [InlineData("250000", "PLN", TaxIdKind.Pesel, "44051401359", false)] // a consumer
    [InlineData("250000", "PLN", TaxIdKind.None, null, false)]
    [InlineData("250000", "EUR", TaxIdKind.Nip, "5260250274", false)]   // not converted to PLN yet
    public void Split_payment_is_marked_for_business_buyers_from_15000_pln(string gross, string currency, TaxIdKind kind, string? taxId, bool expected) =>
        Assert.Equal(expected, InvoiceAnnotations.RequiresSplitPayment(decimal.Parse(gross, System.Globalization.CultureInfo.InvariantCulture), currency, kind, taxId));

    [Fact]
    public void Reverse_charge_when_any_line_uses_oo() =>
        Assert.True(InvoiceAnnotations.IsReverseCharge([Kontor.Catalog.VatRateKind.Percentage, Kontor.Catalog.VatRateKind.ReverseCharge]));

    [Fact]
    public void No_reverse_charge_for_exempt_and_out_of_scope_lines() =>
        Assert.False(InvoiceAnnotations.IsReverseCharge([Kontor.Catalog.VatRateKind.Exempt, Kontor.Catalog.VatRateKind.OutOfScope, Kontor.Catalog.VatRateKind.Percentage]));

    [Theory]
    [InlineData("PL61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("pl61 1090 1014 0000 0712 1981 2874", "PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("DE89370400440532013000", "DE89 3704 0044 0532 0130 00")]
    public void Bank_accounts_print_in_groups_of_four(string account, string expected) =>
        Assert.Equal(expected, InvoicePdfRenderer.FormatAccount(account));

    [Theory]
    [InlineData(null, DocumentLanguage.Pl)]
    [InlineData("", DocumentLanguage.Pl)]
    [InlineData("pl", DocumentLanguage.Pl)]
    [InlineData("EN", DocumentLanguage.En)]
    [InlineData(" ru ", DocumentLanguage.Ru)]
    public void Document_language_codes(string? code, DocumentLanguage expected) => Assert.Equal(expected, DocumentLanguages.Parse(code));

    [Fact]
    public void Unknown_document_language_is_a_field_error()
    {
        var error = Assert.Throws<ValidationException>(() => DocumentLanguages.Parse("de"));
        Assert.Contains("language", error.Errors.Keys);
    }

    [Theory]
    [InlineData(DocumentLanguage.Pl, "1 234 567,89")]
    [InlineData(DocumentLanguage.Ru, "1 234 567,89")]
    [InlineData(DocumentLanguage.En, "1,234,567.89")]
    public void Number_format_per_document_language(DocumentLanguage language, string expected) =>
        Assert.Equal(expected, 1234567.891m.ToString("#,##0.00", language.NumberFormat()));
}
