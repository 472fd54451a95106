using System.Net;
using System.Text.Json.Nodes;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Crm;

/// <summary>The customer timeline (every kind, in time order, paged) and the complete card (DSO by hand, margin by role, risk, counts).</summary>
public abstract class CustomerCardTimelineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Every_kind_of_event_appears_newest_first_and_pages_chain_without_gaps_or_repeats()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var t = DateTimeOffset.Parse("2026-10-05T08:00:00Z");
        async Task At(int minutes) { app.Clock.Set(t.AddMinutes(minutes)); sales = await app.ClientAsync(Roles.Sales); accountant = await app.ClientAsync(Roles.Accountant); }

        await At(0);
        var invoiceId = (await sales.CreateAndIssueAsync(partyId, "100.00")).Id();
        await sales.CreateDraftAsync(partyId, "999.00"); // a draft is no event
        await At(1);
        await accountant.PayAsync(partyId, "50.00");
        await At(2);
        await sales.PostCreatedAsync("/api/activities/log-call", new { partyId, subject = "Telefon", outcome = "Reached" });
        await At(3);
        await sales.PostCreatedAsync("/api/orders", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Towar", quantity = "1", unitPrice = "10.00", vatRateCode = "23" } },
        });
        await At(4);
        var complaint = await sales.PostCreatedAsync("/api/complaints", new { invoiceId, description = "Reklamacja", lines = new[] { new { position = 1, quantity = "1" } } });
        await At(5);
        await sales.PostCreatedAsync("/api/activities", new { kind = "Note", subject = "Notatka", partyId });
        await At(6);
        await sales.PostCreatedAsync("/api/activities", new { kind = "Email", subject = "Wysłano cennik", partyId });
        await At(7);
        var offerId = (await sales.PostCreatedAsync("/api/offers", new
        {
            partyId, currency = "PLN", pricingMode = "Net",
            lines = new[] { new { description = "Usługa", quantity = "1", unitPrice = "20.00", vatRateCode = "23" } },
        })).Id();
        await sales.PostOkAsync($"/api/offers/{offerId}/send");
        await At(8);
        var resolved = await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote" });
        await At(9);
        await sales.IssueAsync(Guid.Parse(resolved.Str("correctionInvoiceId")));
        await At(10);
        // A meeting due tomorrow stands at its due time: newest of all.
        await sales.PostCreatedAsync("/api/activities", new { kind = "Meeting", subject = "Spotkanie", partyId, dueAt = t.AddDays(1) });
        await At(11);
        await sales.PostCreatedAsync("/api/activities", new { kind = "Task", subject = "Zadanie", partyId, dueAt = t.AddMinutes(11) });

        var page = await sales.GetOkAsync($"/api/parties/{partyId}/timeline?take=50");
        var kinds = page.Arr("entries").Select(e => e.Str("kind")).ToList();
        Assert.Equal(["Meeting", "Task", "Correction", "Offer", "Email", "Note", "Complaint", "Order", "Call", "Payment", "Invoice"], kinds);
        Assert.Null(page["nextBefore"]);
        var invoice = page.Arr("entries").Last()!;
        Assert.Equal((123.00m, $"/invoices/{invoiceId}"), (invoice.Amount("amount"), invoice.Str("link")));
        Assert.Equal(-123.00m, page.Arr("entries")[2].Amount("amount"));

        // Pages of 4 chain to the same list.
        var chained = new List<string>();
        string? before = null;
        do
        {
            var next = await sales.GetOkAsync($"/api/parties/{partyId}/timeline?take=4" + (before is null ? "" : $"&before={Uri.EscapeDataString(before)}"));
            chained.AddRange(next.Arr("entries").Select(e => e.Str("kind")));
            before = next["nextBefore"]?.GetValue<string>();
        } while (before is not null);
        Assert.Equal(kinds, chained);

        var filtered = await sales.GetOkAsync($"/api/parties/{partyId}/timeline?kinds=Call,Payment");
        Assert.Equal(["Call", "Payment"], filtered.Arr("entries").Select(e => e.Str("kind")));
        var (bad, problem, _) = await sales.SendAsync(HttpMethod.Get, $"/api/parties/{partyId}/timeline?kinds=Fax");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(problem!["errors"]?["kinds"]);
    }

    [Fact]
    public async Task The_card_shows_dso_returns_complaints_and_risk_to_everyone_and_the_margin_only_to_those_reading_the_books()
    {
        var today = new DateOnly(2026, 11, 20);
        app.Clock.SetDate(today.AddDays(-30));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 14, creditLimit: "10000.00")).Id();
        var first = (await sales.CreateAndIssueAsync(partyId, "1000.00")).Id();      // 1 230.00 gross
        app.Clock.SetDate(today.AddDays(-10));
        sales = await app.ClientAsync(Roles.Sales);
        await sales.CreateAndIssueAsync(partyId, "2000.00");                         // 2 460.00 gross
        app.Clock.SetDate(today);
        sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        await accountant.PayAsync(partyId, "2230.00");                                // settles the first, 1 000 of the second
        var complaint = await sales.PostCreatedAsync("/api/complaints", new { invoiceId = first, description = "Zwrot", lines = new[] { new { position = 1, quantity = "1" } } });
        var resolved = await sales.PostOkAsync($"/api/complaints/{complaint.Id()}/resolve", new { kind = "CreditNote" });
        await sales.PostCreatedAsync("/api/complaints", new { invoiceId = first, description = "Druga, otwarta" });
        await sales.ExpectAsync(HttpMethod.Put, $"/api/parties/{partyId}/payment-method", new { preferredPaymentMethod = "Card" }, HttpStatusCode.OK);

        var card = await sales.GetOkAsync($"/api/parties/{partyId}/card");

        // Balance 1 230 + 2 460 − 2 230 = 1 460; credit sales of the last 90 days 3 690 (the correction is still a draft).
        Assert.Equal(1460.00m, card["overview"].Amount("balance"));
        Assert.Equal(3690.00m, card.Amount("creditSales90Days"));
        // The first sale was 30 days ago: DSO is taken over the 31 days since (both counted), not 90 —
        // DSO = 1 460 / 3 690 × 31 = 12.265… → 12.3 days (over 90 days it would claim 35.6).
        Assert.Equal(31, card["dsoPeriodDays"]!.GetValue<int>());
        Assert.Equal(12.3m, card["dso"]!.GetValue<decimal>());
        Assert.Null(card["margin"]);
        Assert.True(card["marginHidden"]!.GetValue<bool>());
        Assert.Equal((1, 2), (card["complaints"]!["open"]!.GetValue<int>(), card["complaints"]!["total"]!.GetValue<int>()));
        Assert.Equal(0, card["returns"]!["returnCount"]!.GetValue<int>());
        Assert.Equal("Card", card.Str("preferredPaymentMethod"));
        Assert.False(card["atRisk"]!.GetValue<bool>());
        Assert.Equal(0, card["openOpportunities"]!.GetValue<int>()); // the pipeline counts them (PipelineTests)

        await sales.IssueAsync(Guid.Parse(resolved.Str("correctionInvoiceId")));       // −1 230.00 gross, one chair returned
        var booksView = await accountant.GetOkAsync($"/api/parties/{partyId}/card");
        Assert.Equal(1, booksView["returns"]!["returnCount"]!.GetValue<int>());
        Assert.False(booksView["marginHidden"]!.GetValue<bool>());
        // Revenue 1 000 + 2 000 − 1 000 (the correction) = 2 000, none of it with a known cost.
        Assert.Equal((2000.00m, 0.00m, 2000.00m), (booksView["margin"].Amount("revenue"), booksView["margin"].Amount("costOfGoods"), booksView["margin"].Amount("revenueWithoutCost")));
        // Balance 230.00 over credit sales 2 460.00 → 230 / 2 460 × 31 = 2.898… → 2.9.
        Assert.Equal(2.9m, booksView["dso"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_party_overdue_beyond_the_threshold_is_flagged_at_risk_with_credit_controls_reason()
    {
        var today = new DateOnly(2026, 12, 10);
        app.Clock.SetDate(today.AddDays(-45));
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 7)).Id();
        await sales.CreateAndIssueAsync(partyId, "100.00");                            // due 38 days before "today"
        app.Clock.SetDate(today);
        sales = await app.ClientAsync(Roles.Sales);

        var card = await sales.GetOkAsync($"/api/parties/{partyId}/card");

        Assert.True(card["atRisk"]!.GetValue<bool>());
        Assert.Equal(["Overdue"], card.Arr("riskReasons").Select(r => r!.GetValue<string>()));
        Assert.Contains("overdue debt 38 days past due", card.Str("riskMessage"));
        // The only sale (45 days ago) is unpaid: it has been outstanding for the whole period since it, 46 days counted
        // (123.00 / 123.00 × 46), not the 90 days the customer did not yet exist for.
        Assert.Equal((46, 46.0m), (card["dsoPeriodDays"]!.GetValue<int>(), card["dso"]!.GetValue<decimal>()));
    }
}

public sealed class SqliteCustomerCardTimelineTests(SqliteApp app) : CustomerCardTimelineTests<SqliteApp>(app);

public sealed class PostgresCustomerCardTimelineTests(PostgresApp app) : CustomerCardTimelineTests<PostgresApp>(app);
