namespace Kontor.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>SQLite's <c>PRAGMA synchronous</c> (decisions §39): Full survives power loss and OS crashes, Normal only process crashes.</summary>
public enum SqliteSynchronous { Full, Normal }

/// <summary>Configuration section "Database"; the connection string is ConnectionStrings:Kontor.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Seed the demo company, customers, products and invoices into an empty database.</summary>
    public bool SeedDemoData { get; set; } = true;
    /// <summary>
    /// SQLite only. Full (default): every commit is on disk before it returns, so an order answered 2xx or an invoice number
    /// handed out survives a power cut. Normal: faster, durable across process crashes (kill -9) but the last commits may roll
    /// back after a power cut or OS crash.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;
}
