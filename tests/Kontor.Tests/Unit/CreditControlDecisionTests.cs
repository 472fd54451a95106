using Kontor.Crm.Credit;

namespace Kontor.Tests.Unit;

/// <summary>The credit rule itself, table-driven: limit, balance, the new document, days overdue vs the threshold.</summary>
public sealed class CreditControlDecisionTests
{
    public static TheoryData<string, decimal?, decimal, decimal, string, int, string> Cases => new()
    {
        // case, limit (PLN), balance (PLN), document gross, document currency, days overdue, expected reasons
        { "under limit", 1000m, 600m, 399.99m, "PLN", 0, "" },
        { "exactly at limit", 1000m, 600m, 400.00m, "PLN", 0, "" },
        { "over limit by a grosz", 1000m, 600m, 400.01m, "PLN", 0, "LimitExceeded" },
        { "balance alone over limit", 1000m, 1200m, 10m, "PLN", 0, "LimitExceeded" },
        { "no limit", null, 1_000_000m, 500_000m, "PLN", 0, "" },
        { "zero limit refuses any sale", 0m, 0m, 0.01m, "PLN", 0, "LimitExceeded" },
        { "overdue 29 days, threshold 30", null, 100m, 10m, "PLN", 29, "" },
        { "overdue 30 days, threshold 30", null, 100m, 10m, "PLN", 30, "" },
        { "overdue 31 days, threshold 30", null, 100m, 10m, "PLN", 31, "Overdue" },
        { "over limit and overdue", 1000m, 900m, 200m, "PLN", 45, "LimitExceeded,Overdue" },
        // A document in another currency is not added to a PLN limit (no rate): refused only once the limit is used up.
        { "other currency, limit not used up", 1000m, 999.99m, 5000m, "EUR", 0, "" },
        { "other currency, limit used up exactly", 1000m, 1000m, 1m, "EUR", 0, "LimitExceeded" },
        { "other currency, over limit", 1000m, 1500m, 1m, "EUR", 0, "LimitExceeded" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_per_limit_and_overdue_threshold(string name, decimal? limit, decimal balance, decimal gross, string currency, int daysOverdue, string expected)
    {
        var reasons = CreditControl.Decide(limit, "PLN", balance, gross, currency, daysOverdue, overdueDaysThreshold: 30);
        Assert.True(expected == string.Join(",", reasons), $"{name}: expected [{expected}], got [{string.Join(",", reasons)}]");
    }

    [Fact]
    public void Message_names_limit_excess_and_overdue_figures()
    {
        var decision = new CreditDecision(Guid.NewGuid(), "Hurtownia Beta", "PLN", 1000m, 900m, "PLN", 230m, 1130m, 130m,
            450m, 45, 30, [CreditBlockReason.LimitExceeded, CreditBlockReason.Overdue]);
        Assert.Equal("Credit control blocks new documents for Hurtownia Beta: credit limit 1000.00 PLN exceeded by 130.00 PLN (balance 900.00 + this document 230.00); "
                     + "overdue debt 45 days past due, more than the allowed 30 days (overdue 450.00 PLN). A user with the OverrideCreditBlock permission may approve it with a reason.",
            decision.Message);
    }
}
