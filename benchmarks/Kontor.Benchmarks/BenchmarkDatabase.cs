using Kontor.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kontor.Benchmarks;

/// <summary>A fresh, empty database for one run, removed afterwards unless asked to keep it.</summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly DatabaseProvider provider;
    private readonly string? serverConnectionString;
    private readonly string? databaseName;
    private readonly string? sqliteFile;
    private readonly bool keep;

    public string ConnectionString { get; }
    public string Description { get; }

    private BenchmarkDatabase(DatabaseProvider provider, string connectionString, string description, string? serverConnectionString, string? databaseName, string? sqliteFile, bool keep)
    {
        this.provider = provider;
        ConnectionString = connectionString;
        Description = description;
        this.serverConnectionString = serverConnectionString;
        this.databaseName = databaseName;
        this.sqliteFile = sqliteFile;
        this.keep = keep;
    }

    public static async Task<BenchmarkDatabase> CreateAsync(BenchmarkOptions options)
    {
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            var file = options.SqliteFile ?? Path.Combine(Path.GetTempPath(), $"kontor-bench-{Guid.NewGuid():N}.db");
            DeleteSqliteFiles(file);
            var connection = new SqliteConnectionStringBuilder { DataSource = file }.ToString();
            return new BenchmarkDatabase(options.Provider, connection, file, null, null, file, options.Keep);
        }

        var server = new NpgsqlConnectionStringBuilder(options.PostgresServer);
        var name = $"kontor_bench_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(1000, 9999)}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        return new BenchmarkDatabase(options.Provider, target.ConnectionString, $"{target.Host}:{target.Port}/{name}", server.ConnectionString, name, null, options.Keep);
    }

    public async ValueTask DisposeAsync()
    {
        if (keep) return;
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            DeleteSqliteFiles(sqliteFile!);
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(serverConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static void DeleteSqliteFiles(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" })
            if (File.Exists(path)) File.Delete(path);
    }
}
