using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Kontor.Common;
using Kontor.Sales;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// Pro forma invoices (docs/decisions.md §23): own PF series, no ledger posting, no open item, not counted as invoices;
/// cancellation of drafts and pro formas only; conversion into a VAT invoice draft; offer → pro forma.
/// </summary>
public abstract class ProFormaTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    // Each test works in a month of its own, so numbers do not depend on test order.

    [Fact]
    public async Task Issuing_a_pro_forma_numbers_it_PF_and_posts_nothing_opens_nothing_and_counts_as_no_invoice()
    {
        app.Clock.SetDate(new DateOnly(2026, 6, 10));
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync()).Id();

        var draftsBefore = await DraftInvoiceCountAsync();
        var draft = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId));
        Assert.Equal(("Draft", "ProForma"), (draft.Str("status"), draft.Str("kind")));
        Assert.Equal(draftsBefore, await DraftInvoiceCountAsync()); // the dashboard's "draft invoices" does not count it
        Assert.Equal((350.00m, 65.50m, 415.50m), (draft.Amount("totalNet"), draft.Amount("totalVat"), draft.Amount("totalGross")));
        var issued = await sales.PostOkAsync($"/api/proformas/{draft.Id()}/issue");
        Assert.Equal(("Issued", "PF/2026/06/1", "2026-06-10"), (issued.Str("status"), issued.Str("number"), issued.Str("issueDate")));
        Assert.Equal("2026-06-24", issued.Str("dueDate")); // party's 14 days
        Assert.NotNull(issued["buyer"]);

        Assert.Empty((await accountant.GetOkAsync($"/api/ledger/entries?documentId={draft.Id()}")).AsArray());
        Assert.Equal(0, await app.QueryAsync(db => db.OpenItems.CountAsync(o => o.SourceId == draft.Id() || o.PartyId == partyId)));
        Assert.Equal(0, await app.QueryAsync(db => db.JournalLines.CountAsync(l => l.PartyId == partyId)));

        // Not an invoice: not in the invoice list (unless asked for), not on the customer card, no FV number taken.
        Assert.Empty((await sales.GetOkAsync($"/api/invoices?partyId={partyId}")).AsArray());
        Assert.Equal(draft.Id().ToString(), Assert.Single((await sales.GetOkAsync($"/api/invoices?partyId={partyId}&kind=ProForma")).AsArray())!.Str("id"));
        Assert.Equal(draft.Id().ToString(), Assert.Single((await sales.GetOkAsync($"/api/proformas?partyId={partyId}")).AsArray())!.Str("id"));
        var overview = await sales.GetOkAsync($"/api/parties/{partyId}/overview");
        Assert.Equal((0m, 0), (overview.Amount("balance"), overview["invoiceCount"]!.GetValue<int>()));
        Assert.Null(overview["averageInvoiceValue"]?.GetValue<JsonObject>());
        var invoice = await sales.CreateAndIssueAsync(partyId, "100.00");
        Assert.Equal("FV/2026/06/1", invoice.Str("number"));
        Assert.Equal(1, (await sales.GetOkAsync($"/api/parties/{partyId}/overview"))["invoiceCount"]!.GetValue<int>());

        // An issued pro forma is not edited, not issued again, not batch-issued and not corrected.
        var (putStatus, _, _) = await sales.SendAsync(HttpMethod.Put, $"/api/proformas/{draft.Id()}", ProFormaBody(partyId));
        Assert.Equal(HttpStatusCode.Conflict, putStatus);
        var (againStatus, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{draft.Id()}/issue");
        Assert.Equal(HttpStatusCode.Conflict, againStatus);
        var other = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<ConflictException>(() => scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueManyAsync([other.Id()]));
            Assert.Contains("pro forma", refused.Message);
        }
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/proformas/{other.Id()}")).Str("status"));
        var (correctStatus, correctProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{draft.Id()}/corrections", new { reason = "x", fullReversal = true });
        Assert.Equal(HttpStatusCode.Conflict, correctStatus);
        Assert.Contains("pro forma", correctProblem.Str("detail"));
        // The pro forma API does not serve invoices.
        var (asProForma, _, _) = await sales.SendAsync(HttpMethod.Get, $"/api/proformas/{invoice.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, asProForma);
    }

    [Fact]
    public async Task Drafts_and_pro_formas_are_cancelled_with_a_reason_an_issued_VAT_invoice_never()
    {
        app.Clock.SetDate(new DateOnly(2026, 7, 8));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();

        var invoiceDraft = await sales.CreateDraftAsync(partyId, "100.00");
        var cancelledDraft = await sales.PostOkAsync($"/api/invoices/{invoiceDraft.Id()}/cancel", new { reason = "Klient zrezygnował" });
        Assert.Equal(("Cancelled", "Klient zrezygnował"), (cancelledDraft.Str("status"), cancelledDraft.Str("cancellationReason")));
        var (issueCancelled, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{invoiceDraft.Id()}/issue");
        Assert.Equal(HttpStatusCode.Conflict, issueCancelled);

        var proFormaDraft = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId));
        Assert.Equal("Cancelled", (await sales.PostOkAsync($"/api/proformas/{proFormaDraft.Id()}/cancel", new { reason = "Błędne ceny" })).Str("status"));

        var proForma = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId));
        var issuedProForma = await sales.PostOkAsync($"/api/proformas/{proForma.Id()}/issue");
        Assert.Equal("PF/2026/07/1", issuedProForma.Str("number"));
        var cancelledProForma = await sales.PostOkAsync($"/api/proformas/{proForma.Id()}/cancel", new { reason = "Zamówienie anulowane" });
        Assert.Equal(("Cancelled", "PF/2026/07/1", "Zamówienie anulowane"),
            (cancelledProForma.Str("status"), cancelledProForma.Str("number"), cancelledProForma.Str("cancellationReason")));
        Assert.Equal((415.50m, 2), (cancelledProForma.Amount("totalGross"), cancelledProForma.Arr("lines").Count)); // content unchanged
        var (twice, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{proForma.Id()}/cancel", new { reason = "jeszcze raz" });
        Assert.Equal(HttpStatusCode.Conflict, twice);

        // No reason: 400 naming the field, nothing changed.
        var another = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId));
        var (noReason, noReasonProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{another.Id()}/cancel", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.NotNull(noReasonProblem!["errors"]!["reason"]);
        Assert.Equal("Draft", (await sales.GetOkAsync($"/api/proformas/{another.Id()}")).Str("status"));

        // An issued VAT invoice: 409 telling to correct it; it stays issued and posted.
        var issued = await sales.CreateAndIssueAsync(partyId, "200.00");
        var (refused, refusal, _) = await sales.SendAsync(HttpMethod.Post, $"/api/invoices/{issued.Id()}/cancel", new { reason = "Pomyłka" });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Contains("correction", refusal.Str("detail"));
        Assert.Contains(issued.Str("number"), refusal.Str("detail"));
        var after = await sales.GetOkAsync($"/api/invoices/{issued.Id()}");
        Assert.Equal(("Issued", null), (after.Str("status"), after["cancellationReason"]?.GetValue<string>()));
        Assert.Equal(1, await app.QueryAsync(db => db.OpenItems.CountAsync(o => o.SourceId == issued.Id())));

        var ids = new[] { invoiceDraft.Id(), proFormaDraft.Id(), proForma.Id(), another.Id(), issued.Id() }.Select(i => i.ToString()).ToList();
        var audit = await app.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "invoice.cancelled" && ids.Contains(a.EntityId)).Select(a => a.EntityId).ToListAsync());
        Assert.Equal(ids.Take(3).Order(), audit.Order());
    }

    [Fact]
    public async Task An_issued_pro_forma_converts_once_into_a_VAT_invoice_draft_with_every_line_and_price_linked_both_ways()
    {
        app.Clock.SetDate(new DateOnly(2026, 8, 3));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync("Pro Forma Odbiorca Sp. z o.o.")).Id();
        var product = await sales.CreateProductAsync("100.00", "23");
        var proForma = await sales.PostCreatedAsync("/api/proformas", new
        {
            partyId, currency = "PLN", pricingMode = "Net", paymentTermDays = 7, notes = "Płatne z góry.",
            lines = new object[]
            {
                new { productId = product.Id(), quantity = 3, discountPercent = 10 },                                      // 270.00 at 23 %
                new { description = "Montaż", quantity = "2.5", unit = "godz.", unitPrice = "40.00", vatRateCode = "8" }, // 100.00 at 8 %
                new { description = "Szkolenie", quantity = "1", unitPrice = "33.33", vatRateCode = "zw" },                // 33.33 exempt
            },
        });
        var (draftConversion, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{proForma.Id()}/convert-to-invoice");
        Assert.Equal(HttpStatusCode.Conflict, draftConversion); // issue first
        var issued = await sales.PostOkAsync($"/api/proformas/{proForma.Id()}/issue");
        Assert.Equal("PF/2026/08/1", issued.Str("number"));

        var conversion = await sales.PostCreatedAsync($"/api/proformas/{proForma.Id()}/convert-to-invoice", new { });
        var invoiceId = Guid.Parse(conversion.Str("invoiceId"));
        var invoice = await sales.GetOkAsync($"/api/invoices/{invoiceId}");
        Assert.Equal(("Draft", "Vat", partyId.ToString(), "PLN", "Net", 7, "Płatne z góry."),
            (invoice.Str("status"), invoice.Str("kind"), invoice.Str("partyId"), invoice.Str("currency"), invoice.Str("pricingMode"),
             invoice["paymentTermDays"]!.GetValue<int>(), invoice.Str("notes")));
        var lines = invoice.Arr("lines");
        Assert.Equal(3, lines.Count);
        Assert.Equal((product.Id().ToString(), "Produkt testowy", 3m, 100.00m, 10m, "23", 270.00m),
            (lines[0].Str("productId"), lines[0].Str("description"), lines[0]!["quantity"]!.GetValue<decimal>(), lines[0]!["unitPrice"]!.GetValue<decimal>(),
             lines[0]!["discountPercent"]!.GetValue<decimal>(), lines[0].Str("vatRateCode"), lines[0].Amount("net")));
        Assert.Equal(("Montaż", "godz.", 2.5m, 40.00m, 0m, "8", 100.00m),
            (lines[1].Str("description"), lines[1].Str("unit"), lines[1]!["quantity"]!.GetValue<decimal>(), lines[1]!["unitPrice"]!.GetValue<decimal>(),
             lines[1]!["discountPercent"]!.GetValue<decimal>(), lines[1].Str("vatRateCode"), lines[1].Amount("net")));
        Assert.Equal(("Szkolenie", 33.33m, "zw", 0m), (lines[2].Str("description"), lines[2]!["unitPrice"]!.GetValue<decimal>(), lines[2].Str("vatRateCode"), lines[2].Amount("vat")));
        // The recorded price sources travel with the lines (the product's list price stays "list price", not a manual entry).
        var proFormaLines = issued.Arr("lines");
        for (var i = 0; i < 3; i++)
            Assert.Equal(proFormaLines[i]!["pricing"]?.ToJsonString(), lines[i]!["pricing"]?.ToJsonString());
        Assert.NotNull(lines[0]!["pricing"]);
        // 23 %: 270.00 → 62.10; 8 %: 100.00 → 8.00; zw: 33.33 → 0
        Assert.Equal((403.33m, 70.10m, 473.43m), (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));
        Assert.Equal((issued.Amount("totalNet"), issued.Amount("totalVat"), issued.Amount("totalGross")),
            (invoice.Amount("totalNet"), invoice.Amount("totalVat"), invoice.Amount("totalGross")));

        var fromProForma = Assert.Single((await sales.GetOkAsync($"/api/documents/{proForma.Id()}/links")).AsArray())!;
        Assert.Equal(("to", "invoice", invoiceId.ToString()), (fromProForma.Str("direction"), fromProForma.Str("type"), fromProForma.Str("id")));
        var intoInvoice = Assert.Single((await sales.GetOkAsync($"/api/documents/{invoiceId}/links")).AsArray())!;
        Assert.Equal(("from", "proforma", proForma.Id().ToString(), "PF/2026/08/1"),
            (intoInvoice.Str("direction"), intoInvoice.Str("type"), intoInvoice.Str("id"), intoInvoice.Str("number")));

        var invoicesBefore = await app.QueryAsync(db => db.Invoices.CountAsync());
        var (again, againProblem, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{proForma.Id()}/convert-to-invoice");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already converted", againProblem.Str("detail"));
        Assert.Equal(invoicesBefore, await app.QueryAsync(db => db.Invoices.CountAsync()));
        // A converted pro forma is no longer cancelled.
        var (cancelConverted, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{proForma.Id()}/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.Conflict, cancelConverted);

        // The invoice draft is cancelled: the pro forma converts again (into a new draft), and only the live one counts.
        await sales.PostOkAsync($"/api/invoices/{invoiceId}/cancel", new { reason = "Błędna data" });
        var reconversion = await sales.PostCreatedAsync($"/api/proformas/{proForma.Id()}/convert-to-invoice", new { });
        Assert.NotEqual(invoiceId.ToString(), reconversion.Str("invoiceId"));
        var (third, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/proformas/{proForma.Id()}/convert-to-invoice");
        Assert.Equal(HttpStatusCode.Conflict, third);
        invoiceId = Guid.Parse(reconversion.Str("invoiceId"));

        var issuedInvoice = await sales.IssueAsync(invoiceId);
        Assert.Equal("FV/2026/08/1", issuedInvoice.Str("number"));
        var accountant = await app.ClientAsync(Roles.Accountant);
        var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={invoiceId}")).AsArray())!;
        Assert.Equal(473.43m, entry.Arr("lines").Sum(l => l.Amount("debit")));
        Assert.Empty((await accountant.GetOkAsync($"/api/ledger/entries?documentId={proForma.Id()}")).AsArray());
    }

    [Fact]
    public async Task An_accepted_offer_converts_into_a_pro_forma_once()
    {
        app.Clock.SetDate(new DateOnly(2026, 9, 7));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var offer = await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Gross", notes = "Oferta ważna 14 dni.",
            lines = new object[] { new { description = "Projekt", quantity = "2", unitPrice = "123.00", discountPercent = "5", vatRateCode = "23" } },
        });
        await sales.PostOkAsync($"/api/offers/{offer.Id()}/send");
        await sales.PostOkAsync($"/api/offers/{offer.Id()}/accept");

        var conversion = await sales.PostCreatedAsync($"/api/offers/{offer.Id()}/convert-to-proforma", new { });
        var proForma = await sales.GetOkAsync($"/api/proformas/{conversion.Str("invoiceId")}");
        Assert.Equal(("ProForma", "Draft", "Gross", "Oferta ważna 14 dni."), (proForma.Str("kind"), proForma.Str("status"), proForma.Str("pricingMode"), proForma.Str("notes")));
        var line = Assert.Single(proForma.Arr("lines"))!;
        Assert.Equal(("Projekt", 2m, 123.00m, 5m, "23"),
            (line.Str("description"), line["quantity"]!.GetValue<decimal>(), line["unitPrice"]!.GetValue<decimal>(), line["discountPercent"]!.GetValue<decimal>(), line.Str("vatRateCode")));
        // Gross 2 × 123.00 × 0.95 = 233.70; VAT = 233.70 × 23/123 = 43.70; net 190.00
        Assert.Equal((190.00m, 43.70m, 233.70m), (proForma.Amount("totalNet"), proForma.Amount("totalVat"), proForma.Amount("totalGross")));
        var link = Assert.Single((await sales.GetOkAsync($"/api/documents/{offer.Id()}/links")).AsArray())!;
        Assert.Equal(("to", "proforma"), (link.Str("direction"), link.Str("type")));

        var (again, _, _) = await sales.SendAsync(HttpMethod.Post, $"/api/offers/{offer.Id()}/convert-to-proforma");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("PF/2026/09/1", (await sales.PostOkAsync($"/api/proformas/{proForma.Id()}/issue")).Str("number"));
        Assert.Equal("proforma", (await sales.GetOkAsync($"/api/documents/{offer.Id()}/links")).AsArray()[0].Str("type"));
    }

    [Fact]
    public async Task Pro_formas_have_a_numbering_series_of_their_own_in_the_settings()
    {
        app.Clock.SetDate(new DateOnly(2026, 10, 12));
        var admin = await app.ClientAsync(Roles.Admin);
        var seeded = Assert.Single((await admin.GetOkAsync("/api/settings/numbering-series?documentType=proforma")).AsArray())!;
        Assert.Equal(("PF", "PF/{yyyy}/{MM}/{n}", "Monthly", true), (seeded.Str("name"), seeded.Str("pattern"), seeded.Str("reset"), seeded["isDefault"]!.GetValue<bool>()));

        var branch = await admin.PostCreatedAsync("/api/settings/numbering-series", new { documentType = "proforma", name = "PF-KRK", pattern = "PFK/{yyyy}/{n}", reset = "Yearly", isDefault = false });
        Assert.Equal("proforma", branch.Str("documentType"));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        // Not the default (the other scenarios of this class number PF/...): the pro forma names it.
        var proForma = await sales.PostCreatedAsync("/api/proformas", ProFormaBody(partyId, branch.Id()));
        Assert.Equal(branch.Str("id"), proForma.Str("seriesId"));
        Assert.Equal("PFK/2026/1", (await sales.PostOkAsync($"/api/proformas/{proForma.Id()}/issue")).Str("number"));

        // A series of the other kind is refused on either side, naming seriesId.
        var (wrongForInvoice, invoiceProblem, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net", seriesId = branch.Id(),
            lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrongForInvoice);
        Assert.NotNull(invoiceProblem!["errors"]!["seriesId"]);
        var invoiceSeries = (await admin.GetOkAsync("/api/settings/numbering-series?documentType=invoice")).AsArray()[0]!.Id();
        var (wrongForProForma, proFormaProblem, _) = await sales.SendAsync(HttpMethod.Post, "/api/proformas", new
        {
            partyId, currency = "PLN", pricingMode = "Net", seriesId = invoiceSeries,
            lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrongForProForma);
        Assert.NotNull(proFormaProblem!["errors"]!["seriesId"]);
    }

    [Fact]
    public async Task Starting_on_an_existing_database_adds_the_advances_received_account_to_its_chart()
    {
        // A database from before advance invoices: its chart has no 845.
        await app.QueryAsync(db => db.Accounts.Where(a => a.Code == "845").ExecuteDeleteAsync());
        Assert.False(await app.QueryAsync(db => db.Accounts.AnyAsync(a => a.Code == "845")));

        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Kontor.Persistence.DatabaseInitializer>().InitializeAsync();

        var account = await app.QueryAsync(db => db.Accounts.SingleAsync(a => a.Code == "845"));
        Assert.Equal(("Rozliczenia międzyokresowe przychodów — zaliczki otrzymane", Kontor.Ledger.AccountType.Liability), (account.Name, account.Type));
        Assert.True(await app.QueryAsync(db => db.NumberingSeries.AnyAsync(s => s.DocumentType == "proforma" && s.IsDefault)));
    }

    private async Task<int> DraftInvoiceCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<Kontor.CustomerCard.DashboardQuery>().GetAsync()).DraftInvoiceCount;
    }

    private static object ProFormaBody(Guid partyId, Guid? seriesId = null) => new
    {
        partyId, currency = "PLN", pricingMode = "Net", seriesId,
        lines = new object[]
        {
            new { description = "Usługa", quantity = "1", unitPrice = "250.00", vatRateCode = "23" },   // 250.00 → VAT 57.50
            new { description = "Dostawa", quantity = "2", unitPrice = "50.00", vatRateCode = "8" },    // 100.00 → VAT 8.00
        },
    };
}

public sealed class SqliteProFormaTests(SqliteApp app) : ProFormaTests<SqliteApp>(app);

public sealed class PostgresProFormaTests(PostgresApp app) : ProFormaTests<PostgresApp>(app);
