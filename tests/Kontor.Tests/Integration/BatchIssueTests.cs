using System.Net;
using Kontor.Common;
using Kontor.Sales;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kontor.Tests.Integration;

/// <summary>
/// POST /api/invoices/batch (create + issue + post many invoices in one transaction) and
/// InvoiceService.IssueManyAsync: consecutive numbers, the same books as one at a time, all or nothing.
/// Each test issues in a month of its own, so its numbers start at 1.
/// </summary>
public abstract class BatchIssueTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    /// <summary>Invoice k (0-based) of a batch: one line of (k + 1) × 10.00 net at 23 %, so VAT = (k + 1) × 2.30 exactly.</summary>
    private static object Request(Guid partyId, int k, DateOnly issueDate, string quantity = "1", string vatRateCode = "23") => new
    {
        partyId,
        currency = "PLN",
        pricingMode = "Net",
        issueDate,
        paymentTermDays = 14,
        lines = new[] { new { description = $"Usługa {k}", quantity, unitPrice = $"{(k + 1) * 10}.00", vatRateCode } },
    };

    private Task<(int Invoices, int Issued, int Entries, int OpenItems, int Audit, long Counters)> CountsAsync() =>
        app.QueryAsync(async db => (
            await db.Invoices.CountAsync(),
            await db.Invoices.CountAsync(i => i.Status == InvoiceStatus.Issued),
            await db.JournalEntries.CountAsync(),
            await db.OpenItems.CountAsync(),
            await db.AuditEntries.CountAsync(),
            (await db.NumberingCounters.Select(c => c.LastValue).ToListAsync()).Sum()));

    [Fact]
    public async Task A_batch_of_20_gets_20_consecutive_numbers_and_each_invoice_its_own_journal_entry()
    {
        var issueDate = new DateOnly(2026, 1, 12);
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyA = (await sales.CreatePartyAsync()).Id();
        var partyB = (await sales.CreatePartyAsync()).Id();
        var partyOf = (int k) => k % 2 == 0 ? partyA : partyB;
        var before = await CountsAsync();

        var result = await sales.PostOkAsync("/api/invoices/batch", new
        {
            issue = true,
            invoices = Enumerable.Range(0, 20).Select(k => Request(partyOf(k), k, issueDate)).ToArray(),
        });

        var items = result.Arr("invoices");
        Assert.Equal(20, items.Count);
        for (var k = 0; k < 20; k++)
        {
            var item = items[k]!;
            Assert.Equal($"FV/2026/01/{k + 1}", item.Str("number"));
            Assert.Equal("Issued", item.Str("status"));
            Assert.Equal((k + 1) * 12.30m, item.Amount("gross"));

            var invoice = await sales.GetOkAsync($"/api/invoices/{item.Id()}");
            Assert.Equal($"FV/2026/01/{k + 1}", invoice.Str("number"));
            Assert.Equal("2026-01-12", invoice.Str("issueDate"));
            Assert.Equal("2026-01-26", invoice.Str("dueDate"));
            Assert.Equal((k + 1) * 10m, invoice.Amount("totalNet"));
            Assert.Equal((k + 1) * 2.30m, invoice.Amount("totalVat"));

            var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={item.Id()}")).AsArray())!;
            Assert.Equal($"FV/2026/01/{k + 1}", entry.Str("sourceNumber"));
            Assert.Equal("2026-01-12", entry.Str("date"));
            var lines = entry.Arr("lines").ToDictionary(l => l!.Str("accountCode"), l => l!);
            Assert.Equal(3, lines.Count);
            Assert.Equal((k + 1) * 12.30m, lines["201"].Amount("debit"));
            Assert.Equal(partyOf(k).ToString(), lines["201"].Str("partyId"));
            Assert.Equal((k + 1) * 10m, lines["700"].Amount("credit"));
            Assert.Equal((k + 1) * 2.30m, lines["221"].Amount("credit"));
        }

        // 20 invoices, each: one journal entry, one open item, three audit records (draft created, issued, journal posted).
        var after = await CountsAsync();
        Assert.Equal((before.Invoices + 20, before.Issued + 20, before.Entries + 20, before.OpenItems + 20, before.Audit + 60, before.Counters + 20), after);
        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance?asOf=2026-01-31");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        // Receivables per party: sum of (k + 1) × 12.30 over the party's invoices (A: k even → 1,3,...,19 = 100; B: 2,4,...,20 = 110).
        Assert.Equal(100 * 12.30m, (await sales.GetOkAsync($"/api/parties/{partyA}/overview")).Amount("balance"));
        Assert.Equal(110 * 12.30m, (await sales.GetOkAsync($"/api/parties/{partyB}/overview")).Amount("balance"));
    }

    [Fact]
    public async Task A_batch_with_invalid_invoices_is_refused_whole_and_names_each_invalid_one()
    {
        var issueDate = new DateOnly(2026, 2, 10);
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var before = await CountsAsync();

        var invoices = Enumerable.Range(0, 6).Select(k => Request(partyId, k, issueDate)).ToArray();
        invoices[3] = Request(partyId, 3, issueDate, quantity: "0");          // quantity cannot be zero
        invoices[5] = Request(partyId, 5, issueDate, vatRateCode: "17");      // no such VAT rate
        var (status, body, contentType) = await sales.SendAsync(HttpMethod.Post, "/api/invoices/batch", new { issue = true, invoices });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", contentType);
        var errors = body!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("invoices[3].lines[0].quantity"), body.ToJsonString());
        Assert.True(errors.ContainsKey("invoices[5].lines[0].vatRateCode"), body.ToJsonString());
        Assert.Equal(2, errors.Count);
        Assert.Equal(before, await CountsAsync());

        // A JSON value of the wrong type is named the same way.
        var malformed = $$"""{"issue": true, "invoices": [{"partyId": "{{partyId}}", "lines": [{"description": "x", "quantity": "abc", "unitPrice": "1.00"}]}]}""";
        var (badStatus, badBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices/batch", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(badBody!["errors"]!["invoices[0].lines[0].quantity"]);

        // An invoice that could be a draft but not issued (zero total) refuses the issuing batch...
        var zero = new[] { Request(partyId, 0, issueDate), new { partyId, currency = "PLN", pricingMode = "Net", issueDate, paymentTermDays = 14, lines = new[] { new { description = "Gratis", quantity = "1", unitPrice = "0.00", vatRateCode = "23" } } } };
        var (zeroStatus, zeroBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices/batch", new { issue = true, invoices = zero });
        Assert.Equal(HttpStatusCode.BadRequest, zeroStatus);
        Assert.NotNull(zeroBody!["errors"]!["invoices[1].lines"]);
        Assert.Equal(before, await CountsAsync());

        // ...and too many or none at all are refused before anything is read.
        var (emptyStatus, emptyBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices/batch", new { issue = true, invoices = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, emptyStatus);
        Assert.NotNull(emptyBody!["errors"]!["invoices"]);
        var tooMany = Enumerable.Range(0, InvoiceService.MaxIssueBatch + 1).Select(k => Request(partyId, k, issueDate)).ToArray();
        var (manyStatus, manyBody, _) = await sales.SendAsync(HttpMethod.Post, "/api/invoices/batch", new { issue = true, invoices = tooMany });
        Assert.Equal(HttpStatusCode.BadRequest, manyStatus);
        Assert.NotNull(manyBody!["errors"]!["invoices"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Without_issue_a_batch_creates_drafts_only()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var before = await CountsAsync();

        var result = await sales.PostOkAsync("/api/invoices/batch", new
        {
            issue = false,
            invoices = Enumerable.Range(0, 3).Select(k => Request(partyId, k, new DateOnly(2026, 3, 2))).ToArray(),
        });

        Assert.All(result.Arr("invoices"), item => Assert.Equal("Draft", item!.Str("status")));
        Assert.All(result.Arr("invoices"), item => Assert.Null(item!["number"]?.GetValue<string>()));
        var after = await CountsAsync();
        Assert.Equal((before.Invoices + 3, before.Issued, before.Entries, before.OpenItems, before.Audit + 3, before.Counters), after);
    }

    [Fact]
    public async Task Only_signed_in_users_may_send_a_batch()
    {
        var (status, _, _) = await app.AnonymousClient().SendAsync(HttpMethod.Post, "/api/invoices/batch", new { issue = true, invoices = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task IssueMany_numbers_drafts_in_the_order_given_and_refuses_all_if_one_is_already_issued()
    {
        var issueDate = new DateOnly(2026, 4, 7);
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var partyId = (await sales.CreatePartyAsync(paymentTermDays: 30)).Id();
        var drafts = new List<Guid>();
        for (var k = 0; k < 4; k++) drafts.Add((await sales.CreateDraftAsync(partyId, $"{(k + 1) * 100}.00", issueDate: issueDate)).Id());
        var alreadyIssued = (await sales.CreateAndIssueAsync(partyId, "1.00", issueDate: issueDate)).Id(); // FV/2026/04/1
        var before = await CountsAsync();

        // One issued invoice in the list: nothing is issued, no number is used.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            await Assert.ThrowsAsync<ConflictException>(() => service.IssueManyAsync([drafts[0], alreadyIssued, drafts[1]]));
        }
        Assert.Equal(before, await CountsAsync());

        // In the order given: the last draft first.
        IReadOnlyList<Invoice> issued;
        await using (var scope = app.Services.CreateAsyncScope())
            issued = (await scope.ServiceProvider.GetRequiredService<InvoiceService>().IssueManyAsync([drafts[3], drafts[2], drafts[1], drafts[0]])).Invoices;

        Assert.Equal(["FV/2026/04/2", "FV/2026/04/3", "FV/2026/04/4", "FV/2026/04/5"], issued.Select(i => i.Number));
        Assert.Equal([drafts[3], drafts[2], drafts[1], drafts[0]], issued.Select(i => i.Id));
        for (var k = 0; k < 4; k++)
        {
            var entry = Assert.Single((await accountant.GetOkAsync($"/api/ledger/entries?documentId={drafts[k]}")).AsArray())!;
            var lines = entry.Arr("lines").ToDictionary(l => l!.Str("accountCode"), l => l!);
            Assert.Equal((k + 1) * 123m, lines["201"].Amount("debit"));
            Assert.Equal((k + 1) * 100m, lines["700"].Amount("credit"));
            Assert.Equal((k + 1) * 23m, lines["221"].Amount("credit"));
            Assert.Equal("2026-05-07", (await sales.GetOkAsync($"/api/invoices/{drafts[k]}")).Str("dueDate"));
        }
        var after = await CountsAsync();
        Assert.Equal((before.Invoices, before.Issued + 4, before.Entries + 4, before.OpenItems + 4, before.Audit + 8, before.Counters + 4), after);

        // Asking for one twice, or for none, is a validation error.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<InvoiceService>();
            Assert.Contains("ids", (await Assert.ThrowsAsync<ValidationException>(() => service.IssueManyAsync([drafts[0], drafts[0]]))).Errors.Keys);
            Assert.Contains("ids", (await Assert.ThrowsAsync<ValidationException>(() => service.IssueManyAsync([]))).Errors.Keys);
        }
    }
}

public sealed class SqliteBatchIssueTests(SqliteApp app) : BatchIssueTests<SqliteApp>(app);

public sealed class PostgresBatchIssueTests(PostgresApp app) : BatchIssueTests<PostgresApp>(app);
