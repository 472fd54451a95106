using System.Data.Common;
using System.Diagnostics;
using Kontor.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kontor.Tests.Infrastructure;

/// <summary>
/// The SQL statements EF sends to one test host's database, from every DbContext of that host (a page render opens scopes
/// of its own, so <see cref="ContextCounter"/> cannot see them). Statements are told apart by the database they go to
/// (SQLite file / PostgreSQL database name), which is the host's own: other test classes running in parallel use other
/// databases, and the tests of one class run one after another.
/// </summary>
public sealed class DatabaseCommandCounter : EfDiagnosticsObserver
{
    private readonly string database;
    private readonly List<string> texts = [];
    private readonly HashSet<object> seen = new(ReferenceEqualityComparer.Instance);

    private DatabaseCommandCounter(string database) => this.database = database;

    /// <summary>
    /// Starts counting on <paramref name="app"/>'s database. The reference-data snapshot is made fresh first, so its
    /// reload (once a minute, by the real clock) does not fall into what is measured.
    /// </summary>
    public static async Task<DatabaseCommandCounter> StartAsync(KontorApp app)
    {
        var referenceData = app.Services.GetRequiredService<ReferenceData>();
        referenceData.Invalidate();
        await referenceData.GetAsync();
        return new(await app.QueryAsync(db => Task.FromResult(Key(db.Database.GetDbConnection()))));
    }

    private static string Key(DbConnection connection) => $"{connection.DataSource}|{connection.Database}";

    /// <summary>The text of every statement so far, in the order they ran.</summary>
    public IReadOnlyList<string> Texts { get { lock (texts) return texts.ToList(); } }

    /// <summary>Statements whose text mentions <paramref name="table"/> as a quoted identifier (both providers quote EF's names).</summary>
    public int Reading(string table) => Texts.Count(t => t.Contains($"\"{table}\"", StringComparison.Ordinal));

    public void Reset() { lock (texts) { texts.Clear(); seen.Clear(); } }

    public override void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key == RelationalEventId.CommandExecuted.Name && e.Value is CommandExecutedEventData executed && Key(executed.Connection) == database)
            lock (texts) if (seen.Add(executed)) texts.Add(executed.Command.CommandText);
    }
}
