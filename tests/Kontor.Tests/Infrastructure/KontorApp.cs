using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kontor.Persistence;
using Kontor.Security;
using Kontor.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kontor.Tests.Infrastructure;

/// <summary>
/// The real Kontor host on a database of its own, with a settable clock and one user per role.
/// Subclasses choose the database; the scenarios are the same for every provider.
/// </summary>
public abstract class KontorApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "test-password-2026";
    public static readonly DateOnly DefaultToday = new(2026, 3, 20);

    public static readonly IReadOnlyDictionary<string, string> UserByRole = new Dictionary<string, string>
    {
        [Roles.Admin] = "admin@kontor.test",
        [Roles.Manager] = "manager@kontor.test",
        [Roles.Sales] = "sales@kontor.test",
        [Roles.Accountant] = "accountant@kontor.test",
    };

    private readonly IReadOnlyDictionary<string, string?> extraSettings;
    private readonly ConcurrentDictionary<string, (DateTimeOffset IssuedAt, string Token)> tokens = new();
    private readonly string keysDirectory = Directory.CreateTempSubdirectory("kontor-keys-").FullName;

    protected KontorApp(string? existingConnectionString, IReadOnlyDictionary<string, string?>? extraSettings)
    {
        ConnectionString = existingConnectionString ?? "";
        OwnsDatabase = existingConnectionString is null;
        this.extraSettings = extraSettings ?? new Dictionary<string, string?>();
    }

    public TestClock Clock { get; } = new(new DateTimeOffset(DefaultToday.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));

    public string ConnectionString { get; private set; }

    /// <summary>False for a second host opened on another host's database: the first one drops it.</summary>
    protected bool OwnsDatabase { get; }

    public abstract DatabaseProvider Provider { get; }

    /// <summary>A new host on a database of its own, with extra configuration.</summary>
    public abstract KontorApp CreateFresh(IReadOnlyDictionary<string, string?> settings);

    /// <summary>A second host on this host's database (this host keeps ownership of the database).</summary>
    public abstract KontorApp OpenOnSameDatabase(IReadOnlyDictionary<string, string?>? settings = null);

    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync()
    {
        if (OwnsDatabase) ConnectionString = await CreateDatabaseAsync();
        _ = Server; // starts the host: migrations, reference data, the administrator
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KontorUser>>();
        var bootstrap = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        foreach (var (role, email) in UserByRole)
            if (role != Roles.Admin && await users.FindByEmailAsync(email) is null)
                await bootstrap.CreateAsync(email, Password, role + " Tester", role);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Kontor", ConnectionString);
        builder.UseSetting("Database:SeedDemoData", "false");
        builder.UseSetting("KONTOR_ADMIN_EMAIL", UserByRole[Roles.Admin]);
        builder.UseSetting("KONTOR_ADMIN_PASSWORD", Password);
        builder.UseSetting("Kontor:KeysDirectory", keysDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        // Tests run the recurring invoice job themselves, on the test clock; a test may switch the worker on.
        builder.UseSetting("Recurring:Enabled", "false");
        // Likewise the outbox dispatcher (docs/commerce.md): tests dispatch on the test clock.
        builder.UseSetting("Outbox:Enabled", "false");
        // And the order catch-up pull's worker: tests pull through the API or ShopOrderPull.
        builder.UseSetting("Commerce:OrderPull:IntervalMinutes", "0");
        // And the held-order retry: tests retry through the API or HeldOrderRetryRound, at moments they choose.
        builder.UseSetting("Commerce:HeldOrders:RetryMinutes", "0");
        foreach (var (key, value) in extraSettings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Errors);
        });
    }

    /// <summary>What the host logged as errors (with exceptions): a failure message can include why the server answered 500.</summary>
    public ServerErrors Errors { get; } = new();

    /// <summary>An API client signed in with a bearer token as the user of <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientAsync(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role));
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient();

    private async Task<string> TokenAsync(string role)
    {
        // Tokens expire by the test clock: fetch a new one whenever a test moved the clock.
        var now = Clock.GetUtcNow();
        if (tokens.TryGetValue(role, out var cached) && cached.IssuedAt == now) return cached.Token;
        using var anonymous = CreateClient();
        using var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { email = UserByRole[role], password = Password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sign-in of {role} failed: {(int)response.StatusCode} {body}\nThe host's last errors:\n{Errors.Recent()}");
        var token = JsonNode.Parse(body)!["accessToken"]!.GetValue<string>();
        tokens[role] = (now, token);
        return token;
    }

    /// <summary>Runs <paramref name="query"/> on a fresh DbContext of the host (for "nothing was written" checks).</summary>
    public async Task<T> QueryAsync<T>(Func<KontorDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<KontorDbContext>());
    }

    private int disposed;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (OwnsDatabase) await DropDatabaseAsync();
        try { Directory.Delete(keysDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Kontor on a fresh SQLite file in a temporary directory.</summary>
public sealed class SqliteApp : KontorApp
{
    private string? directory;

    public SqliteApp() : this(null, null) { }

    private SqliteApp(string? connectionString, IReadOnlyDictionary<string, string?>? settings) : base(connectionString, settings) { }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override KontorApp CreateFresh(IReadOnlyDictionary<string, string?> settings) => new SqliteApp(null, settings);

    public override KontorApp OpenOnSameDatabase(IReadOnlyDictionary<string, string?>? settings = null) => new SqliteApp(ConnectionString, settings);

    protected override Task<string> CreateDatabaseAsync()
    {
        directory = Directory.CreateTempSubdirectory("kontor-test-").FullName;
        return Task.FromResult($"Data Source={Path.Combine(directory, "kontor.db")}");
    }

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { if (directory is not null) Directory.Delete(directory, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Kontor on a fresh PostgreSQL database created on the server named by KONTOR_TEST_POSTGRES
/// (./test.sh starts a throwaway cluster and sets it) and dropped afterwards.
/// </summary>
public sealed class PostgresApp : KontorApp
{
    public const string ServerVariable = "KONTOR_TEST_POSTGRES";
    private string? databaseName;

    public PostgresApp() : this(null, null) { }

    private PostgresApp(string? connectionString, IReadOnlyDictionary<string, string?>? settings) : base(connectionString, settings) { }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override KontorApp CreateFresh(IReadOnlyDictionary<string, string?> settings) => new PostgresApp(null, settings);

    public override KontorApp OpenOnSameDatabase(IReadOnlyDictionary<string, string?>? settings = null) => new PostgresApp(ConnectionString, settings);

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ServerVariable} is not set: run ./test.sh");

    protected override async Task<string> CreateDatabaseAsync()
    {
        var server = ServerConnectionString();
        databaseName = "kontor_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = databaseName }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (databaseName is null) return;
        await using (var pooled = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(pooled);
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
