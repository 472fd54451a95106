using Kontor.Common;
using Kontor.Ledger;

namespace Kontor.Tests.Unit;

public sealed class ExchangeDifferenceSplitTests
{
    private static readonly Currency Pln = Currency.Parse("PLN");

    [Fact]
    public void A_book_amount_is_shared_in_proportion_and_the_residue_goes_to_the_largest_part()
    {
        // 100.00 PLN over 1 : 1 : 1 → 33.33 each = 99.99; the missing 0.01 to the largest (the first of equals).
        Assert.Equal([33.34m, 33.33m, 33.33m], ExchangeDifferences.Split(100.00m, [1m, 1m, 1m], Pln));
        // 6757.82 over 500 + 1090: 2125.100 → 2125.10 and 4632.719 → 4632.72; 6757.82 exactly.
        Assert.Equal([2125.10m, 4632.72m], ExchangeDifferences.Split(6757.82m, [500m, 1090m], Pln));
        // A zero part (nothing unallocated) gets nothing.
        Assert.Equal([6757.82m, 0m], ExchangeDifferences.Split(6757.82m, [1590m, 0m], Pln));
    }

    [Fact]
    public void Taking_the_last_part_of_an_item_takes_all_its_book_amount_left()
    {
        var item = new OpenItem { Amount = 1590m, OpenAmount = 1590m, BaseAmount = 6749.71m, OpenBaseAmount = 6749.71m };
        // 6749.71 × 500 / 1590 = 2122.550314… → 2122.55
        Assert.Equal(2122.55m, ExchangeDifferences.TakeBase(item, 500m, Pln));
        item.OpenAmount = 1090m;
        Assert.Equal(4627.16m, ExchangeDifferences.TakeBase(item, 1090m, Pln));
        Assert.Equal(0m, item.OpenBaseAmount);
        Assert.Null(ExchangeDifferences.TakeBase(new OpenItem { Amount = 10m, OpenAmount = 10m }, 5m, Pln));
    }
}
