using Kontor.CustomerCard;
using Kontor.Ledger;
using Kontor.Orders;

namespace Kontor.Tests.Unit;

/// <summary>
/// The timeline's words: the API's English text (dates ISO, instants UTC, enums by name, words inside words), and the
/// " · " list that leaves out what is not there.
/// </summary>
public sealed class TimelineTextTests
{
    public static TheoryData<TimelineText?, string?> Cases() => new()
    {
        { new TimelineText("due {0}", new DateOnly(2026, 3, 16)), "due 2026-03-16" },
        { new TimelineText("not done yet, due {0}", new DateTimeOffset(2026, 3, 16, 9, 30, 0, TimeSpan.FromHours(1))), "not done yet, due 2026-03-16 08:30 UTC" },
        { TimelineText.Joined(OrderStatus.Shipped, "InPost 6201"), "Shipped · InPost 6201" },
        { TimelineText.Joined(OrderStatus.Shipped, ""), "Shipped" },
        { TimelineText.Joined(null, "P24 #4711"), "P24 #4711" },
        { TimelineText.Joined(PaymentVia.GatewayClearing, null), "GatewayClearing" },
        { TimelineText.Joined(null, ""), null },
        { TimelineText.Joined("Rozmowa {0}", new TimelineText("not done yet")), "Rozmowa {0} · not done yet" },
        { new TimelineText("{0}: {1}", "FV/1/2026", null), "FV/1/2026: " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void English_text(TimelineText? words, string? expected) => Assert.Equal(expected, words?.English());

    [Fact]
    public void Worded_entries_keep_the_words_and_give_the_API_their_English()
    {
        var entry = new TimelineEntry(DateTimeOffset.UnixEpoch, null, TimelineKinds.Payment, "", "kept", 1m, "PLN", null, Guid.NewGuid())
            .Worded(title: new TimelineText("Payment received"));
        Assert.Equal(("Payment received", "kept", "Payment received", null), (entry.Title, entry.Summary, entry.TitleText!.Key, entry.SummaryText));
    }
}
