using System.Globalization;
using Kontor.Security;
using Kontor.Tests.Infrastructure;

namespace Kontor.Tests.Integration;

/// <summary>Whatever mix of invoices and payments, the books balance and receivables equal invoices minus payments.</summary>
public abstract class LedgerBalanceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : KontorApp
{
    [Fact]
    public async Task Books_stay_balanced_through_a_mix_of_invoices_and_payments()
    {
        var random = new Random(20260320);
        var sales = await app.ClientAsync(Roles.Sales);
        var accountant = await app.ClientAsync(Roles.Accountant);
        var parties = new List<Guid>();
        for (var i = 0; i < 3; i++) parties.Add((await sales.CreatePartyAsync()).Id());
        string[] rates = ["23", "8", "5", "0", "zw"];
        decimal invoicedGross = 0, invoicedNet = 0, invoicedVat = 0, paid = 0;

        for (var operation = 0; operation < 30; operation++)
        {
            var partyId = parties[random.Next(parties.Count)];
            if (operation < 3 || random.Next(3) > 0)
            {
                var net = random.Next(1, 500_000) / 100m;
                var rate = rates[random.Next(rates.Length)];
                var percent = rate == "zw" ? 0m : decimal.Parse(rate, CultureInfo.InvariantCulture);
                var vat = Math.Round(net * percent / 100m, 2, MidpointRounding.AwayFromZero);
                var issued = await sales.CreateAndIssueAsync(partyId, net.ToString("F2", CultureInfo.InvariantCulture), rate);
                Assert.Equal(net + vat, issued.Amount("totalGross"));
                invoicedNet += net;
                invoicedVat += vat;
                invoicedGross += net + vat;
            }
            else
            {
                // Sometimes less than owed, sometimes more (an overpayment stays on the party as credit).
                var amount = random.Next(1, 300_000) / 100m;
                await accountant.PayAsync(partyId, amount.ToString("F2", CultureInfo.InvariantCulture));
                paid += amount;
            }
        }

        var trialBalance = await accountant.GetOkAsync("/api/ledger/trial-balance");
        Assert.True(trialBalance["balanced"]!.GetValue<bool>());
        var total = Assert.Single(trialBalance.Arr("totals"))!;
        Assert.Equal(total.Amount("debit"), total.Amount("credit"));
        Assert.Equal(invoicedGross + paid, total.Amount("debit")); // 201 Dr gross per invoice + 130 Dr per payment
        var rows = trialBalance.Arr("rows").ToDictionary(r => r!.Str("accountCode"), r => r!);
        Assert.Equal(invoicedGross - paid, rows["201"].Amount("debit") - rows["201"].Amount("credit"));
        Assert.Equal(paid, rows["130"].Amount("debit"));
        Assert.Equal(invoicedNet, rows["700"].Amount("credit"));
        Assert.Equal(invoicedVat, rows.TryGetValue("221", out var vatRow) ? vatRow.Amount("credit") : 0m);

        // The customer cards add up to the same receivables.
        decimal cards = 0;
        foreach (var partyId in parties) cards += (await sales.GetOkAsync($"/api/parties/{partyId}/overview")).Amount("balance");
        Assert.Equal(invoicedGross - paid, cards);
    }
}

public sealed class SqliteLedgerBalanceTests(SqliteApp app) : LedgerBalanceTests<SqliteApp>(app);

public sealed class PostgresLedgerBalanceTests(PostgresApp app) : LedgerBalanceTests<PostgresApp>(app);
