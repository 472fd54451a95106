using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kontor.Common;
using Kontor.Ledger;
using Kontor.Orders;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kontor.Tests.Integration;

/// <summary>
/// PaymentService.RegisterManyAsync and OrderService.InvoiceEachAsync (batch contract, session 7): N items through the
/// batch write what N single calls write (compared row by row on two fresh databases), a refused item writes nothing and
/// is named, reads do not grow with N, and the batch joins an outer unit of work.
/// </summary>
public abstract class BatchPaymentAndOrderInvoicingTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp> where TApp : KontorApp
{
    // ---------------------------------------------------------------- payments

    /// <summary>
    /// NBP sample tables (see RealisedExchangeDifferenceTests): EUR invoice sold 09.11 at 4.2451 → 1590.00 EUR = 6749.71 PLN receivable;
    /// payments on 13.11 are booked at table 220 of 12.11 (4.2502).
    /// Alfa: A1 123.00 (issued 02.11), A2 246.00 (03.11), A3 369.00 (04.11); Beta: B1 61.50 (02.11), B2 98.40 (03.11); Gamma: G1 1590.00 EUR.
    /// </summary>
    private sealed record LedgerScenario(Dictionary<string, Guid> Parties, Dictionary<string, Guid> Invoices);

    private static readonly DateOnly PaymentDay = new(2026, 11, 13);

