namespace Kontor.Tests.Infrastructure;

/// <summary>A clock the tests set by hand, so issue dates, due dates and "overdue" are deterministic.</summary>
public sealed class TestClock : TimeProvider
{
    private long ticks; // UTC ticks, read and written atomically

    public TestClock(DateTimeOffset start) => Set(start);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    /// <summary>Sets the clock to 10:00 UTC of <paramref name="date"/>, which is the same calendar day in Europe/Warsaw.</summary>
    public void SetDate(DateOnly date) => Set(new DateTimeOffset(date.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));

    public void Set(DateTimeOffset instant) => Interlocked.Exchange(ref ticks, instant.UtcTicks);
}
