namespace Kontor.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Configuration section "Database"; the connection string is ConnectionStrings:Kontor.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Seed the demo company, customers, products and invoices into an empty database.</summary>
    public bool SeedDemoData { get; set; } = true;
}
