using Kontor;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Operator's command line. `dotnet run --project src/Kontor.Cli -- <command>`
//   migrations add <Name>   scaffold a migration for every provider (developers; replaces `dotnet ef`)
//   migrate                 bring the configured database to the current schema and seed reference data
return args switch
{
    ["migrations", "add", var name] => AddMigration(name),
    ["migrate"] => await Migrate(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: kontor migrations add <Name> | kontor migrate");
    Console.Error.WriteLine("configuration: Database__Provider=Sqlite|Postgres, ConnectionStrings__Kontor=...");
    return 2;
}

static int AddMigration(string name)
{
    var coreDirectory = FindCoreProjectDirectory();
    Scaffold(new SqliteKontorDbContext(new DbContextOptionsBuilder<SqliteKontorDbContext>().UseSqlite("Data Source=:memory:").Options),
        coreDirectory, name, "Sqlite");
    Scaffold(new PostgresKontorDbContext(new DbContextOptionsBuilder<PostgresKontorDbContext>().UseNpgsql("Host=localhost").Options),
        coreDirectory, name, "Postgres");
    return 0;
}

#pragma warning disable EF1001 // the design-time services dotnet-ef itself uses; no public equivalent builds them
static void Scaffold(DbContext context, string coreDirectory, string name, string provider)
{
    // The same services `dotnet ef migrations add` uses, without the global tool.
    var reporter = new OperationReporter(new OperationReportHandler(
        Console.Error.WriteLine, Console.Error.WriteLine, Console.WriteLine, _ => { }));
    var services = new DesignTimeServicesBuilder(typeof(KontorDbContext).Assembly, typeof(Program).Assembly, reporter, [])
        .Build(context);
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "Kontor", $"Persistence.Migrations.{provider}", "C#");
    var files = scaffolder.Save(coreDirectory, migration, Path.Combine(coreDirectory, "Persistence", "Migrations", provider));
    Console.WriteLine($"{context.GetType().Name}: {files.MigrationFile}");
    context.Dispose();
}

#pragma warning restore EF1001

static string FindCoreProjectDirectory()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "src", "Kontor.Core");
        if (File.Exists(Path.Combine(candidate, "Kontor.Core.csproj"))) return candidate;
    }
    throw new InvalidOperationException("Run from inside the Kontor repository (src/Kontor.Core not found).");
}

static async Task<int> Migrate()
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole()).AddKontor(configuration).BuildServiceProvider();
    await using var scope = services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    Console.WriteLine("Database is up to date.");
    return 0;
}
