using Kontor.Catalog;
using Kontor.Common;
using Kontor.Documents;
using Kontor.Orders;
using Kontor.Sales;
using Kontor.Tests.Integration;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Kontor.Tests.Unit;

/// <summary>
/// The renderer on hand-built offers, orders and a correction with the company's branding (logo, footer, accent).
/// The Polish offer and correction are kept in the temp folder: docs/screenshots/{offer,correction}-pdf-pl.png are
/// rasterised from them (docs/pdf.md, "Screenshots").
/// </summary>
public sealed class SalesDocumentPdfRendererTests
{
    private static readonly PrintedParty Seller = new("Kontor Demo Sp. z o.o.", TaxIdKind.None, "5260250274", "ul. Marszałkowska 142", "00-061", "Warszawa", "PL", "PL61109010140000071219812874");
    private static readonly PrintedParty Buyer = new("Zakład „Żółć” ąćęłńóśźż Sp. z o.o.", TaxIdKind.Nip, "5213000001", "ul. Świętokrzyska 11/13", "00-360", "Warszawa", "PL", null);

    /// <summary>A wordmark-like logo drawn with the document font: "Kontor" in white on a blue bar, 3:1.</summary>
    public static byte[] Logo()
    {
        using var bitmap = new SKBitmap(360, 120);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var fill = new SKPaint { Color = new SKColor(138, 28, 28), IsAntialias = true };
            canvas.DrawRoundRect(new SKRect(0, 10, 360, 110), 18, 18, fill);
            using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
            using var font = DocumentFonts.Create(DocumentFonts.Get(true), 64);
            canvas.DrawText("Kontor", 180, 84, SKTextAlign.Center, font, ink);
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static readonly DocumentBranding Branding = new(Logo(),
        "Kontor Demo Sp. z o.o. · Sąd Rejonowy dla m.st. Warszawy, KRS 0000123456 · kapitał zakładowy 50 000 zł", "#8A1C1C");

    /// <summary>
    /// The invoice sample's lines as an offer: 2 × 1 234,50 at 23 % (2 469,00 + 567,87), 3 × 120,00 −10 % at 8 %
    /// (324,00 + 25,92), 1 × 500,00 exempt. Net 3 293,00, VAT 593,79, gross 3 886,79.
    /// </summary>
    private static InvoicePrint Offer(bool draft = false) => InvoicePdfRendererTests.Sample() with
    {
        IsDraft = draft, Number = draft ? null : "OF/2026/03/4", IssueDate = null, SaleDate = null, DueDate = null,
        Notes = "Ceny obejmują dostawę i montaż. Termin realizacji: 3 tygodnie od zamówienia.",
        SalesDocument = new SalesDocumentPrint(SalesDocumentKind.Offer, draft ? null : new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 30), null),
    };

    private static int Images(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Sum(p => p.GetImages().Count());
    }

