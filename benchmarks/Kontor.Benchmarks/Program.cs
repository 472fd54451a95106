using Kontor.Benchmarks;

// Invoice throughput benchmark: issues N invoices end to end (create draft + issue + ledger posting)
// through the real services, one DI scope per call as a web request would have, and reports
// invoices/s, latency percentiles and the time of a trial balance over the journal it made.
//
//   dotnet run -c Release --project benchmarks/Kontor.Benchmarks -- [options]
//     --provider sqlite|postgres   (default sqlite)
//     --count N                    measured invoices (default 5000)
//     --warmup N                   invoices issued first and reported separately (default 200)
//     --workers N                  concurrent workers (default 4)
//     --postgres CONNSTR           server where the benchmark may CREATE DATABASE
//                                  (default: env KONTOR_BENCH_POSTGRES, then PG_THROWAWAY_CONNSTR)
//     --sqlite-file PATH           SQLite file (default: a fresh temp file, deleted afterwards)
//     --scope per-call|per-invoice per-call (default): create and issue each get their own scope, like two
//                                  HTTP requests; per-invoice: one scope for both.
//     --mode single|batch|issue-many
//                                  single (default): create, then issue, one invoice per transaction;
//                                  batch: create + issue + post K invoices in one transaction (InvoiceService.CreateManyAsync);
//                                  issue-many: drafts created one per call, issued K at a time (IssueManyAsync)
//     --batch K                    batch size for --mode batch / issue-many (default 100); latency is then per batch
//     --profile                    also count SQL commands and connection opens per invoice
//     --keep                       keep the database afterwards
//
// Matching benchmark (bank lines against open items, the pure matcher in memory, no database):
//   dotnet run -c Release --project benchmarks/Kontor.Benchmarks -- matching [--lines N] [--open-items N] [--parties N] [--seed N]
//     defaults: 100000 lines, 1000000 open items, 50000 customers, seed 42; prints precision, recall and time.
// Party CSV import benchmark (50,000 rows with 1 % bad rows into a fresh SQLite file; prints rows/s and the bad rows reported):
//   dotnet run -c Release --project benchmarks/Kontor.Benchmarks -- party-import [--rows N] [--sqlite-file PATH] [--keep]
// W1 (issue 6): paid shop orders over HTTP to the real Kontor.Web host on loopback, end to end; prints orders/s, latency, verifies the books:
//   dotnet run -c Release --project benchmarks/Kontor.Benchmarks -- w1 [--orders N] [--warmup N] [--concurrency C] [--postgres CONNSTR] [--sqlite-file PATH]
//     [--products N] [--customers N] [--profile] [--keep]   defaults: 5000 orders after 1000 warm-up, concurrency 8, 50 products, 500 customers, SQLite temp file
if (args.Length > 0 && args[0] == "w1")
{
    try { return await W1OrderBenchmark.RunAsync(W1Options.Parse(args)); }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine("usage: Kontor.Benchmarks w1 [--orders N] [--warmup N] [--concurrency C] [--postgres CONNSTR] [--sqlite-file PATH] [--products N] [--customers N] [--profile] [--keep]");
        return 2;
    }
}
if (args.Length > 0 && args[0] == "party-import")
{
    var rowsAt = Array.IndexOf(args, "--rows");
    var fileAt = Array.IndexOf(args, "--sqlite-file");
    return await PartyImportBenchmark.RunAsync(rowsAt >= 0 && rowsAt + 1 < args.Length ? int.Parse(args[rowsAt + 1]) : 50_000,
        fileAt >= 0 && fileAt + 1 < args.Length ? args[fileAt + 1] : null, args.Contains("--keep"));
}
if (args.Length > 0 && args[0] == "matching")
{
    int Option(string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value > 0 ? value : fallback;
    }
    return MatchingBenchmark.Run(Option("--lines", 100_000), Option("--open-items", 1_000_000), Option("--parties", 50_000), Option("--seed", 42));
}
try
{
    var options = BenchmarkOptions.Parse(args);
    var result = await InvoiceBenchmark.RunAsync(options);
    Console.WriteLine(result.Summary());
    return result.Healthy ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: Kontor.Benchmarks [--provider sqlite|postgres] [--count N] [--warmup N] [--workers N] [--postgres CONNSTR] [--sqlite-file PATH] [--scope per-call|per-invoice] [--mode single|batch|issue-many] [--batch K] [--profile] [--keep]");
    return 2;
}
