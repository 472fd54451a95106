using System.Globalization;
using Kontor.Persistence;

namespace Kontor.Benchmarks;

public enum ScopeMode { PerCall, PerInvoice }

/// <summary>
/// Single: create and issue each invoice on its own (two transactions, like two HTTP requests).
/// Batch: create + issue + post K invoices in one transaction (<c>InvoiceService.CreateManyAsync</c>, POST /api/invoices/batch).
/// IssueMany: drafts created one per transaction, issued K per transaction (<c>IssueManyAsync</c>).
/// </summary>
public enum RunMode { Single, Batch, IssueMany }

public sealed record BenchmarkOptions(
    DatabaseProvider Provider,
    int Count,
    int Warmup,
    int Workers,
    string? PostgresServer,
    string? SqliteFile,
    ScopeMode Scope,
    bool Profile,
    bool Keep,
    RunMode Mode,
    int Batch)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var provider = DatabaseProvider.Sqlite;
        int count = 5000, warmup = 200, workers = 4;
        string? postgres = Environment.GetEnvironmentVariable("KONTOR_BENCH_POSTGRES") is { Length: > 0 } fromEnv
            ? fromEnv
            : Environment.GetEnvironmentVariable("PG_THROWAWAY_CONNSTR");
        string? sqliteFile = null;
        var scope = ScopeMode.PerCall;
        bool profile = false, keep = false;
        var batch = 100;
        var mode = RunMode.Single;

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive(string name)
            {
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0
                    ? n : throw new ArgumentException($"{name} must be a whole number ≥ 0, got '{text}'.");
            }
            switch (args[i])
            {
                case "--provider":
                    provider = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" or "pg" => DatabaseProvider.Postgres,
                        var other => throw new ArgumentException($"--provider must be sqlite or postgres, got '{other}'."),
                    };
                    break;
                case "--count": count = Positive("--count"); break;
                case "--warmup": warmup = Positive("--warmup"); break;
                case "--workers": workers = Positive("--workers"); break;
                case "--postgres": postgres = Value(); break;
                case "--sqlite-file": sqliteFile = Value(); break;
                case "--scope":
                    scope = Value() switch
                    {
                        "per-call" => ScopeMode.PerCall,
                        "per-invoice" => ScopeMode.PerInvoice,
                        var other => throw new ArgumentException($"--scope must be per-call or per-invoice, got '{other}'."),
                    };
                    break;
                case "--profile": profile = true; break;
                case "--keep": keep = true; break;
                case "--mode":
                    mode = Value() switch
                    {
                        "single" => RunMode.Single,
                        "batch" => RunMode.Batch,
                        "issue-many" => RunMode.IssueMany,
                        var other => throw new ArgumentException($"--mode must be single, batch or issue-many, got '{other}'."),
                    };
                    break;
                case "--batch": batch = Positive("--batch"); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (count < 1) throw new ArgumentException("--count must be at least 1.");
        if (workers < 1) throw new ArgumentException("--workers must be at least 1.");
        if (batch is < 1 or > Sales.InvoiceService.MaxIssueBatch) throw new ArgumentException($"--batch must be between 1 and {Sales.InvoiceService.MaxIssueBatch}.");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(postgres))
            throw new ArgumentException("PostgreSQL needs a server: pass --postgres \"Host=...;Username=...;Database=postgres\" or set KONTOR_BENCH_POSTGRES (benchmarks/run.sh starts a throwaway cluster).");
        return new BenchmarkOptions(provider, count, warmup, workers, postgres, sqliteFile, scope, profile, keep, mode, mode == RunMode.Single ? 1 : batch);
    }
}