    [Theory]
    [InlineData(DocumentLanguage.Pl, "Oferta", "Ważna do: 30.03.2026", "Wartość oferty: 3 886,79 PLN")]
    [InlineData(DocumentLanguage.En, "Offer", "Valid until: 2026-03-30", "Offer value: 3,886.79 PLN")]
    [InlineData(DocumentLanguage.Ru, "Коммерческое предложение", "Действительно до: 30.03.2026", "Сумма предложения: 3 886,79 PLN")]
    public void An_offer_prints_its_title_validity_and_value_with_the_logo_and_footer(DocumentLanguage language, string title, string validity, string value)
    {
        // Annotations set on purpose: the renderer must not print invoice wording on an offer even if asked to.
        var pdf = InvoicePdfRenderer.Render(Offer() with { SplitPayment = true, ReverseCharge = true }, language, Branding);
        if (language == DocumentLanguage.Pl)
            File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "kontor-offer-sample-pl.pdf"), InvoicePdfRenderer.Render(Offer(), language, Branding));

        var text = PdfText.All(pdf);
        Assert.Contains(title, text);
        Assert.Contains("OF/2026/03/4", text);
        Assert.Contains(validity, text);
        Assert.Contains(value, text);
        Assert.Contains("5213000001", text);
        Assert.Contains("Zakład „Żółć” ąćęłńóśźż Sp. z o.o.", text);
        Assert.Contains("KRS 0000123456 · kapitał zakładowy 50 000 zł", text);
        Assert.DoesNotContain("mechanizm podzielonej płatności", text);
        Assert.DoesNotContain("odwrotne obciążenie", text);
        Assert.DoesNotContain("Faktura", text);
        Assert.Equal(1, Images(pdf));
    }

    [Fact]
    public void An_order_prints_its_date_and_status_in_each_language()
    {
        var order = InvoicePdfRendererTests.Sample() with
        {
            Number = "ZAM/2026/03/12", IssueDate = null, SaleDate = null, DueDate = null,
            SalesDocument = new SalesDocumentPrint(SalesDocumentKind.Order, new DateOnly(2026, 3, 18), null, OrderStatus.Shipped),
        };

        var polish = PdfText.All(InvoicePdfRenderer.Render(order, DocumentLanguage.Pl));
        var russian = PdfText.All(InvoicePdfRenderer.Render(order, DocumentLanguage.Ru));

        Assert.Contains("Zamówienie", polish);
        Assert.Contains("Data zamówienia: 18.03.2026", polish);
        Assert.Contains("Status: wysłane", polish);
        Assert.Contains("Wartość zamówienia: 3 886,79 PLN", polish);
        Assert.DoesNotContain("Data dostawy", polish);
        Assert.Contains("Заказ", russian);
        Assert.Contains("Статус: отгружен", russian);
        Assert.Contains("Сумма заказа: 3 886,79 PLN", russian);
    }

    [Fact]
    public void Without_branding_nothing_is_added_and_a_logo_that_no_longer_decodes_is_left_out()
    {
        Assert.Equal(0, Images(InvoicePdfRenderer.Render(Offer(), DocumentLanguage.Pl)));
        var broken = InvoicePdfRenderer.Render(Offer(), DocumentLanguage.Pl, new DocumentBranding([1, 2, 3], null, "not a colour"));
        Assert.Equal(0, Images(broken));
        Assert.Contains("Oferta", PdfText.All(broken));
    }

    /// <summary>
    /// A correction of the sample invoice FV/2026/03/7: line 2 goes from 3 to 2 cartons (3 × 120,00 −10 % = 324,00 →
    /// 2 × 120,00 −10 % = 216,00 at 8 %). Difference: 23 % 0,00; 8 % −108,00 net, −8,64 VAT, −116,64 gross.
    /// </summary>
    [Fact]
    public void A_correction_with_the_company_branding_prints_before_after_and_the_refund()
    {
        var invoice = InvoicePdfRendererTests.Sample();
        var before = invoice.Lines;
        var after = before.Select(l => l.Position == 2 ? l with { Quantity = 2, Net = 216.00m, Vat = 17.28m, Gross = 233.28m } : l).ToList();
        var correction = invoice with
        {
            Number = "KOR/2026/04/1", IssueDate = new DateOnly(2026, 4, 8), SaleDate = new DateOnly(2026, 3, 18), DueDate = new DateOnly(2026, 4, 22),
            Lines = after,
            VatRows =
            [
                new("23", VatRateKind.Percentage, 23, 0m, 0m, 0m),
                new("8", VatRateKind.Percentage, 8, -108.00m, -8.64m, -116.64m),
                new("zw", VatRateKind.Exempt, 0, 0m, 0m, 0m),
            ],
            TotalNet = -108.00m, TotalVat = -8.64m, TotalGross = -116.64m,
            Notes = "Zwrot jednego kartonu — uszkodzenie w transporcie.",
            Correction = new CorrectionPrint("FV/2026/03/7", new DateOnly(2026, 3, 20), "zwrot części towaru (1 karton uszkodzony)", before),
        };

        var pdf = InvoicePdfRenderer.Render(correction, DocumentLanguage.Pl, Branding);
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "kontor-correction-sample-pl.pdf"), pdf);

        var text = PdfText.All(pdf);
        Assert.Contains("Faktura korygująca", text);
        Assert.Contains("KOR/2026/04/1", text);
        Assert.Contains("Dotyczy faktury nr FV/2026/03/7 z dnia 20.03.2026", text);
        Assert.Contains("Przed korektą", text);
        Assert.Contains("Po korekcie", text);
        Assert.Contains("8% -108,00 -8,64 -116,64", text);
        Assert.Contains("Do zwrotu: 116,64 PLN", text);
        Assert.Contains("sto szesnaście złotych 64/100", text);
        Assert.Contains("KRS 0000123456", text);
        Assert.Equal(1, Images(pdf));
    }
}
