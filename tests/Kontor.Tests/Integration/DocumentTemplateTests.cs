using System.Net;
using System.Net.Http.Headers;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using SkiaSharp;
using UglyToad.PdfPig;

namespace Kontor.Tests.Integration;

/// <summary>The company logo and the per-document templates (settings), as they reach the PDFs.</summary>
public abstract class DocumentTemplateTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>A small real image, encoded by Skia: a blue square with a white bar.</summary>
    public static byte[] LogoImage(SKEncodedImageFormat format = SKEncodedImageFormat.Png, int width = 120, int height = 40)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(31, 78, 121));
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(10, height / 2f - 4, width - 20, 8, paint);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static async Task<(HttpStatusCode Status, string Body)> PutLogoAsync(HttpClient client, byte[] content, string contentType = "image/png")
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PutAsync("/api/settings/company/logo", body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<byte[]> PdfAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    private static int ImagesOnFirstPage(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPage(1).GetImages().Count();
    }

    [Fact]
    public async Task Uploaded_logo_is_printed_on_invoices_offers_and_orders_until_removed()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var partyId = (await admin.CreatePartyAsync("Logo Odbiorca Sp. z o.o.")).Id();
        var invoice = await admin.CreateAndIssueAsync(partyId, "100.00");
        var order = await admin.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Z", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        var png = LogoImage();

        var (status, body) = await PutLogoAsync(admin, png);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("\"width\":120", body);
        Assert.Contains("\"height\":40", body);
        Assert.Contains("image/png", body);
        using (var stored = await admin.GetAsync("/api/settings/company/logo"))
        {
            Assert.Equal("image/png", stored.Content.Headers.ContentType?.MediaType);
            Assert.Equal(png, await stored.Content.ReadAsByteArrayAsync());
        }
        Assert.Equal(1, ImagesOnFirstPage(await PdfAsync(admin, $"/api/invoices/{invoice.Id()}/pdf")));
        Assert.Equal(1, ImagesOnFirstPage(await PdfAsync(admin, $"/api/orders/{order.Id()}/pdf")));

        // A JPEG replaces it; removing it leaves the documents without an image.
        Assert.Equal(HttpStatusCode.OK, (await PutLogoAsync(admin, LogoImage(SKEncodedImageFormat.Jpeg), "image/jpeg")).Status);
        Assert.Equal("image/jpeg", (await admin.GetAsync("/api/settings/company/logo")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SendAsync(HttpMethod.Delete, "/api/settings/company/logo")).Status);
        Assert.Equal(0, ImagesOnFirstPage(await PdfAsync(admin, $"/api/invoices/{invoice.Id()}/pdf")));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, "/api/settings/company/logo")).Status);
    }

    [Fact]
    public async Task A_file_that_is_not_a_png_or_jpeg_or_too_large_is_400_naming_logo_and_only_admins_upload()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        var png = LogoImage();
        var truncated = png[..(png.Length / 2)];
        using var small = new SKBitmap(8, 8);
        var webp = small.Encode(SKEncodedImageFormat.Webp, 80).ToArray(); // a real image, but neither PNG nor JPEG
        var tooLarge = new byte[600 * 1024];
        png.CopyTo(tooLarge, 0);

        foreach (var (content, type) in new[] { ("this is not an image"u8.ToArray(), "image/png"), (truncated, "image/png"), (webp, "image/png"), (tooLarge, "image/png"), ([], "image/png") })
        {
            var (status, body) = await PutLogoAsync(admin, content, type);
            Assert.True(status == HttpStatusCode.BadRequest, $"{content.Length} bytes: {(int)status} {body}");
            Assert.Contains("\"logo\"", body);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(HttpMethod.Get, "/api/settings/company/logo")).Status); // nothing stored
        var sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutLogoAsync(sales, png)).Status);
    }

    [Fact]
    public async Task Templates_give_each_document_type_its_footer_and_default_notes_with_the_generic_one_as_fallback()
    {
        var admin = await app.ClientAsync(Roles.Admin);
        await admin.ExpectAsync(HttpMethod.Put, "/api/settings/document-templates/default",
            new { footerText = "Kontor Demo Sp. z o.o. · KRS 0000123456 · kapitał zakładowy 50 000 zł", defaultNotes = "Dziękujemy za zaufanie.", accentColor = "#8a1c1c" }, HttpStatusCode.OK);
        var invoiceTemplate = await admin.ExpectAsync(HttpMethod.Put, "/api/settings/document-templates/invoice",
            new { footerText = "Faktury prosimy opłacać na rachunek podany powyżej — Счёт оплачивается переводом" }, HttpStatusCode.OK);
        Assert.Equal("invoice", invoiceTemplate.Str("documentType"));

        var templates = (await admin.GetOkAsync("/api/settings/document-templates")).AsArray();
        Assert.Equal(["default", "invoice", "correction", "offer", "order"], templates.Select(t => t.Str("documentType")));
        Assert.Equal("#8A1C1C", templates[0].Str("accentColor"));
        Assert.Null(templates[2]!["footerText"]);

        var partyId = (await admin.CreatePartyAsync("Szablonowa Firma Sp. z o.o.")).Id();
        var invoice = await admin.CreateAndIssueAsync(partyId, "100.00");
        var offer = await admin.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[] { new { description = "Usługa", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });

        var invoiceText = PdfText.All(await PdfAsync(admin, $"/api/invoices/{invoice.Id()}/pdf?language=pl"));
        var offerText = PdfText.All(await PdfAsync(admin, $"/api/offers/{offer.Id()}/pdf?language=pl"));
        Assert.Contains("Faktury prosimy opłacać na rachunek podany powyżej — Счёт оплачивается переводом", invoiceText);
        Assert.DoesNotContain("KRS 0000123456", invoiceText); // the invoice's own footer replaces the generic one
        Assert.Contains("Kontor Demo Sp. z o.o. · KRS 0000123456 · kapitał zakładowy 50 000 zł", offerText); // the offer has none: the generic one

        var (badStatus, badBody, _) = await admin.SendAsync(HttpMethod.Put, "/api/settings/document-templates/offer", new { accentColor = "red", footerText = new string('x', 301) });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(badBody?["errors"]?["accentColor"]);
        Assert.NotNull(badBody?["errors"]?["footerText"]);
        var (typeStatus, typeBody, _) = await admin.SendAsync(HttpMethod.Put, "/api/settings/document-templates/receipt", new { footerText = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, typeStatus);
        Assert.NotNull(typeBody?["errors"]?["documentType"]);
        Assert.Null((await admin.GetOkAsync("/api/settings/document-templates")).AsArray()[3]!["footerText"]); // nothing half-written
        var sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Put, "/api/settings/document-templates/offer", new { footerText = "x" })).Status);

        // Leave the generic template empty again for the other tests of this class.
        await admin.ExpectAsync(HttpMethod.Put, "/api/settings/document-templates/default", new { }, HttpStatusCode.OK);
    }
}

public sealed class SqliteDocumentTemplateTests(SqliteApp app) : DocumentTemplateTests<SqliteApp>(app);

public sealed class PostgresDocumentTemplateTests(PostgresApp app) : DocumentTemplateTests<PostgresApp>(app);
