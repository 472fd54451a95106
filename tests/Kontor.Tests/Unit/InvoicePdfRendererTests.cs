using Kontor.Catalog;
using Kontor.Common;
using Kontor.Documents;
using Kontor.Sales;
using Kontor.Tests.Integration;

namespace Kontor.Tests.Unit;

/// <summary>The renderer alone, on a hand-built invoice: layout facts that do not need a database.</summary>
public sealed class InvoicePdfRendererTests
{
    private static readonly PrintedParty Seller = new("Kontor Demo Sp. z o.o.", TaxIdKind.None, "5260250274", "ul. Marszałkowska 142", "00-061", "Warszawa", "PL", "PL61109010140000071219812874");
    private static readonly PrintedParty Buyer = new("Zakład „Żółć” ąćęłńóśźż Sp. z o.o.", TaxIdKind.Nip, "5213000001", "ul. Świętokrzyska 11/13", "00-360", "Warszawa", "PL", null);

    /// <summary>
    /// Hand-computed: 2 × 1 234,50 at 23 % = 2 469,00 net, 567,87 VAT; 3 × 120,00 −10 % = 324,00 at 8 %, 25,92 VAT;
    /// 1 × 500,00 exempt. Net 3 293,00, VAT 593,79, gross 3 886,79.
    /// </summary>
    public static InvoicePrint Sample(bool draft = false, int extraLines = 0) => new(
        IsDraft: draft, Number: draft ? null : "FV/2026/03/7",
        IssueDate: draft ? null : new DateOnly(2026, 3, 20), SaleDate: draft ? null : new DateOnly(2026, 3, 18), DueDate: draft ? null : new DateOnly(2026, 4, 3),
        PaymentTermDays: 14, Currency: "PLN", PricingMode: PricingMode.Net, Seller: Seller, Buyer: Buyer,
        Lines:
        [
            new(1, "Wdrożenie systemu Kontor — konfiguracja, migracja danych i szkolenie zespołu księgowego", "usł.", 2, 1234.50m, 0, "23", VatRateKind.Percentage, 23, 2469.00m, 567.87m, 3036.87m),
            new(2, "Papier ksero A4 80 g/m² (karton 5 ryz)", "kart.", 3, 120.00m, 10, "8", VatRateKind.Percentage, 8, 324.00m, 25.92m, 349.92m),
            new(3, "Szkolenie z zakresu prawa podatkowego", "usł.", 1, 500.00m, 0, "zw", VatRateKind.Exempt, 0, 500.00m, 0m, 500.00m),
            .. Enumerable.Range(4, extraLines).Select(i => new PrintedLine(i, $"Pozycja dodatkowa {i}", "szt.", 1, 0m, 0, "23", VatRateKind.Percentage, 23, 0m, 0m, 0m)),
        ],
        VatRows:
        [
            new("23", VatRateKind.Percentage, 23, 2469.00m, 567.87m, 3036.87m),
            new("8", VatRateKind.Percentage, 8, 324.00m, 25.92m, 349.92m),
            new("zw", VatRateKind.Exempt, 0, 500.00m, 0m, 500.00m),
        ],
        TotalNet: 3293.00m, TotalVat: 593.79m, TotalGross: 3886.79m,
        Notes: "Zamówienie nr ZAM/2026/112. Dziękujemy za współpracę!", SplitPayment: false, ReverseCharge: false);

    [Theory]
    [InlineData(DocumentLanguage.Pl)]
    [InlineData(DocumentLanguage.En)]
    [InlineData(DocumentLanguage.Ru)]
    public void Renders_every_legally_required_field(DocumentLanguage language)
    {
        var pdf = InvoicePdfRenderer.Render(Sample(), language);
        // Kept for a look with pdftoppm (docs/screenshots are made from these).
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"kontor-invoice-sample-{language.Code()}.pdf"), pdf);

        var text = PdfText.All(pdf);
        var (title, total, vat23, inWords, issue, sale, due) = language switch
        {
            DocumentLanguage.En => ("VAT invoice", "3,886.79", "567.87", "three thousand eight hundred eighty-six PLN 79/100", "2026-03-20", "2026-03-18", "2026-04-03"),
            DocumentLanguage.Ru => ("Счёт-фактура", "3 886,79", "567,87", "три тысячи восемьсот восемьдесят шесть PLN 79/100", "20.03.2026", "18.03.2026", "03.04.2026"),
            _ => ("Faktura VAT", "3 886,79", "567,87", "trzy tysiące osiemset osiemdziesiąt sześć złotych 79/100", "20.03.2026", "18.03.2026", "03.04.2026"),
        };
        Assert.Contains(title, text);
        Assert.Contains("FV/2026/03/7", text);
        Assert.Contains("5260250274", text);
        Assert.Contains("5213000001", text);
        Assert.Contains("Zakład „Żółć” ąćęłńóśźż Sp. z o.o.", text);
        Assert.Contains(total, text);
        Assert.Contains(vat23, text);
        Assert.Contains(inWords, text);
        Assert.Contains(issue, text);
        Assert.Contains(sale, text);
        Assert.Contains(due, text);
        Assert.Contains("PL61 1090 1014 0000 0712 1981 2874", text);
        Assert.Contains("zw", text);
        Assert.DoesNotContain("mechanizm podzielonej płatności", text);
        Assert.DoesNotContain("odwrotne obciążenie", text);
    }

    [Fact]
    public void A_draft_is_watermarked_and_unnumbered()
    {
        var pdf = InvoicePdfRenderer.Render(Sample(draft: true), DocumentLanguage.Ru);
        var text = PdfText.All(pdf);
        Assert.Equal(["ЧЕРНОВИК"], PdfText.RotatedText(pdf));
        Assert.Contains("Черновик — рабочий документ", text);
        Assert.Contains("без номера", text);
        Assert.DoesNotContain("FV/", text);
    }

    [Fact]
    public void Long_invoices_repeat_the_table_header_and_number_the_pages()
    {
        var pages = PdfText.Pages(InvoicePdfRenderer.Render(Sample(extraLines: 117), DocumentLanguage.Pl));

        Assert.True(pages.Count >= 3, $"120 lines on {pages.Count} page(s)");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Strona {i + 1}/{pages.Count}", pages[i]);
            if (i < pages.Count - 1) Assert.Contains("Lp.", pages[i]); // the table header on every page the table reaches
        }
        Assert.Contains("Pozycja dodatkowa 120", string.Join("\n", pages));
        Assert.Contains("Do zapłaty", pages[^1]);
    }

    [Fact]
    public void Embedded_fonts_are_subset_so_an_invoice_stays_small()
    {
        // The two DejaVu faces weigh ~1.4 MB whole; only the glyphs in use may travel with each invoice.
        var pdf = InvoicePdfRenderer.Render(Sample(), DocumentLanguage.Ru);

        Assert.InRange(pdf.Length, 10_000, 200_000);
    }

    [Fact]
    public void Statutory_annotations_when_they_apply()
    {
        var text = PdfText.All(InvoicePdfRenderer.Render(Sample() with { SplitPayment = true, ReverseCharge = true }, DocumentLanguage.En));
        Assert.Contains("mechanizm podzielonej płatności", text);
        Assert.Contains("odwrotne obciążenie", text);
    }

    [Fact]
    public void Renders_in_parallel_with_one_font_setup()
    {
        var results = Enumerable.Range(0, 8).AsParallel().Select(_ => InvoicePdfRenderer.Render(Sample(), DocumentLanguage.Pl)).ToList();
        Assert.All(results, pdf => Assert.Contains("3 886,79", PdfText.All(pdf)));
    }
}
