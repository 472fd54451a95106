using System.Net;
using System.Text.Json.Nodes;
using Kontor.Ledger;
using Kontor.Security;
using Kontor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Tests.Integration;

/// <summary>
/// Purchase invoices: booking posts expense, deductible VAT and the supplier's payable by hand-computed amounts, opens a
/// payable that supplier payments and corrections settle, AP aging buckets, immutability and bad input.
/// </summary>
public abstract class PurchaseInvoiceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    private static object Line(string net, string rate, string account, string deduction = "Full", string? percent = null, string? vat = null) =>
        new { description = "Pozycja", net, vatRateCode = rate, vat, accountCode = account, deduction, deductiblePercent = percent };

    private static Task<JsonNode> DraftAsync(HttpClient client, Guid supplierId, string number, DateOnly issue, DateOnly? receipt, DateOnly? due, object[] lines,
        Guid? correctedId = null, string currency = "PLN") =>
        client.PostCreatedAsync("/api/purchase-invoices", new
        {
            supplierId,
            supplierInvoiceNumber = number,
            issueDate = issue,
            receiptDate = receipt,
            dueDate = due,
            currency,
            lines,
            correctedInvoiceId = correctedId,
            correctionReason = correctedId is null ? null : "Rabat potransakcyjny",
        });

    private static (decimal Debit, decimal Credit) Side(JsonNode entry, string account, Guid? partyId = null)
    {
        var lines = entry.Arr("lines").Where(l => l!.Str("accountCode") == account && (partyId is null || l!["partyId"]?.GetValue<string>() == partyId.ToString())).ToList();
        return (lines.Sum(l => l!.Amount("debit")), lines.Sum(l => l!.Amount("credit")));
    }

    [Fact]
    public async Task Booking_posts_expense_deductible_VAT_and_payable_and_payments_and_a_correction_settle_it()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync("Dostawca Prądu sp. z o.o.")).Id();
        // 1000.00 at 23 % to 401, VAT 230.00 deductible; 200.00 at 8 % to 402, VAT 16.00 not deductible;
        // 500.00 at 23 % to 402, VAT 115.00 half deductible (57.50). Net 1700.00, VAT 361.00, gross 2061.00, deductible 287.50.
        var draft = await DraftAsync(accountant, supplierId, "FV/2026/03/77", new(2026, 3, 2), new(2026, 3, 5), new(2026, 3, 31),
            [Line("1000.00", "23", "401"), Line("200.00", "8", "402", "None"), Line("500.00", "23", "402", "Partial", "50")]);
        Assert.Equal(("Draft", 1700.00m, 361.00m, 2061.00m, 287.50m),
            (draft.Str("status"), draft.Amount("totalNet"), draft.Amount("totalVat"), draft.Amount("totalGross"), draft.Amount("deductibleVat")));

        var booked = await accountant.PostOkAsync($"/api/purchase-invoices/{draft.Id()}/book");
        Assert.Equal("Booked", booked.Str("status"));
        var entry = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={draft.Id()}")).AsArray().Single()!;
        Assert.Equal((1000.00m, 0m), Side(entry, "401"));
        Assert.Equal((773.50m, 0m), Side(entry, "402")); // 200.00 + 16.00 + 500.00 + 57.50
        Assert.Equal((287.50m, 0m), Side(entry, "222"));
        Assert.Equal((0m, 2061.00m), Side(entry, "202", supplierId));

        var payable = await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == draft.Id()));
        Assert.Equal((OpenItemSide.Payable, 2061.00m, 2061.00m, new DateOnly(2026, 3, 31)), (payable.Side, payable.Amount, payable.OpenAmount, payable.DueDate));

        // Pay 1000.00 of it: Dr 202 / Cr 130; 1061.00 left.
        var payment = await accountant.PostCreatedAsync("/api/supplier-payments", new
        {
            partyId = supplierId, date = new DateOnly(2026, 3, 20), amount = new { amount = "1000.00", currency = "PLN" }, reference = "Przelew 1",
            allocations = new[] { new { invoiceId = draft.Id(), amount = "1000.00" } },
        });
        var paymentEntry = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={payment.Id()}")).AsArray().Single()!;
        Assert.Equal(((1000.00m, 0m), (0m, 1000.00m)), (Side(paymentEntry, "202", supplierId), Side(paymentEntry, "130")));
        Assert.Equal(1061.00m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == draft.Id()))).OpenAmount);

        // A correction lowering 1000.00 at 23 % by 100.00: Cr 401 100.00, Cr 222 23.00, Dr 202 123.00; the payable drops to 938.00.
        var correction = await DraftAsync(accountant, supplierId, "KOR/2026/03/5", new(2026, 3, 25), null, null, [Line("-100.00", "23", "401")], draft.Id());
        Assert.Equal(("Correction", -123.00m), (correction.Str("kind"), correction.Amount("totalGross")));
        await accountant.PostOkAsync($"/api/purchase-invoices/{correction.Id()}/book");
        var correctionEntry = (await accountant.GetOkAsync($"/api/ledger/entries?documentId={correction.Id()}")).AsArray().Single()!;
        Assert.Equal((0m, 100.00m), Side(correctionEntry, "401"));
        Assert.Equal((0m, 23.00m), Side(correctionEntry, "222"));
        Assert.Equal((123.00m, 0m), Side(correctionEntry, "202", supplierId));
        Assert.Equal(938.00m, (await app.QueryAsync(db => db.OpenItems.SingleAsync(o => o.SourceId == draft.Id()))).OpenAmount);
        var list = (await accountant.GetOkAsync($"/api/purchase-invoices?supplierId={supplierId}")).AsArray();
        Assert.Equal(938.00m, list.Single(i => i!.Str("id") == draft.Str("id"))!.Amount("openAmount"));

        // Booked documents never change; a second booking is refused.
        var (status, _, _) = await accountant.SendAsync(HttpMethod.Put, $"/api/purchase-invoices/{draft.Id()}", new
        {
            supplierId, supplierInvoiceNumber = "FV/2026/03/77", issueDate = new DateOnly(2026, 3, 2), lines = new[] { Line("1.00", "23", "401") },
        });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(HttpStatusCode.Conflict, (await accountant.SendAsync(HttpMethod.Post, $"/api/purchase-invoices/{draft.Id()}/book")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await accountant.SendAsync(HttpMethod.Delete, $"/api/purchase-invoices/{draft.Id()}")).Status);
    }

    [Fact]
    public async Task AP_aging_puts_what_was_owed_on_a_day_into_buckets_by_days_overdue()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierA = (await accountant.CreatePartyAsync("Aging A " + Guid.NewGuid().ToString("N")[..6])).Id();
        var supplierB = (await accountant.CreatePartyAsync("Aging B " + Guid.NewGuid().ToString("N")[..6])).Id();
        async Task<Guid> BookAsync(Guid supplier, string number, DateOnly issue, DateOnly due, string net)
        {
            var d = await DraftAsync(accountant, supplier, number, issue, null, due, [Line(net, "23", "402")]);
            await accountant.PostOkAsync($"/api/purchase-invoices/{d.Id()}/book");
            return d.Id();
        }
        // A: 1230.00 due 2026-01-10, 246.00 due 2026-03-31 (123.00 paid on 2026-04-01); B: 615.00 due 2026-05-20.
        await BookAsync(supplierA, "A-1", new(2026, 1, 2), new(2026, 1, 10), "1000.00");
        var a2 = await BookAsync(supplierA, "A-2", new(2026, 3, 1), new(2026, 3, 31), "200.00");
        await BookAsync(supplierB, "B-1", new(2026, 4, 20), new(2026, 5, 20), "500.00");
        await accountant.PostCreatedAsync("/api/supplier-payments", new
        {
            partyId = supplierA, date = new DateOnly(2026, 4, 1), amount = new { amount = "123.00", currency = "PLN" }, reference = "Część",
            allocations = new[] { new { invoiceId = a2, amount = "123.00" } },
        });

        // As of 2026-05-15: A-1 125 days overdue (>90), A-2 45 days (31–60, 123.00 left), B-1 not yet due (current).
        var aging = await accountant.GetOkAsync("/api/payables/aging?asOf=2026-05-15");
        Assert.Equal(["current", "1-30", "31-60", "61-90", ">90"], aging.Arr("buckets").Select(b => b!.Str("label")).ToArray());
        var rowA = aging.Arr("rows").Single(r => r!.Str("supplierId") == supplierA.ToString())!;
        Assert.Equal([0m, 0m, 123.00m, 0m, 1230.00m], rowA.Arr("amounts").Select(m => decimal.Parse(m!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(1353.00m, rowA.Amount("total"));
        var rowB = aging.Arr("rows").Single(r => r!.Str("supplierId") == supplierB.ToString())!;
        Assert.Equal(615.00m, decimal.Parse(rowB.Arr("amounts")[0]!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        // As of 2026-03-31 (before the payment; B not yet received): A-1 80 days (61–90), A-2 due today (current, all 246.00).
        var earlier = await accountant.GetOkAsync($"/api/payables/aging?asOf=2026-03-31&supplierId={supplierA}");
        var row = earlier.Arr("rows").Single()!;
        Assert.Equal([246.00m, 0m, 0m, 1230.00m, 0m], row.Arr("amounts").Select(m => decimal.Parse(m!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        // Configurable buckets: 10,100 → current, 1-10, 11-100, >100.
        var custom = await accountant.GetOkAsync($"/api/payables/aging?asOf=2026-05-15&buckets=10,100&supplierId={supplierA}");
        Assert.Equal(["current", "1-10", "11-100", ">100"], custom.Arr("buckets").Select(b => b!.Str("label")).ToArray());
        Assert.Equal([0m, 0m, 123.00m, 1230.00m], custom.Arr("rows")[0]!.Arr("amounts").Select(m => decimal.Parse(m!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToArray());

        // The same figures exported (the report export: CSV for Polish Excel, XLSX with numbers): supplier A's row and the PLN total.
        var sheet = XlsxSheet.Rows(await accountant.DownloadAsync($"/api/payables/aging?asOf=2026-05-15&supplierId={supplierA}&format=xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.Equal(["Waluta", "Dostawca", "Bieżące", "1-30", "31-60", "61-90", ">90", "Razem"], sheet.RowWith(0, "Waluta"));
        Assert.Equal(["PLN", "Razem", "0", "0", "123", "0", "1230", "1353"], sheet.RowWith(1, "Razem"));
        var csvRows = System.Text.Encoding.UTF8.GetString((await accountant.DownloadAsync($"/api/payables/aging?asOf=2026-05-15&supplierId={supplierA}&format=csv", "text/csv"))[3..])
            .Split("\r\n").Select(l => l.Split(';')).ToList();
        Assert.Contains(csvRows, r => r is ["PLN", "Razem", "0,00", "0,00", "123,00", "0,00", "1230,00", "1353,00"]);

        var (status, body, _) = await accountant.SendAsync(HttpMethod.Get, "/api/payables/aging?buckets=60,30");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["buckets"]);
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field_and_roles_are_enforced()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync()).Id();

        async Task ExpectFieldAsync(object body, string field)
        {
            var (status, json, _) = await accountant.SendAsync(HttpMethod.Post, "/api/purchase-invoices", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {json?.ToJsonString()}");
            Assert.True(json!["errors"]?[field] is not null, $"expected an error on {field}: {json.ToJsonString()}");
        }
        var issue = new DateOnly(2026, 3, 2);
        await ExpectFieldAsync(new { supplierId, issueDate = issue, lines = new[] { Line("10.00", "23", "401") } }, "supplierInvoiceNumber");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", lines = new[] { Line("10.00", "23", "401") } }, "issueDate");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("10.00", "17", "401") } }, "lines[0].vatRateCode");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("10.00", "23", "201") } }, "lines[0].accountCode");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("10.00", "23", "999") } }, "lines[0].accountCode");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("100.00", "23", "401", vat: "30.00") } }, "lines[0].vat");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("100.001", "23", "401") } }, "lines[0].net");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("100.00", "23", "401", "Partial") } }, "lines[0].deductiblePercent");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("-100.00", "23", "401") } }, "lines");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, receiptDate = issue.AddDays(-1), lines = new[] { Line("10.00", "23", "401") } }, "receiptDate");
        await ExpectFieldAsync(new { supplierId = Guid.NewGuid(), supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { Line("10.00", "23", "401") } }, "supplierId");
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "X1", issueDate = issue, lines = new[] { new { net = "ten", vatRateCode = "23", accountCode = "401" } } }, "lines[0].net");
        // A stated VAT within the supplier's rounding is kept as stated.
        var rounded = await DraftAsync(accountant, supplierId, "R-1", issue, null, null, [Line("100.00", "23", "401", vat: "23.02")]);
        Assert.Equal(23.02m, rounded.Amount("totalVat"));

        // The same supplier number twice: refused naming it; another supplier may use it.
        await DraftAsync(accountant, supplierId, "DUP-1", issue, null, null, [Line("10.00", "23", "401")]);
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "DUP-1", issueDate = issue, lines = new[] { Line("10.00", "23", "401") } }, "supplierInvoiceNumber");
        var other = (await accountant.CreatePartyAsync()).Id();
        await DraftAsync(accountant, other, "DUP-1", issue, null, null, [Line("10.00", "23", "401")]);

        // A correction names a booked invoice of the same supplier.
        var unbooked = await DraftAsync(accountant, supplierId, "U-1", issue, null, null, [Line("10.00", "23", "401")]);
        await ExpectFieldAsync(new { supplierId, supplierInvoiceNumber = "K-1", issueDate = issue, correctedInvoiceId = unbooked.Id(), correctionReason = "x", lines = new[] { Line("-1.00", "23", "401") } }, "correctedInvoiceId");

        // Sales may not enter purchases, nor read them; Manager may read.
        var sales = await app.ClientAsync(Roles.Sales);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Post, "/api/purchase-invoices", new { supplierId })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await sales.SendAsync(HttpMethod.Get, "/api/purchase-invoices")).Status);
        var manager = await app.ClientAsync(Roles.Manager);
        Assert.Equal(HttpStatusCode.OK, (await manager.SendAsync(HttpMethod.Get, "/api/purchase-invoices")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.SendAsync(HttpMethod.Post, $"/api/purchase-invoices/{unbooked.Id()}/book")).Status);
    }

    [Fact]
    public async Task Booking_into_a_closed_month_is_refused_and_leaves_a_draft()
    {
        var accountant = await app.ClientAsync(Roles.Accountant);
        var supplierId = (await accountant.CreatePartyAsync()).Id();
        // December 2025 can close on its own: nothing in this database is dated before it.
        await accountant.PostOkAsync("/api/ledger/periods/2025/12/close");
        var draft = await DraftAsync(accountant, supplierId, "OLD-1", new(2025, 12, 20), null, null, [Line("10.00", "23", "401")]);
        var (status, body, _) = await accountant.SendAsync(HttpMethod.Post, $"/api/purchase-invoices/{draft.Id()}/book");
        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{(int)status} {body?.ToJsonString()}");
        Assert.Equal("Draft", (await accountant.GetOkAsync($"/api/purchase-invoices/{draft.Id()}")).Str("status"));
        Assert.False(await app.QueryAsync(db => db.OpenItems.AnyAsync(o => o.SourceId == draft.Id())));
    }
}

public sealed class SqlitePurchaseInvoiceTests(SqliteApp app) : PurchaseInvoiceTests<SqliteApp>(app);

public sealed class PostgresPurchaseInvoiceTests(PostgresApp app) : PurchaseInvoiceTests<PostgresApp>(app);
