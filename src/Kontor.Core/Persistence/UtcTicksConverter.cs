using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kontor.Persistence;

/// <summary>
/// Instants as UTC ticks on SQLite, where a text timestamp cannot be ordered or compared in SQL.
/// Kontor keeps every instant in UTC, so nothing is lost.
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    stored => new DateTimeOffset(stored, TimeSpan.Zero));