    private static async Task<LedgerScenario> SetUpLedgerAsync(KontorApp host, string tag = "")
    {
        var accountant = await host.ClientAsync(Roles.Accountant);
        foreach (var file in new[] { "nbp-a-2026-11-06_2026-11-12.json", "nbp-a-2026-11-13.json" })
        {
            using var body = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", file)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await accountant.PostAsync("/api/exchange-rates/import?source=nbp", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        host.Clock.SetDate(PaymentDay);
        var sales = await host.ClientAsync(Roles.Sales);
        var parties = new Dictionary<string, Guid>();
        foreach (var name in new[] { "Alfa", "Beta", "Gamma" }) parties[name] = (await sales.CreatePartyAsync(name + tag)).Id();
        var invoices = new Dictionary<string, Guid>();
        async Task IssueAsync(string key, string party, string net, int day) =>
            invoices[key] = (await sales.CreateAndIssueAsync(parties[party], net, paymentTermDays: 14, issueDate: new DateOnly(2026, 11, day))).Id();
        await IssueAsync("A1", "Alfa", "100.00", 2);
        await IssueAsync("A2", "Alfa", "200.00", 3);
        await IssueAsync("A3", "Alfa", "300.00", 4);
        await IssueAsync("B1", "Beta", "50.00", 2);
        await IssueAsync("B2", "Beta", "80.00", 3);
        var eur = await sales.PostCreatedAsync("/api/invoices", new
        {
            partyId = parties["Gamma"], currency = "EUR", pricingMode = "Net", saleDate = "2026-11-09", issueDate = "2026-11-09",
            lines = new object[]
            {
                new { description = "Licencja", quantity = "1", unitPrice = "1000.00", vatRateCode = "23" },
                new { description = "Szkolenie", quantity = "1", unitPrice = "333.33", vatRateCode = "8" },
            },
        });
        invoices["G1"] = (await sales.IssueAsync(eur.Id())).Id();
        return new LedgerScenario(parties, invoices);
    }

    /// <summary>Each payment depends on the ones before it (same batch): A2's exact rest, a refund of a credit the batch made, FX in two parts.</summary>
    private static List<RegisterPayment> Payments(LedgerScenario s) =>
    [
        new(s.Parties["Alfa"], null, 150.00m, "PLN", "P0", null),                                                // A1 123.00 + A2 27.00
        new(s.Parties["Alfa"], null, 219.00m, "PLN", "P1", [new AllocationInput(s.Invoices["A2"], 219.00m)]),     // A2's rest, exactly
        new(s.Parties["Beta"], null, 500.00m, "PLN", "P2", null),                                                 // B1 61.50 + B2 98.40, credit 340.10
        new(s.Parties["Beta"], null, 40.10m, "PLN", "P3", null, PaymentDirection.Outgoing, CustomerRefund: true), // from P2's credit → 300.00 left
        new(s.Parties["Alfa"], null, 50.00m, "PLN", "P4", null, OnAccount: true),                                 // credit 50.00
        new(s.Parties["Alfa"], null, 369.00m, "PLN", "P5", [new AllocationInput(s.Invoices["A3"], 369.00m)], Via: PaymentVia.GatewayClearing),
        new(s.Parties["Gamma"], null, 1000.00m, "EUR", "P6", null),                                               // 4250.20 PLN vs 4245.10 → +5.10
        new(s.Parties["Gamma"], null, 590.00m, "EUR", "P7", null),                                                // 2507.62 PLN vs 2504.61 → +3.01
    ];

    private sealed record LedgerRows(List<string> Payments, List<string> Allocations, List<string> OpenItems, List<string> JournalLines, List<string> Audit);

    private static async Task<LedgerRows> LedgerRowsAsync(KontorApp host) => await host.QueryAsync(async db =>
    {
        var parties = await db.Parties.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.Number != null).ToDictionaryAsync(i => i.Id, i => i.Number!);
        var payments = await db.Payments.AsNoTracking().ToListAsync();
        var names = invoices.Concat(payments.Select(p => KeyValuePair.Create(p.Id, "payment " + p.Reference))).ToDictionary();
        string Name(Guid? id) => id is null ? "-" : names.GetValueOrDefault(id.Value) ?? parties.GetValueOrDefault(id.Value) ?? "?";
        var openItems = await db.OpenItems.AsNoTracking().ToListAsync();
        var itemNames = openItems.ToDictionary(o => o.Id, o => $"{o.Side} {Name(o.SourceId)}");
        var entries = await db.JournalEntries.AsNoTracking().Include(e => e.Lines).Where(e => e.SourceType == "payment" || e.SourceType == ExchangeDifferences.SourceType).ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("payment.") || a.Action == "journal.posted").ToListAsync();
        return new LedgerRows(
            [.. payments.Select(p => $"{Name(p.PartyId)} {p.Date} {p.Amount} {p.Currency} {p.Reference} {p.Direction} by {p.RegisteredBy}").Order(StringComparer.Ordinal)],
            [.. (await db.PaymentAllocations.AsNoTracking().ToListAsync()).Select(a =>
                $"{Name(a.PaymentId)} → {itemNames[a.OpenItemId]} ({Name(a.SourceId)}) {a.Amount} {a.Date} base {a.SettledBaseAmount}/{a.PaymentBaseAmount} diff {a.ExchangeDifference}").Order(StringComparer.Ordinal)],
            [.. openItems.Select(o => $"{Name(o.PartyId)} {o.Side} {o.SourceType} {Name(o.SourceId)} {o.DocumentNumber} {o.DocumentDate} due {o.DueDate} {o.Currency} " +
                                      $"{o.Amount}/{o.OpenAmount} base {o.BaseAmount}/{o.OpenBaseAmount} settled {o.SettledOn}").Order(StringComparer.Ordinal)],
            [.. entries.SelectMany(e => e.Lines.Select(l => $"{e.SourceType} {Name(e.SourceId)} {e.SourceNumber} \"{e.Description}\" {e.Date} rate {e.ExchangeRate} {e.ExchangeRateTable} | " +
                                                           $"{l.AccountCode} {Name(l.PartyId)} {l.Debit}/{l.Credit} {l.Currency} base {l.BaseDebit}/{l.BaseCredit}")).Order(StringComparer.Ordinal)],
            // Journal entries of the set-up (invoices) are the same in both databases too; ids inside the details are masked.
            [.. audit.Select(a => $"{a.Action} {a.EntityType} {Details(a.Details)}").Order(StringComparer.Ordinal)]);
    });

    private static readonly Regex GuidPattern = new("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.Compiled);
    private static Regex Guids() => GuidPattern;
    private static readonly Regex TrailingZeros = new(@"(-?\d+\.\d*?)0+(?=[,}\]])", RegexOptions.Compiled);
    private static readonly Regex BarePoint = new(@"(-?\d+)\.(?=[,}\]])", RegexOptions.Compiled);

    /// <summary>
    /// Audit details with ids masked and numbers without trailing zeros: SQLite gives back stored decimals without their scale
    /// (590 for 590.00), so a single call that read an amount another call had saved writes "590" where the batch, which kept
    /// it in memory, writes "590.00" — the same amount.
    /// </summary>
    private static string Details(string json) => BarePoint.Replace(TrailingZeros.Replace(Guids().Replace(json, "<id>"), "$1"), "$1");

    private static void AssertSameRows(IReadOnlyList<string> singles, IReadOnlyList<string> batch, string what)
    {
        Assert.True(singles.Count > 0, $"no {what} rows");
        Assert.True(singles.SequenceEqual(batch, StringComparer.Ordinal),
            $"{what} differ.\nsingles:\n  {string.Join("\n  ", singles)}\nbatch:\n  {string.Join("\n  ", batch)}");
    }

    [Fact]
    public async Task Payments_one_at_a_time_and_in_one_batch_write_the_same_rows()
    {
        await using var one = app.CreateFresh(new Dictionary<string, string?>());
        await using var many = app.CreateFresh(new Dictionary<string, string?>());
        await one.InitializeAsync();
        await many.InitializeAsync();
        var s1 = await SetUpLedgerAsync(one);
        var s2 = await SetUpLedgerAsync(many);

        foreach (var command in Payments(s1))
        {
            await using var scope = one.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterAsync(command);
        }
        IReadOnlyList<PaymentResult> results;
        await using (var scope = many.Services.CreateAsyncScope())
            results = await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterManyAsync(Payments(s2));

        Assert.Equal(["P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7"], results.Select(r => r.Payment.Reference));
        Assert.Equal([0m, 0m, 340.10m, 0m, 50.00m, 0m, 0m, 0m], results.Select(r => r.Unallocated));

        var singles = await LedgerRowsAsync(one);
        var batch = await LedgerRowsAsync(many);
        AssertSameRows(singles.Payments, batch.Payments, "payments");
        AssertSameRows(singles.Allocations, batch.Allocations, "allocations");
        AssertSameRows(singles.OpenItems, batch.OpenItems, "open items");
        AssertSameRows(singles.JournalLines, batch.JournalLines, "journal lines");
        AssertSameRows(singles.Audit, batch.Audit, "audit records");

        // And what they are, by hand.
        var open = await many.QueryAsync(db => db.OpenItems.AsNoTracking().ToListAsync());
        decimal OpenOf(Guid invoiceId) => open.Single(o => o.SourceId == invoiceId && o.Side == OpenItemSide.Receivable).OpenAmount;
        Assert.All(["A1", "A2", "A3", "B1", "B2", "G1"], key => Assert.Equal(0m, OpenOf(s2.Invoices[key])));
        var credits = open.Where(o => o.Side == OpenItemSide.Credit).ToDictionary(o => o.DocumentNumber!, o => (o.Amount, o.OpenAmount));
        Assert.Equal((340.10m, 300.00m), credits["P2"]); // 500.00 − 61.50 − 98.40, then 40.10 refunded
        Assert.Equal((50.00m, 50.00m), credits["P4"]);
        var differences = await many.QueryAsync(db => db.PaymentAllocations.AsNoTracking().Where(a => a.ExchangeDifference != null)
            .Select(a => a.ExchangeDifference!.Value).ToListAsync());
        // 1000 × 4.2502 = 4250.20 − 6749.71 × 1000/1590 (4245.10) = 5.10; 590 × 4.2502 = 2507.62 − the rest 2504.61 = 3.01.
        Assert.Equal([3.01m, 5.10m], differences.Where(d => d != 0).Order());
        var gains = await many.QueryAsync(db => db.JournalLines.AsNoTracking().Where(l => l.AccountCode == "750").SumAsync(l => l.Credit));
        Assert.Equal(8.11m, gains);
    }

    [Fact]
    public async Task A_refused_payment_refuses_the_batch_names_it_and_writes_nothing()
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoiceId = (await sales.CreateAndIssueAsync(partyId, "100.00")).Id(); // 123.00
        var before = await app.QueryAsync(async db => (await db.Payments.CountAsync(), await db.JournalEntries.CountAsync(), await db.AuditEntries.CountAsync(),
            await db.OpenItems.Where(o => o.PartyId == partyId).SumAsync(o => o.OpenAmount)));

        await using var scope = app.Services.CreateAsyncScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        var refused = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterManyAsync(
        [
            new(partyId, null, 100.00m, "PLN", "ok", [new AllocationInput(invoiceId, 100.00m)]),
            new(partyId, null, 10.00m, "PLN", "ok too", null),
            // Only 23.00 − 10.00 = 13.00 is left after the two before it.
            new(partyId, null, 20.00m, "PLN", "too much", [new AllocationInput(invoiceId, 20.00m)]),
        ]));
        Assert.Equal(["payments[2].allocations[0].amount"], refused.Errors.Keys);
        Assert.Matches(@"has only 13\.00+ PLN left to pay", refused.Errors["payments[2].allocations[0].amount"][0]); // PostgreSQL reads 13.000000

        var badInput = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterManyAsync(
            [new(partyId, null, 10.00m, "PLN", "ok", null), new(partyId, null, -1m, "XXX", "bad", null), new(Guid.NewGuid(), null, 1m, "PLN", null, null)]));
        Assert.Contains("payments[1].amount", badInput.Errors.Keys);
        Assert.True(badInput.Errors.Count >= 2, string.Join(", ", badInput.Errors.Keys)); // the amount and the currency
        Assert.All(badInput.Errors.Keys, k => Assert.StartsWith("payments[1].", k));
        var missingParty = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterManyAsync(
            [new(partyId, null, 10.00m, "PLN", "ok", null), new(Guid.NewGuid(), null, 1m, "PLN", null, null)]));
        Assert.Equal(["payments[1].partyId"], missingParty.Errors.Keys);

        // The single call keeps its plain field names.
        var single = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterAsync(new(partyId, null, 200.00m, "PLN", "x", [new AllocationInput(invoiceId, 200.00m)])));
        Assert.Equal(["allocations[0].amount"], single.Errors.Keys);

        var after = await app.QueryAsync(async db => (await db.Payments.CountAsync(), await db.JournalEntries.CountAsync(), await db.AuditEntries.CountAsync(),
            await db.OpenItems.Where(o => o.PartyId == partyId).SumAsync(o => o.OpenAmount)));
        Assert.Equal(before, after);
        Assert.Equal(123.00m, after.Item4);
    }

    [Fact]
    public async Task A_refused_payment_is_said_in_the_readers_language()
    {
        // The UI asks in the person's language; the refusal's field errors come back in it, the ids as they are.
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var (unknownParty, unknownInvoice) = (Guid.NewGuid(), Guid.NewGuid());
        await using var scope = app.Services.CreateAsyncScope();
        var payments = scope.ServiceProvider.GetRequiredService<PaymentService>();
        async Task<(string Party, string Invoice)> RefusalsAsync()
        {
            var party = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterManyAsync([new(unknownParty, null, 1m, "PLN", null, null)]));
            var invoice = await Assert.ThrowsAsync<ValidationException>(() => payments.RegisterAsync(
                new(partyId, null, 10.00m, "PLN", "x", [new AllocationInput(unknownInvoice, 10.00m)])));
            return (Assert.Single(party.Errors["payments[0].partyId"]), Assert.Single(invoice.Errors["allocations[0].invoiceId"]));
        }

        using (UiLanguage.Use("pl"))
        {
            Assert.Equal(($"Kontrahent {unknownParty} nie istnieje.", $"Faktura {unknownInvoice} nie jest nierozliczoną fakturą tego kontrahenta w PLN."),
                await RefusalsAsync());
            CultureInfo.CurrentUICulture = new CultureInfo("ru");
            Assert.Equal(($"Контрагент {unknownParty} не существует.", $"Счёт-фактура {unknownInvoice} не является неоплаченным счётом этого контрагента в PLN."),
                await RefusalsAsync());
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal(($"Party {unknownParty} does not exist.", $"Invoice {unknownInvoice} is not an open PLN invoice of this party."), await RefusalsAsync());
        }
    }

    /// <summary>N payments, each of its own party with one invoice of 123.00, paid in full.</summary>
    private async Task<List<RegisterPayment>> PaymentsForNewPartiesAsync(int n, string reference)
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var commands = new List<RegisterPayment>();
        for (var i = 0; i < n; i++)
        {
            var partyId = (await sales.CreatePartyAsync()).Id();
            var invoiceId = (await sales.CreateAndIssueAsync(partyId, "100.00")).Id();
            commands.Add(i % 2 == 0
                ? new RegisterPayment(partyId, null, 123.00m, "PLN", $"{reference} {i}", [new AllocationInput(invoiceId, 123.00m)])
                : new RegisterPayment(partyId, null, 150.00m, "PLN", $"{reference} {i}", null)); // oldest first, 27.00 stays as credit
        }
        return commands;
    }

    private static bool IsRead(string sql) => sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task A_batch_of_payments_reads_as_much_for_20_as_for_1()
    {
        var reads = new Dictionary<int, List<string>>();
        foreach (var n in new[] { 1, 20 })
        {
            var commands = await PaymentsForNewPartiesAsync(n, $"N{n}");
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            using var counter = new ContextCounter(db);
            var results = await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterManyAsync(commands);
            Assert.Equal(n, results.Count);
            reads[n] = [.. counter.CommandTexts.Where(IsRead)];
        }
        Assert.True(reads[1].Count == reads[20].Count, $"reads grew: 1 → {reads[1].Count}, 20 → {reads[20].Count}:\n{string.Join("\n", reads[20])}");
        Assert.True(reads[20].Count <= 4, string.Join("\n", reads[20])); // parties, open items (+ the month's period row at most)
    }

    [Fact]
    public async Task A_payment_that_names_its_invoice_reads_that_invoices_item_only_not_every_open_item_of_the_party()
    {
        // A customer with six open invoices: paying one of them by name reads one open item, whatever the customer owes.
        var sales = await app.ClientAsync(Roles.Sales);
        var partyId = (await sales.CreatePartyAsync()).Id();
        var invoiceIds = new List<Guid>();
        for (var i = 0; i < 6; i++) invoiceIds.Add((await sales.CreateAndIssueAsync(partyId, "100.00")).Id());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
        using var counter = new ContextCounter(db);

        var result = await scope.ServiceProvider.GetRequiredService<PaymentService>()
            .RegisterAsync(new RegisterPayment(partyId, null, 123.00m, "PLN", "by name", [new AllocationInput(invoiceIds[3], 123.00m)]));

        Assert.Equal(0m, result.Unallocated);
        var openItemReads = counter.CommandTexts.Count(t => IsRead(t) && t.Contains("\"OpenItems\""));
        Assert.Equal(1, openItemReads);
        Assert.Equal(1, db.ChangeTracker.Entries<OpenItem>().Count(e => e.State != EntityState.Added));
    }

    // ---------------------------------------------------------------- orders → invoices

    /// <summary>
    /// Omega: O1 = product 500.00 × 2 −10 % (900.00 at 23 %) + transport 80.00 at 8 % → net 980.00, VAT 213.40, gross 1193.40;
    /// O2 = 4 × 125.50 at 23 % → 502.00 + 115.46 = 617.46. Sigma: O3 gross-priced 1 × 123.00 at 23 % → 100.00 + 23.00;
    /// O4 EUR 2 × 50.00 at 23 % → 100.00 + 23.00 = 123.00 EUR.
    /// </summary>
    private static async Task<List<Guid>> SetUpOrdersAsync(KontorApp host, string tag = "")
    {
        var sales = await host.ClientAsync(Roles.Sales);
        var omega = (await sales.CreatePartyAsync("Omega" + tag)).Id();
        var sigma = (await sales.CreatePartyAsync("Sigma" + tag)).Id();
        var product = await sales.CreateProductAsync("500.00", "23");
        var ids = new List<Guid>();
        async Task OrderAsync(object body) => ids.Add((await sales.PostCreatedAsync("/api/orders", body)).Id());
        await OrderAsync(new
        {
            partyId = omega, currency = "PLN", pricingMode = "Net", notes = "Dostawa na parter.",
            lines = new object[]
            {
                new { productId = product.Id(), quantity = 2, discountPercent = 10 },
                new { description = "Transport", quantity = 1, unit = "usł.", unitPrice = "80.00", vatRateCode = "8" },
            },
        });
        await OrderAsync(new { partyId = omega, currency = "PLN", pricingMode = "Net", lines = new[] { new { description = "Krzesło", quantity = "4", unitPrice = "125.50", vatRateCode = "23" } } });
        await OrderAsync(new { partyId = sigma, currency = "PLN", pricingMode = "Gross", lines = new[] { new { description = "Lampa", quantity = "1", unitPrice = "123.00", vatRateCode = "23" } } });
        await OrderAsync(new { partyId = sigma, currency = "EUR", pricingMode = "Net", lines = new[] { new { description = "Usługa", quantity = "2", unitPrice = "50.00", vatRateCode = "23" } } });
        return ids;
    }

    private sealed record InvoicingRows(List<string> Invoices, List<string> Lines, List<string> VatTotals, List<string> Links, List<string> Orders, List<string> Audit);

    private static async Task<InvoicingRows> InvoicingRowsAsync(KontorApp host) => await host.QueryAsync(async db =>
    {
        var parties = await db.Parties.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name);
        var invoices = await db.Invoices.AsNoTracking().Include(i => i.Lines).Include(i => i.VatTotals).Where(i => i.Notes != null && i.Notes.StartsWith("Zamówieni")).ToListAsync();
        var names = invoices.ToDictionary(i => i.Id, i => i.Notes!);
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        var orderNames = orders.ToDictionary(o => o.Id, o => o.Number);
        string Name(Guid? id) => id is null ? "-" : names.GetValueOrDefault(id.Value) ?? orderNames.GetValueOrDefault(id.Value) ?? parties.GetValueOrDefault(id.Value) ?? "?";
        var invoiceIds = names.Keys.Select(id => id.ToString()).ToList();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "order.invoiced" || (a.EntityType == "Invoice" && invoiceIds.Contains(a.EntityId))).ToListAsync();
        return new InvoicingRows(
            [.. invoices.Select(i => $"{i.Notes} {Name(i.PartyId)} {i.Kind} {i.Status} {i.Currency} {i.PricingMode} {i.IssueDate} {i.SaleDate} {i.PaymentTermDays} campaign {i.CampaignId} " +
                                     $"{i.TotalNet}/{i.TotalVat}/{i.TotalGross}").Order(StringComparer.Ordinal)],
            [.. invoices.SelectMany(i => i.Lines.Select(l => $"{i.Notes} #{l.Position} product {l.ProductId is not null} {l.Description} {l.Unit} {l.Quantity} × {l.UnitPrice} −{l.DiscountPercent}% " +
                $"{l.VatRateCode} {l.VatKind} {l.VatPercent} {l.Net}/{l.Vat}/{l.Gross} price {l.PriceSource} {l.PriceSourceName} {l.AutomaticUnitPrice} discount {l.DiscountSource} {l.AutomaticDiscountPercent}"))
                .Order(StringComparer.Ordinal)],
            [.. invoices.SelectMany(i => i.VatTotals.Select(v => $"{i.Notes} {v.VatRateCode} {v.Net}/{v.Vat}/{v.Gross}")).Order(StringComparer.Ordinal)],
            [.. (await db.DocumentLinks.AsNoTracking().ToListAsync()).Select(l => $"{l.FromType} {Name(l.FromId)} → {l.ToType} {Name(l.ToId)}").Order(StringComparer.Ordinal)],
            [.. orders.Select(o => $"{o.Number} {o.Status} invoice {Name(o.InvoiceId)}").Order(StringComparer.Ordinal)],
            [.. audit.Select(a => $"{a.Action} {a.EntityType} {Details(a.Details)}").Order(StringComparer.Ordinal)]);
    });

    [Fact]
    public async Task Orders_invoiced_one_at_a_time_and_in_one_batch_give_the_same_drafts()
    {
        await using var one = app.CreateFresh(new Dictionary<string, string?>());
        await using var many = app.CreateFresh(new Dictionary<string, string?>());
        await one.InitializeAsync();
        await many.InitializeAsync();
        var ids1 = await SetUpOrdersAsync(one);
        var ids2 = await SetUpOrdersAsync(many);

        foreach (var id in ids1)
        {
            await using var scope = one.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceAsync([id]);
        }
        IReadOnlyList<Sales.Invoice> made;
        await using (var scope = many.Services.CreateAsyncScope())
            made = await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceEachAsync(ids2);

        var singles = await InvoicingRowsAsync(one);
        var batch = await InvoicingRowsAsync(many);
        AssertSameRows(singles.Invoices, batch.Invoices, "invoices");
        AssertSameRows(singles.Lines, batch.Lines, "invoice lines");
        AssertSameRows(singles.VatTotals, batch.VatTotals, "VAT totals");
        AssertSameRows(singles.Links, batch.Links, "document links");
        AssertSameRows(singles.Orders, batch.Orders, "orders");
        AssertSameRows(singles.Audit, batch.Audit, "audit records");

        // By hand: one draft per order, in the order given, each with its order's totals and lines.
        Assert.Equal(4, made.Count);
        Assert.Equal([(980.00m, 213.40m, 1193.40m, "PLN"), (502.00m, 115.46m, 617.46m, "PLN"), (100.00m, 23.00m, 123.00m, "PLN"), (100.00m, 23.00m, 123.00m, "EUR")],
            made.Select(i => (i.TotalNet, i.TotalVat, i.TotalGross, i.Currency)));
        Assert.All(made, i => Assert.Equal(Sales.InvoiceStatus.Draft, i.Status));
        Assert.Equal([2, 1, 1, 1], made.Select(i => i.Lines.Count));
        var orders = await many.QueryAsync(db => db.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id));
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(made[k].Id, orders[ids2[k]].InvoiceId);
            Assert.Equal("Zamówienie: " + orders[ids2[k]].Number, made[k].Notes);
        }
    }

    [Fact]
    public async Task A_refused_order_refuses_the_batch_names_it_and_writes_nothing()
    {
        var ids = await SetUpOrdersAsync(app, " " + Guid.NewGuid().ToString("N")[..6]);
        var sales = await app.ClientAsync(Roles.Sales);
        await sales.PostOkAsync($"/api/orders/{ids[2]}/status", new { status = "Cancelled" });
        var number = await app.QueryAsync(db => db.Orders.Where(o => o.Id == ids[2]).Select(o => o.Number).SingleAsync());
        var before = await app.QueryAsync(async db => (await db.Invoices.CountAsync(), await db.DocumentLinks.CountAsync(), await db.AuditEntries.CountAsync(),
            await db.Orders.CountAsync(o => ids.Contains(o.Id) && o.InvoiceId != null)));

        await using var scope = app.Services.CreateAsyncScope();
        var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
        var conflict = await Assert.ThrowsAsync<ConflictException>(() => orders.InvoiceEachAsync(ids));
        Assert.Contains($"Order {number} is cancelled", conflict.Message);
        var missing = Guid.NewGuid();
        var notFound = await Assert.ThrowsAsync<ValidationException>(() => orders.InvoiceEachAsync([ids[0], missing]));
        Assert.Equal(["orderIds[1]"], notFound.Errors.Keys);
        Assert.Contains(missing.ToString(), notFound.Errors["orderIds[1]"][0]);
        var twice = await Assert.ThrowsAsync<ValidationException>(() => orders.InvoiceEachAsync([ids[0], ids[0]]));
        Assert.Equal(["orderIds"], twice.Errors.Keys);

        var after = await app.QueryAsync(async db => (await db.Invoices.CountAsync(), await db.DocumentLinks.CountAsync(), await db.AuditEntries.CountAsync(),
            await db.Orders.CountAsync(o => ids.Contains(o.Id) && o.InvoiceId != null)));
        Assert.Equal(before, after);
        Assert.Equal(0, after.Item4);
    }

    private async Task<List<Guid>> OrdersForNewPartiesAsync(int n)
    {
        var sales = await app.ClientAsync(Roles.Sales);
        var product = await sales.CreateProductAsync("40.00", "23");
        var ids = new List<Guid>();
        for (var i = 0; i < n; i++)
        {
            var partyId = (await sales.CreatePartyAsync()).Id();
            ids.Add((await sales.PostCreatedAsync("/api/orders", new
            {
                partyId, currency = "PLN", pricingMode = "Net",
                lines = new object[]
                {
                    new { productId = product.Id(), quantity = 1 },
                    new { description = "Wysyłka", quantity = "1", unitPrice = "15.00", vatRateCode = "23" },
                },
            })).Id());
        }
        return ids;
    }

    [Fact]
    public async Task Invoicing_a_batch_of_orders_reads_as_much_for_20_as_for_1()
    {
        var reads = new Dictionary<int, List<string>>();
        foreach (var n in new[] { 1, 20 })
        {
            var ids = await OrdersForNewPartiesAsync(n);
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
            using var counter = new ContextCounter(db);
            var made = await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceEachAsync(ids);
            Assert.Equal(n, made.Count);
            Assert.All(made, i => Assert.Equal(55.00m + 12.65m, i.TotalGross)); // 40.00 + 15.00 net, 23 % VAT
            reads[n] = [.. counter.CommandTexts.Where(IsRead)];
        }
        Assert.True(reads[1].Count == reads[20].Count, $"reads grew: 1 → {reads[1].Count}, 20 → {reads[20].Count}:\n{string.Join("\n", reads[20])}");
        // Orders with lines, advance invoices, parties, products, and the save's guard against merged parties.
        Assert.True(reads[20].Count <= 5, string.Join("\n", reads[20]));
    }

    // ---------------------------------------------------------------- inside an outer unit of work

    [Fact]
    public async Task Both_batches_join_an_outer_unit_of_work_and_roll_back_with_it()
    {
        var payments1 = await PaymentsForNewPartiesAsync(3, "outer");
        var orders1 = await OrdersForNewPartiesAsync(3);
        var payments2 = await PaymentsForNewPartiesAsync(2, "rolled back");
        var orders2 = await OrdersForNewPartiesAsync(2);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await unitOfWork.ExecuteAsync(async token =>
            {
                var paid = await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterManyAsync(payments1, token);
                var made = await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceEachAsync(orders1, token);
                Assert.Equal((3, 3), (paid.Count, made.Count));
                return 0;
            });
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => unitOfWork.ExecuteAsync<int>(async token =>
            {
                await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterManyAsync(payments2, token);
                await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceEachAsync(orders2, token);
                throw new InvalidOperationException("the caller fails after the batches");
            }));
        }

        var parties1 = payments1.Select(p => p.PartyId).ToList();
        var parties2 = payments2.Select(p => p.PartyId).ToList();
        var (paid1, open1, paid2, open2, invoiced1, invoiced2) = await app.QueryAsync(async db => (
            await db.Payments.CountAsync(p => parties1.Contains(p.PartyId)),
            await db.OpenItems.Where(o => parties1.Contains(o.PartyId) && o.Side == OpenItemSide.Receivable).SumAsync(o => o.OpenAmount),
            await db.Payments.CountAsync(p => parties2.Contains(p.PartyId)),
            await db.OpenItems.Where(o => parties2.Contains(o.PartyId) && o.Side == OpenItemSide.Receivable).SumAsync(o => o.OpenAmount),
            await db.Orders.CountAsync(o => orders1.Contains(o.Id) && o.InvoiceId != null),
            await db.Orders.CountAsync(o => orders2.Contains(o.Id) && o.InvoiceId != null)));
        Assert.Equal((3, 0m, 3), (paid1, open1, invoiced1));
        Assert.Equal((0, 2 * 123.00m, 0), (paid2, open2, invoiced2));
    }

    // ---------------------------------------------------------------- measurement (printed, not asserted)

    private sealed class Measure : IDisposable
    {
        private readonly List<ContextCounter> counters = [];
        private readonly TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        public int Saves;
        public void Watch(KontorDbContext db)
        {
            counters.Add(new ContextCounter(db));
            db.SavedChanges += (_, _) => Interlocked.Increment(ref Saves);
        }
        public int Reads => counters.Sum(c => c.CommandTexts.Count(IsRead));
        public int Commands => counters.Sum(c => c.Commands);
        public double CpuMs => (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        public void Dispose() { foreach (var c in counters) c.Dispose(); }
        public string Per(int n) => $"{(double)Reads / n:0.00} queries, {(double)Commands / n:0.00} commands, {(double)Saves / n:0.00} SaveChanges, {CpuMs / n:0.00} ms CPU per item";
    }

    [Fact]
    public async Task Prints_queries_saves_and_cpu_per_item_for_50_singles_and_one_batch_of_50()
    {
        const int n = 50;
        foreach (var round in new[] { "warm-up", "measured" })
        {
            var singlePayments = await PaymentsForNewPartiesAsync(n, "single");
            var batchPayments = await PaymentsForNewPartiesAsync(n, "batch");
            var singleOrders = await OrdersForNewPartiesAsync(n);
            var batchOrders = await OrdersForNewPartiesAsync(n);

            string singles, batch;
            using (var measure = new Measure())
            {
                foreach (var command in singlePayments)
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    measure.Watch(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
                    await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterAsync(command);
                }
                singles = measure.Per(n);
            }
            using (var measure = new Measure())
            {
                await using var scope = app.Services.CreateAsyncScope();
                measure.Watch(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
                await scope.ServiceProvider.GetRequiredService<PaymentService>().RegisterManyAsync(batchPayments);
                batch = measure.Per(n);
            }
            output.WriteLine($"[{app.Provider}, {round}] payments: {n} × RegisterAsync: {singles}");
            output.WriteLine($"[{app.Provider}, {round}] payments: RegisterManyAsync({n}): {batch}");

            using (var measure = new Measure())
            {
                foreach (var id in singleOrders)
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    measure.Watch(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
                    await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceAsync([id]);
                }
                singles = measure.Per(n);
            }
            using (var measure = new Measure())
            {
                await using var scope = app.Services.CreateAsyncScope();
                measure.Watch(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
                await scope.ServiceProvider.GetRequiredService<OrderService>().InvoiceEachAsync(batchOrders);
                batch = measure.Per(n);
            }
            output.WriteLine($"[{app.Provider}, {round}] orders: {n} × InvoiceAsync([id]): {singles}");
            output.WriteLine($"[{app.Provider}, {round}] orders: InvoiceEachAsync({n}): {batch}");
        }
    }
}

public sealed class SqliteBatchPaymentAndOrderInvoicingTests(SqliteApp app, ITestOutputHelper output) : BatchPaymentAndOrderInvoicingTests<SqliteApp>(app, output);

public sealed class PostgresBatchPaymentAndOrderInvoicingTests(PostgresApp app, ITestOutputHelper output) : BatchPaymentAndOrderInvoicingTests<PostgresApp>(app, output);
