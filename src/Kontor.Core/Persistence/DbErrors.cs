using Microsoft.EntityFrameworkCore;

namespace Kontor.Persistence;

/// <summary>
/// Reading the two providers' errors in one place: where a unique index decides a race (one order per shop order, one
/// recurring run per period, one import per statement), the loser recognises its violation here.
/// </summary>
public static class DbErrors
{
    /// <summary>
    /// Whether <paramref name="e"/> (a <see cref="DbUpdateException"/>) is a unique-index violation — on
    /// <paramref name="table"/> when given, and on exactly the index over <paramref name="columns"/> when they are given
    /// (EF's index naming, IX_{table}_{columns}; SQLite names the columns in its message).
    /// </summary>
    public static bool IsUniqueViolation(Exception e, string? table = null, params string[] columns) => (e as DbUpdateException)?.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation
                                       && (table is null || pg.TableName == table)
                                       && (columns.Length == 0 || pg.ConstraintName == $"IX_{table}_{string.Join("_", columns)}"),
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067 /* SQLITE_CONSTRAINT_UNIQUE */
                                       && (table is null || sqlite.Message.Contains(
                                           columns.Length == 0 ? $" {table}." : "failed: " + string.Join(", ", columns.Select(c => $"{table}.{c}")), StringComparison.Ordinal)),
        _ => false,
    };
}
