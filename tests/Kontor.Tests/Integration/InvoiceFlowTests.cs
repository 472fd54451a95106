using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>Draft → issue → journal entry, immutability of issued invoices, tax id checks and the API description.</summary>
public abstract class InvoiceFlowTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Issuing_numbers_the_invoice_fixes_dates_and_parties_and_posts_it()
    {
        app.Clock.SetDate(new DateOnly(2026, 3, 20));
        var sales = await app.ClientAsync(Roles.Sales);
        var nip = Builders.UniqueNip();
        var party = await sales.PostCreatedAsync("/api/parties", new
        {
            kind = "Company", name = "Hurtownia Odbiorca Sp. z o.o.", taxIdKind = "Nip", taxId = nip,
            address = new { street = "ul. Długa 5", postalCode = "31-147", city = "Kraków", countryCode = "PL" },
            paymentTermDays = 21,
        });
        var partyId = party.Id();
        var product = await sales.CreateProductAsync("100.00", "23");

        var draft = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new object[]
            {
                new { productId = product.Id(), quantity = 2 },                                      // 2 × 100.00 = 200.00 at 23 %: VAT 46.00
                new { description = "Transport", quantity = "1", unitPrice = "50.00", vatRateCode = "8" }, // 50.00 at 8 %: VAT 4.00
            },
        });
        Assert.Equal("Draft", draft.Str("status"));
        Assert.Null(draft["number"]?.GetValue<string>());
        Assert.Equal(250.00m, draft.Amount("totalNet"));
        Assert.Equal(50.00m, draft.Amount("totalVat"));
        Assert.Equal(300.00m, draft.Amount("totalGross"));

        var issued = await sales.IssueAsync(draft.Id());

        Assert.Equal("Issued", issued.Str("status"));
        Assert.Matches(new Regex(@"^FV/2026/03/[1-9]\d*$"), issued.Str("number"));
        Assert.Equal("2026-03-20", issued.Str("issueDate"));
        Assert.Equal("2026-03-20", issued.Str("saleDate"));
        Assert.Equal("2026-04-10", issued.Str("dueDate")); // 20 March + 21 days
        var seller = issued["seller"]!;
        Assert.Equal("Kontor Demo Sp. z o.o.", seller.Str("name"));
        Assert.Equal("5260250274", seller.Str("taxId"));
        Assert.Equal("PL61109010140000071219812874", seller.Str("bankAccount"));
        var buyer = issued["buyer"]!;
        Assert.Equal("Hurtownia Odbiorca Sp. z o.o.", buyer.Str("name"));
        Assert.Equal(nip, buyer.Str("taxId"));
        Assert.Equal("Kraków", buyer.Str("city"));
        Assert.Equal("31-147", buyer.Str("postalCode"));

        var accountant = await app.ClientAsync(Roles.Accountant);
        var entries = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={draft.Id()}")).AsArray();
        var entry = Assert.Single(entries)!;
        Assert.Equal(issued.Str("number"), entry.Str("sourceNumber"));
        Assert.Equal("2026-03-20", entry.Str("date"));
        var lines = entry.Arr("lines").Select(l => (l.Str("accountCode"), l?["partyId"]?.GetValue<string>(), l.Amount("debit"), l.Amount("credit")))
            .OrderBy(l => l.Item1).ToList();
        Assert.Equal(
            [("201", partyId.ToString(), 300.00m, 0m), ("221", null, 0m, 50.00m), ("700", null, 0m, 250.00m)],
            lines);

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        Assert.All(trialBalance.Arr("totals"), t => Assert.Equal(t!.Amount("debit"), t.Amount("credit")));
    }

    [Fact]
    public async Task Gross_priced_preview_takes_the_unit_price_from_the_product_and_extracts_vat_per_rate()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var product = await sales.CreateProductAsync("100.00", "23");

        var preview = await sales.PostOkAsync("/api/invoices/preview", new
        {
            partyId, currency = "PLN", pricingMode = "Gross",
            lines = new object[]
            {
                new { productId = product.Id(), quantity = 3 },                                          // 100.00 net → 123.00 gross each: 369.00, VAT 369 × 23/123 = 69.00
                new { description = "Książka", quantity = "2", unitPrice = "10.50", vatRateCode = "5" }, // 21.00 gross, VAT 21 × 5/105 = 1.00
            },
        });

        var byRate = preview.Arr("byRate").ToDictionary(r => r.Str("vatRateCode"), r => (r.Amount("net"), r.Amount("vat"), r.Amount("gross")));
        Assert.Equal((300.00m, 69.00m, 369.00m), byRate["23"]);
        Assert.Equal((20.00m, 1.00m, 21.00m), byRate["5"]);
        Assert.Equal((320.00m, 70.00m, 390.00m), (preview.Amount("net"), preview.Amount("vat"), preview.Amount("gross")));
        Assert.Equal(0, await app.QueryAsync(db => db.Invoices.CountAsync(i => i.PartyId == partyId)));
    }

    [Fact]
    public async Task An_issued_invoice_cannot_be_changed_or_deleted()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var issued = await sales.CreateAndIssueAsync(partyId, "80.00");
        var id = issued.Id();
        var before = (await sales.GetOkAsync($"/api/invoices/{id}")).ToJsonString();

        var (putStatus, putBody, putType) = await sales.SendAsync(HttpMethod.Put, $"/api/invoices/{id}", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Zmieniona", quantity = "5", unitPrice = "999.00", vatRateCode = "23" } },
        });
        var (deleteStatus, deleteBody, _) = await sales.SendAsync(HttpMethod.Delete, $"/api/invoices/{id}");

        Assert.Equal(HttpStatusCode.Conflict, putStatus);
        Assert.Equal("application/problem+json", putType);
        Assert.Contains("is issued and cannot be changed", putBody!.Str("detail"));
        Assert.Contains(issued.Str("number"), putBody!.Str("detail"));
        Assert.Equal(HttpStatusCode.Conflict, deleteStatus);
        Assert.Contains("is issued and cannot be changed or deleted", deleteBody!.Str("detail"));
        Assert.Equal(before, (await sales.GetOkAsync($"/api/invoices/{id}")).ToJsonString());
    }

    [Fact]
    public async Task A_draft_can_be_changed_and_deleted()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var draft = await sales.CreateDraftAsync(partyId, "10.00");

        var changed = await sales.ExpectAsync(HttpMethod.Put, $"/api/invoices/{draft.Id()}", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Nowa", quantity = "3", unitPrice = "20.00", vatRateCode = "5" } },
        }, HttpStatusCode.OK);
        Assert.Equal(63.00m, changed.Amount("totalGross")); // 60.00 + 5 % (3.00)
        Assert.Single(changed.Arr("lines"));

        await sales.ExpectAsync(HttpMethod.Delete, $"/api/invoices/{draft.Id()}", null, HttpStatusCode.NoContent);
        await sales.ExpectAsync(HttpMethod.Get, $"/api/invoices/{draft.Id()}", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Nip_with_a_valid_checksum_is_accepted_and_a_wrong_one_rejected()
    {
        var sales = await app.ClientAsync(Roles.Sales);

        var accepted = await sales.PostCreatedAsync("/api/parties", new { kind = "Company", name = "Firma z NIP", taxIdKind = "Nip", taxId = "526-025-02-74" });
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/parties", new { kind = "Company", name = "Firma z błędnym NIP", taxIdKind = "Nip", taxId = "5260250275" });

        Assert.Equal("5260250274", accepted.Str("taxId"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["taxId"]);
    }

    [Fact]
    public async Task A_refusal_is_english_for_an_api_client_unless_it_asks_for_another_language()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var badNip = new { kind = "Company", name = "Firma z błędnym NIP", taxIdKind = "Nip", taxId = "5260250275" };
        var nowhere = Guid.Parse("0195f3a0-0000-7000-8000-000000000002");

        async Task<(string Field, string Missing)> SaidInAsync(string? language)
        {
            if (language is not null) sales.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
            try
            {
                var (_, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/parties", badNip);
                var (status, missing, _) = await sales.SendAsync(HttpMethod.Get, $"/api/parties/{nowhere}");
                Assert.Equal(HttpStatusCode.NotFound, status);
                return ((string)problem!["errors"]!["taxId"]![0]!, (string)missing!["detail"]!);
            }
            finally { sales.DefaultRequestHeaders.AcceptLanguage.Clear(); }
        }

        Assert.Equal(("NIP checksum is invalid", $"Party '{nowhere}' was not found."), await SaidInAsync(null));
        Assert.Equal(("Suma kontrolna NIP jest nieprawidłowa", $"Nie znaleziono: Kontrahent '{nowhere}'."), await SaidInAsync("pl-PL"));
        Assert.Equal(("Контрольная сумма NIP неверна", $"Не найдено: Контрагент '{nowhere}'."), await SaidInAsync("ru"));
    }

    [Fact]
    public async Task Russian_organisation_keeps_inn_and_kpp_and_kpp_without_an_inn_is_refused()
    {
        var sales = await app.ClientAsync(Roles.Sales);

        var created = await sales.PostCreatedAsync("/api/parties", new { kind = "Company", name = "ООО «Ромашка»", taxIdKind = "Inn", taxId = "7707083893", kpp = "773601001", address = new { countryCode = "RU" } });
        var (status, problem, _) = await sales.SendAsync(HttpMethod.Post, "/api/parties", new { kind = "Company", name = "Firma z KPP", taxIdKind = "Nip", taxId = "5841234561", kpp = "773601001" });

        Assert.Equal("7707083893", created.Str("taxId"));
        Assert.Equal("773601001", created.Str("kpp"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(problem!["errors"]!["kpp"]);
    }

    [Fact]
    public async Task OpenApi_document_describes_invoices_and_payments_for_signed_in_users()
    {
        var admin = await app.ClientAsync(Roles.Admin);

        var document = await admin.GetOkAsync("/openapi/v1.json");
        var (anonymousStatus, _, _) = await app.AnonymousClient().SendAsync(HttpMethod.Get, "/openapi/v1.json");

        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/invoices"), "paths: " + string.Join(", ", paths.Select(p => p.Key)));
        Assert.True(paths.ContainsKey("/api/payments"), "paths: " + string.Join(", ", paths.Select(p => p.Key)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus);
    }
}

public sealed class SqliteInvoiceFlowTests(SqliteApp app) : InvoiceFlowTests<SqliteApp>(app);

public sealed class PostgresInvoiceFlowTests(PostgresApp app) : InvoiceFlowTests<PostgresApp>(app);
