using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Inventory;

/// <summary>
/// Receiving a purchase invoice's goods on a PZ (GET /api/purchase-invoices/{id}/stock-receipt-draft): the proposal names the
/// supplier and the invoice and proposes the lines booked to the goods accounts at their book-currency value; the PZ posted
/// from it is linked and listed for the invoice and settles the clearing account; drafts, corrections and unknown invoices are refused.
/// </summary>
public abstract class PurchaseReceiptTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object Line(string net, string account, string description) =>
        new { description, net, vatRateCode = "23", accountCode = account, deduction = "Full" };

    private static async Task<JsonNode> PurchaseAsync(HttpClient client, Guid supplierId, string number, DateOnly issue, object[] lines, bool book = true,
        string currency = "PLN", Guid? correctedId = null)
    {
        var draft = await client.PostCreatedAsync("/api/purchase-invoices", new
        {
            supplierId, supplierInvoiceNumber = number, issueDate = issue, receiptDate = issue, dueDate = issue.AddDays(14), currency, lines,
            correctedInvoiceId = correctedId, correctionReason = correctedId is null ? null : "Rabat",
        });
        return book ? await client.PostOkAsync($"/api/purchase-invoices/{draft.Id()}/book") : draft;
    }

    private static string DraftUrl(Guid purchaseId) => $"/api/purchase-invoices/{purchaseId}/stock-receipt-draft";

    [Fact]
    public async Task A_booked_invoice_proposes_its_goods_line_at_its_net_and_the_PZ_posted_from_it_is_linked_listed_and_settles_300()
    {
        app.Clock.SetDate(new DateOnly(2026, 9, 21));
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync("Hurtownia Towarów sp. z o.o.")).Id();
        // 1000.00 of goods to the clearing account 300 and 200.00 of transport (a service) to 402.
        var invoice = await PurchaseAsync(accountant, supplierId, "FV/77/2026", new(2026, 9, 18),
            [Line("1000.00", "300", "Krzesła biurowe"), Line("200.00", "402", "Transport")]);

        var sales = await app.ClientAsync(Roles.Sales);
        var draft = await sales.GetOkAsync(DraftUrl(invoice.Id()));
        Assert.Equal(("PZ", supplierId.ToString(), invoice.Id().ToString(), "FV/77/2026", "2026-09-21", "PLN"),
            (draft.Str("kind"), draft.Str("partyId"), draft.Str("purchaseInvoiceId"), draft.Str("supplierInvoiceNumber"), draft.Str("date"), draft.Str("currency")));
        Assert.Equal("Hurtownia Towarów sp. z o.o.", draft.Str("supplierName"));
        var line = Assert.Single(draft.Arr("lines"))!;
        Assert.Equal((1000.00m, 1, "Krzesła biurowe", "300"),
            (line["value"]!.GetValue<decimal>(), line["purchaseInvoiceLinePosition"]!.GetValue<int>(), line.Str("description"), line.Str("accountCode")));
        Assert.Null(line["productId"]);
        Assert.Null(line["quantity"]);
        Assert.Empty(draft.Arr("receipts"));

        // The person splits the line over two products: 6 chairs for 600.00 and 4 others for the remaining 400.00.
        var chair = (await sales.CreateProductAsync("150.00")).Id();
        var other = (await sales.CreateProductAsync("150.00")).Id();
        var pz = await sales.PostCreatedAsync("/api/stock-documents", new
        {
            kind = draft.Str("kind"), partyId = draft.Str("partyId"), date = draft.Str("date"), purchaseInvoiceId = draft.Str("purchaseInvoiceId"),
            lines = new[] { new { productId = chair, quantity = 6m, value = 600.00m }, new { productId = other, quantity = 4m, value = 400.00m } },
        });
        var posted = await sales.PostOkAsync($"/api/stock-documents/{pz.Id()}/post");
        Assert.Equal(("PZ/2026/09/1", invoice.Id().ToString(), "FV/77/2026", 1000.00m),
            (posted.Str("number"), posted.Str("purchaseInvoiceId"), posted.Str("purchaseInvoiceNumber"), posted.Amount("totalValue")));

        var listed = Assert.Single((await sales.GetOkAsync($"/api/stock-documents?purchaseInvoiceId={invoice.Id()}")).AsArray())!;
        Assert.Equal((pz.Id().ToString(), invoice.Id().ToString()), (listed.Str("id"), listed.Str("purchaseInvoiceId")));
        var again = await sales.GetOkAsync(DraftUrl(invoice.Id()));
        var receipt = Assert.Single(again.Arr("receipts"))!;
        Assert.Equal(("PZ/2026/09/1", "Posted", 1000.00m), (receipt.Str("number"), receipt.Str("status"), receipt.Amount("totalValue")));

        // The PZ credits 300 by what the invoice debited it: the clearing account is settled.
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoice.Id()}")).AsArray()
            .Concat((await accountant.GetOkAsync($"/api/ledger/entries?documentId={pz.Id()}")).AsArray()).ToList();
        Assert.Equal(2, entries.Count);
        var on300 = entries.SelectMany(e => e!.Arr("lines")).Where(l => l!.Str("accountCode") == "300").ToList();
        Assert.Equal((1000.00m, 1000.00m), (on300.Sum(l => l!.Amount("debit")), on300.Sum(l => l!.Amount("credit"))));
    }

    [Fact]
    public async Task A_EUR_invoice_proposes_the_book_currency_value_not_the_euro_net()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"import of {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        app.Clock.SetDate(new DateOnly(2026, 11, 16));
        accountant = await app.ClientAsync(Roles.Accountant); // a moved clock ends the session
        var supplierId = (await accountant.CreatePartyAsync("Lieferant GmbH")).Id();
        var invoice = await PurchaseAsync(accountant, supplierId, "RE-2026-4411", new(2026, 11, 13), [Line("100.00", "330", "Ersatzteile")], currency: "EUR");
        var rate = invoice["exchangeRate"]!.GetValue<decimal>();
        var netBase = invoice.Arr("lines")[0].Amount("netBase");
        Assert.Equal(Math.Round(100.00m * rate, 2, MidpointRounding.AwayFromZero), netBase);

        var draft = await accountant.GetOkAsync(DraftUrl(invoice.Id()));
        var line = Assert.Single(draft.Arr("lines"))!;
        Assert.Equal(("PLN", netBase), (draft.Str("currency"), line["value"]!.GetValue<decimal>()));
        Assert.NotEqual(100.00m, netBase);
    }

    [Fact]
    public async Task A_draft_or_a_correction_is_409_an_unknown_invoice_404_and_an_invoice_without_goods_proposes_no_lines()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 12));
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync("Dostawca Mieszany")).Id();
        var unbooked = await PurchaseAsync(accountant, supplierId, "FV/D/1", new(2026, 10, 9), [Line("50.00", "300", "Śruby")], book: false);
        var (status, problem, _) = await accountant.SendAsync(HttpMethod.Get, DraftUrl(unbooked.Id()));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("book it first", problem.Str("detail"));

        var booked = await PurchaseAsync(accountant, supplierId, "FV/D/2", new(2026, 10, 9), [Line("80.00", "300", "Nakrętki")]);
        var correction = await PurchaseAsync(accountant, supplierId, "FVK/D/2", new(2026, 10, 10), [Line("-8.00", "300", "Rabat")], correctedId: booked.Id());
        (status, problem, _) = await accountant.SendAsync(HttpMethod.Get, DraftUrl(correction.Id()));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("correction", problem.Str("detail"));

        Assert.Equal(HttpStatusCode.NotFound, (await accountant.SendAsync(HttpMethod.Get, DraftUrl(Guid.NewGuid()))).Status);

        var services = await PurchaseAsync(accountant, supplierId, "FV/D/3", new(2026, 10, 9), [Line("300.00", "402", "Usługa serwisowa")]);
        Assert.Empty((await accountant.GetOkAsync(DraftUrl(services.Id()))).Arr("lines"));
    }

    [Fact]
    public async Task VAT_not_deducted_is_part_of_the_proposed_value_as_it_is_of_what_the_invoice_debited_to_300()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 20));
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync("Dostawca Bez Odliczenia")).Id();
        // 100.00 net, 23.00 VAT of which half is deductible: the goods cost 111.50.
        var invoice = await accountant.PostCreatedAsync("/api/purchase-invoices", new
        {
            supplierId, supplierInvoiceNumber = "FV/ND/1", issueDate = "2026-10-19", receiptDate = "2026-10-19", dueDate = "2026-11-02", currency = "PLN",
            lines = new[] { new { description = "Towar", net = "100.00", vatRateCode = "23", accountCode = "300", deduction = "Partial", deductiblePercent = "50" } },
        });
        await accountant.PostOkAsync($"/api/purchase-invoices/{invoice.Id()}/book");
        var line = Assert.Single((await accountant.GetOkAsync(DraftUrl(invoice.Id()))).Arr("lines"))!;
        Assert.Equal(111.50m, line["value"]!.GetValue<decimal>());
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoice.Id()}")).AsArray())!;
        Assert.Equal(111.50m, entry.Arr("lines").Where(l => l!.Str("accountCode") == "300").Sum(l => l!.Amount("debit")));
    }
}

public sealed class SqlitePurchaseReceiptTests(SqliteApp app) : PurchaseReceiptTests<SqliteApp>(app);

public sealed class PostgresPurchaseReceiptTests(PostgresApp app) : PurchaseReceiptTests<PostgresApp>(app);
