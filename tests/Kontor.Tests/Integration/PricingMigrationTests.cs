using Kontor.Crm;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kontor.Tests.Integration;

/// <summary>
/// A database that shipped before pricing, with customers whose price group was free text, keeps working:
/// the Pricing migration turns every name in use into a price group, once.
/// </summary>
public abstract class PricingMigrationTests
{
    private const string InitialMigration = "20261123203311_Initial";

    protected abstract DatabaseProvider Provider { get; }
    protected abstract Task<string> CreateDatabaseAsync();
    protected abstract Task DropDatabaseAsync(string connectionString);

    [Fact]
    public async Task Existing_free_text_price_groups_become_price_groups_and_customers_keep_them()
    {
        var connectionString = await CreateDatabaseAsync();
        try
        {
            var services = new ServiceCollection();
            KontorServices.AddDatabase(services, Provider, connectionString);
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
                await db.GetService<IMigrator>().MigrateAsync(InitialMigration);
                // Raw SQL with the columns the table had then: the current model has columns later migrations add.
                foreach (var group in new[] { "B2B", "B2B", "VIP", null, "  " })
                {
                    var (id, name, version) = (Guid.NewGuid(), "Klient " + Guid.NewGuid().ToString("N")[..6], Guid.NewGuid());
                    if (Provider == DatabaseProvider.Sqlite)
                        await db.Database.ExecuteSqlAsync($"""
                            INSERT INTO "Parties" ("Id", "Kind", "Name", "TaxIdKind", "CountryCode", "PaymentTermDays", "CreditLimitCurrency", "PriceGroup", "CreatedAt", "Version")
                            VALUES ({id.ToString().ToUpperInvariant()}, 'Company', {name}, 'None', 'PL', 14, 'PLN', {group}, {DateTimeOffset.UtcNow.UtcTicks}, {version.ToString().ToUpperInvariant()})
                            """);
                    else
                        await db.Database.ExecuteSqlAsync($"""
                            INSERT INTO "Parties" ("Id", "Kind", "Name", "TaxIdKind", "CountryCode", "PaymentTermDays", "CreditLimitCurrency", "PriceGroup", "CreatedAt", "Version")
                            VALUES ({id}, 'Company', {name}, 'None', 'PL', 14, 'PLN', {group}, {DateTimeOffset.UtcNow}, {version})
                            """);
                }
            }
            await using (var scope = provider.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<KontorDbContext>();
                await db.Database.MigrateAsync();
                var groups = await db.PriceGroups.AsNoTracking().Select(g => g.Name).ToListAsync();
                Assert.Equal(["B2B", "VIP"], groups.Order(StringComparer.Ordinal));
                Assert.Equal(2, await db.PriceGroups.Select(g => g.Id).Distinct().CountAsync());
                // The customers' names still match their groups, so pricing finds them.
                Assert.Equal(2, await db.Parties.CountAsync(p => p.PriceGroup == "B2B"));
            }
        }
        finally
        {
            await DropDatabaseAsync(connectionString);
        }
    }
}

public sealed class SqlitePricingMigrationTests : PricingMigrationTests
{
    private string? directory;
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync()
    {
        directory = Directory.CreateTempSubdirectory("kontor-migration-").FullName;
        return Task.FromResult($"Data Source={Path.Combine(directory, "kontor.db")}");
    }

    protected override Task DropDatabaseAsync(string connectionString)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { if (directory is not null) Directory.Delete(directory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public sealed class PostgresPricingMigrationTests : PricingMigrationTests
{
    private readonly string databaseName = "kontor_m_" + Guid.NewGuid().ToString("N")[..16];
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    private static string Server() =>
        Environment.GetEnvironmentVariable(Infrastructure.PostgresApp.ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Infrastructure.PostgresApp.ServerVariable} is not set: run ./test.sh");

    protected override async Task<string> CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(Server());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Server()) { Database = databaseName }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync(string connectionString)
    {
        await using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        await using var connection = new NpgsqlConnection(Server());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
