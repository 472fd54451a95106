using System.Text.Json.Nodes;

namespace Kontor.Tests.Infrastructure;

/// <summary>Creates the parties, products and invoices the scenarios need, through the API.</summary>
public static class Builders
{
    private static int nipCounter = Random.Shared.Next(1_000_000);

    /// <summary>A NIP with a valid checksum, different on every call (parties must have unique tax ids).</summary>
    public static string UniqueNip()
    {
        int[] weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
        while (true)
        {
            var body = "52" + (Interlocked.Increment(ref nipCounter) % 10_000_000).ToString("D7");
            var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
            if (sum % 11 == 10) continue; // no valid check digit for this body
            return body + (sum % 11);
        }
    }

    public static Task<JsonNode> CreatePartyAsync(this HttpClient client, string? name = null, int paymentTermDays = 14, string? creditLimit = null) =>
        client.PostCreatedAsync("/api/parties", new
        {
            kind = "Company",
            name = name ?? "Odbiorca " + Guid.NewGuid().ToString("N")[..8],
            taxIdKind = "Nip",
            taxId = UniqueNip(),
            address = new { street = "ul. Testowa 1", postalCode = "00-001", city = "Warszawa", countryCode = "PL" },
            email = "biuro@odbiorca.pl",
            paymentTermDays,
            creditLimit = creditLimit is null ? null : new { amount = creditLimit, currency = "PLN" },
        });

    public static Task<JsonNode> CreateProductAsync(this HttpClient client, string netPrice, string vatRateCode = "23") =>
        client.PostCreatedAsync("/api/products", new
        {
            sku = "SKU-" + Guid.NewGuid().ToString("N")[..10],
            name = "Produkt testowy",
            kind = "Goods",
            unit = "szt.",
            netPrice = new { amount = netPrice, currency = "PLN" },
            vatRateCode,
        });

    /// <summary>A draft with one line without a product: <paramref name="quantity"/> × <paramref name="unitPrice"/> net at <paramref name="vatRateCode"/>.</summary>
    public static Task<JsonNode> CreateDraftAsync(this HttpClient client, Guid partyId, string unitPrice, string vatRateCode = "23",
        string quantity = "1", int? paymentTermDays = null, DateOnly? issueDate = null) =>
        client.PostCreatedAsync("/api/invoices", new
        {
            partyId,
            currency = "PLN",
            pricingMode = "Net",
            issueDate,
            paymentTermDays,
            lines = new[] { new { description = "Usługa", quantity, unitPrice, vatRateCode } },
        });

    public static async Task<JsonNode> IssueAsync(this HttpClient client, Guid invoiceId) =>
        await client.PostOkAsync($"/api/invoices/{invoiceId}/issue");

    public static async Task<JsonNode> CreateAndIssueAsync(this HttpClient client, Guid partyId, string unitPrice, string vatRateCode = "23",
        int? paymentTermDays = null, DateOnly? issueDate = null) =>
        await client.IssueAsync((await client.CreateDraftAsync(partyId, unitPrice, vatRateCode, paymentTermDays: paymentTermDays, issueDate: issueDate)).Id());

    public static Task<JsonNode> PayAsync(this HttpClient client, Guid partyId, string amount, DateOnly? date = null, object[]? allocations = null) =>
        client.PostCreatedAsync("/api/payments", new
        {
            partyId,
            date,
            amount = new { amount, currency = "PLN" },
            reference = "Przelew " + Guid.NewGuid().ToString("N")[..6],
            allocations,
        });
}

public static class CreditSettings
{
    /// <summary>
    /// For scenarios that build a party's history with back-dated invoices (numbering, periods, the customer card) and are
    /// not about credit control: those parties are legitimately over 30 days overdue, so credit control would block their
    /// next document. Raises the company's overdue threshold (per test class: each class has its own database).
    /// </summary>
    public static async Task RaiseCreditOverdueThresholdAsync(this KontorApp app, int days = 3650)
    {
        var admin = await app.ClientAsync(Kontor.Security.Roles.Admin);
        var s = await admin.GetOkAsync("/api/settings/company");
        await admin.ExpectAsync(HttpMethod.Put, "/api/settings/company", new
        {
            name = s.Str("name"), taxId = s.Str("taxId"), street = s!["street"]?.GetValue<string>(), postalCode = s["postalCode"]?.GetValue<string>(),
            city = s["city"]?.GetValue<string>(), countryCode = s.Str("countryCode"), baseCurrency = s.Str("baseCurrency"),
            defaultPaymentTermDays = s["defaultPaymentTermDays"]!.GetValue<int>(), defaultVatRateCode = s.Str("defaultVatRateCode"),
            documentLanguage = s.Str("documentLanguage"), version = s.Str("version"), creditOverdueDaysThreshold = days,
        }, System.Net.HttpStatusCode.OK);
    }
}
